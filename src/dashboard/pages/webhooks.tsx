import { Hono } from 'hono';
import type { DashEnv } from '../context';

export function webhooksPage() {
  const app = new Hono<DashEnv>();
  return app;
}
