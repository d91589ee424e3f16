import { Hono } from 'hono';
import type { DashEnv } from '../context';

export function programPage() {
  const app = new Hono<DashEnv>();
  return app;
}
