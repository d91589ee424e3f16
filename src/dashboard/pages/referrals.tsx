import { Hono } from 'hono';
import type { DashEnv } from '../context';

export function referralsPage() {
  const app = new Hono<DashEnv>();
  return app;
}
