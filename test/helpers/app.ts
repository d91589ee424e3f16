import { createApp } from '../../src/app';
import type { Deps } from '../../src/deps';
import { parseEnv, toConfig } from '../../src/env';
import type { Clock } from '../../src/lib/clock';
import { createLogger } from '../../src/lib/logger';
import { workerDatabase } from './database';

export const OPERATOR_TOKEN = 'test-operator-token-0123456789';
export const TEST_SECRET = 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz';

/** A clock tests can move. Starts at the real time unless told otherwise. */
export class TestClock implements Clock {
  private offsetMs = 0;
  constructor(private fixed?: Date) {}
  now(): Date {
    return new Date((this.fixed?.getTime() ?? Date.now()) + this.offsetMs);
  }
  advance(ms: number) {
    this.offsetMs += ms;
  }
  advanceDays(days: number) {
    this.advance(days * 86_400_000);
  }
}

export interface TestAppOptions {
  clock?: Clock;
  env?: Record<string, string>;
  clientAddress?: string;
}

/** The real app on this worker's database, with test configuration. */
export async function createTestApp(opts: TestAppOptions = {}) {
  const database = await workerDatabase();
  const env = parseEnv({
    PLAUDIT_ADMIN_TOKEN: OPERATOR_TOKEN,
    PLAUDIT_SECRET: TEST_SECRET,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    ...opts.env,
  });
  const clock = opts.clock ?? new TestClock();
  const deps: Deps = {
    db: database.db,
    config: toConfig(env, TEST_SECRET),
    clock,
    logger: createLogger(env.LOG_LEVEL),
    clientAddress: (c) => c.req.header('x-test-client-address') ?? opts.clientAddress ?? '203.0.113.7',
  };
  return { app: createApp(deps), deps, db: database.db, clock };
}

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;
