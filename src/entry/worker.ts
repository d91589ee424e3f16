import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from '../../db/schema';
import { createApp } from '../app';
import { type Config, parseEnv, toConfig } from '../env';
import { systemClock } from '../lib/clock';
import type { Db } from '../lib/db';
import { createLogger } from '../lib/logger';
import { runJobs } from '../modules/jobs/run-jobs';
import { urlPolicyOf } from '../modules/webhooks/ssrf';
import { preferPrepared } from './postgres-client';

export interface WorkerEnv {
  HYPERDRIVE?: Hyperdrive;
  DATABASE_URL?: string;
  PLAUDIT_SECRET?: string;
  [key: string]: unknown;
}

let cached:
  | { app: ReturnType<typeof createApp>; logger: ReturnType<typeof createLogger>; config: Config }
  | undefined;

/** The app is built once per isolate; only the database client is per request. */
function appFor(env: WorkerEnv) {
  if (!cached) {
    const parsed = parseEnv(env);
    if (!parsed.PLAUDIT_SECRET)
      throw new Error('PLAUDIT_SECRET must be set (wrangler secret put PLAUDIT_SECRET)');
    const logger = createLogger(parsed.LOG_LEVEL);
    const config = toConfig(parsed, parsed.PLAUDIT_SECRET);
    const app = createApp({
      config,
      clock: systemClock,
      logger,
      clientAddress: (c) => c.req.header('cf-connecting-ip') ?? 'unknown',
    });
    cached = { app, logger, config };
  }
  return cached;
}

/** A postgres.js client per request (Workers cannot share sockets across requests); Hyperdrive pools. */
function openDb(env: WorkerEnv) {
  const url = env.HYPERDRIVE?.connectionString ?? env.DATABASE_URL;
  if (!url) throw new Error('No database: bind Hyperdrive as HYPERDRIVE or set DATABASE_URL');
  const client = preferPrepared(postgres(url, { max: 5, onnotice: () => {} }));
  return { client, db: drizzle({ client, schema, casing: 'snake_case' }) as unknown as Db };
}

export default {
  async fetch(request, env, ctx) {
    const { app } = appFor(env);
    const { client, db } = openDb(env);
    try {
      return await app.fetch(request, { db }, ctx);
    } finally {
      ctx.waitUntil(client.end({ timeout: 5 }));
    }
  },

  async scheduled(_controller, env, ctx) {
    const { logger, config } = appFor(env);
    const { client, db } = openDb(env);
    ctx.waitUntil(
      // No resolveHost here: Workers' outbound fetch cannot reach private networks (see ssrf.ts).
      runJobs({ db, clock: systemClock, logger, webhooks: urlPolicyOf({ config }) })
        .then((counts) => logger.info('scheduled jobs ran', counts))
        .finally(() => client.end({ timeout: 5 })),
    );
  },
} satisfies ExportedHandler<WorkerEnv>;
