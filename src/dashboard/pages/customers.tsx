import { Hono } from 'hono';
import type { DashEnv } from '../context';

export function customersPage() {
  const app = new Hono<DashEnv>();
  return app;
}
