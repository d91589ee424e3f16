import { lookup } from 'node:dns/promises';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { serve } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import { createApp } from '../app';
import type { Deps } from '../deps';
import { EnvError, parseEnv, toConfig } from '../env';
import { systemClock } from '../lib/clock';
import type { Db } from '../lib/db';
import { createLogger, type Logger } from '../lib/logger';
import { runJobs } from '../modules/jobs/run-jobs';
import { createMerchant } from '../modules/merchants/create-merchant';
import { type UrlPolicy, urlPolicyOf } from '../modules/webhooks/ssrf';
import { loadSecret, openDatabase } from './node-database';

async function main(command: string | undefined) {
  const env = parseEnv(process.env);
  const logger = createLogger(env.LOG_LEVEL);
  const secret = await loadSecret({
    secret: env.PLAUDIT_SECRET,
    databaseUrl: env.DATABASE_URL,
    dataDir: env.PLAUDIT_DATA_DIR,
  });
  const config = toConfig(env, secret);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
  });

  await database.migrate();
  logger.info('migrations applied', { database: database.kind });
  if (command === 'migrate') {
    await database.close();
    return;
  }

  const deps: Deps = {
    db: database.db,
    config,
    clock: systemClock,
    logger,
    clientAddress: (c) => {
      try {
        return getConnInfo(c).remote.address ?? 'unknown';
      } catch {
        return 'unknown';
      }
    },
    // Webhook URLs are checked against every address their host resolves to (SSRF guard).
    resolveHost: async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address),
  };
  const app = createApp(deps);
  const demo =
    database.kind === 'pglite' ? await ensureDemoMerchant(database.db, config.dataDir, secret) : undefined;

  const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
    const base = config.publicUrl ?? `http://localhost:${info.port}`;
    printBanner(base, database.kind, demo);
    logger.info('listening', { port: info.port, database: database.kind });
  });

  const timer = startJobs(database.db, logger, config.jobsIntervalMs, urlPolicyOf(deps));
  const shutdown = async (signal: string) => {
    logger.info('shutting down', { signal });
    if (timer) clearInterval(timer);
    server.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
}

function startJobs(db: Db, logger: Logger, intervalMs: number, webhooks: UrlPolicy) {
  if (intervalMs <= 0) return undefined;
  let running = false;
  return setInterval(async () => {
    if (running) return; // never overlap runs in one process
    running = true;
    try {
      await runJobs({ db, clock: systemClock, logger, webhooks });
    } catch (error) {
      logger.error('jobs run failed', { error: String(error) });
    } finally {
      running = false;
    }
  }, intervalMs);
}

interface DemoKeys {
  merchantId: string;
  name: string;
  secretKey: string;
  publishableKey: string;
}

/**
 * On the embedded database with no merchant yet, create a demo merchant. Its keys are kept
 * in the (local, git-ignored) data folder so they can be shown again on the next start.
 */
async function ensureDemoMerchant(db: Db, dataDir: string, pepper: string): Promise<DemoKeys | undefined> {
  const file = path.join(dataDir, 'demo-keys.json');
  const existing = await db.query.merchants.findFirst({ columns: { id: true } });
  if (existing) {
    return existsSync(file) ? (JSON.parse(await readFile(file, 'utf8')) as DemoKeys) : undefined;
  }
  const created = await createMerchant(
    { db, clock: systemClock, pepper },
    { name: 'Demo Shop', currency: 'EUR', timezone: 'Europe/Paris' },
  );
  const keys: DemoKeys = {
    merchantId: created.merchant.id,
    name: created.merchant.name,
    secretKey: created.secretKey,
    publishableKey: created.publishableKey,
  };
  await writeFile(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

function printBanner(base: string, kind: string, demo: DemoKeys | undefined) {
  const lines = [
    '',
    `  Plaudit is serving on ${base}  (database: ${kind === 'pglite' ? 'embedded PGlite' : 'PostgreSQL'})`,
    `  API reference:  ${base}/docs`,
    `  OpenAPI:        ${base}/openapi.json`,
    `  Dashboard:      ${base}/dashboard  (sign in with a secret key of scope admin)`,
  ];
  if (demo) {
    lines.push(
      '',
      `  Demo merchant:   ${demo.name} (${demo.merchantId})`,
      `  Secret key:      ${demo.secretKey}`,
      `  Publishable key: ${demo.publishableKey}`,
      '',
      `  Try: curl -H "Authorization: Bearer ${demo.secretKey}" ${base}/v1/merchant`,
    );
  }
  console.log(`${lines.join('\n')}\n`);
}

main(process.argv[2]).catch((error) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
