import { Hono } from 'hono';
import type { DashEnv } from '../context';

export function satisfactionPage() {
  const app = new Hono<DashEnv>();
  return app;
}
