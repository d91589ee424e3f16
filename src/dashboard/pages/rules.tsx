import { Hono } from 'hono';
import type { DashEnv } from '../context';

export function rulesPage() {
  const app = new Hono<DashEnv>();
  return app;
}
