/**
 * `npm run seed:demo`: fills the database (PLAUDIT_DATA_DIR's embedded PGlite, or DATABASE_URL) with a
 * realistic year of a synthetic shop for the demo merchant, so the insights have something to show.
 *
 * Everything goes through the app (`createApp` + `app.request`), so every ledger and referral invariant
 * holds. Deterministic: a seeded PRNG draws ~500 customers, their orders (some refunded), NPS and CSAT
 * answers and reviews whose satisfaction correlates with sharing and referring, referrals in every
 * state (pending, qualified, rewarded, rejected, reversed), shares, clicks and redemptions. Times are
 * backdated from today. A database already seeded is left alone.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import { merchants, orders } from '../db/schema';
import { createApp } from '../src/app';
import { loadSecret, openDatabase } from '../src/entry/node-database';
import { parseEnv, toConfig } from '../src/env';
import { systemClock } from '../src/lib/clock';
import type { Db } from '../src/lib/db';
import { createLogger } from '../src/lib/logger';
import { createMerchant } from '../src/modules/merchants/create-merchant';
import { seedDemoShop } from './demo-shop';

const CUSTOMERS = 500;

interface DemoKeys {
  merchantId: string;
  name: string;
  secretKey: string;
  publishableKey: string;
}

async function main() {
  const env = parseEnv(process.env);
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
  const keys = await demoMerchant(database.db, config.dataDir, secret);
  const [already] = await database.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.merchantId, keys.merchantId), eq(orders.id, 'demo-o-0001')));
  if (already) {
    console.log(`Demo merchant ${keys.merchantId} is already seeded.`);
    return database.close();
  }

  const app = createApp({
    db: database.db,
    config,
    clock: systemClock,
    logger: createLogger('error'),
    clientAddress: () => '127.0.0.1',
  });
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await app.request(url, {
      method,
      headers: { authorization: `Bearer ${keys.secretKey}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await res.json().catch(() => null)) as any;
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const started = Date.now();
  const seeded = await seedDemoShop(call, { customers: CUSTOMERS });
  const program = await call('GET', '/v1/insights/program');
  const satisfaction = await call('GET', '/v1/insights/satisfaction');
  console.log(
    `Seeded ${seeded.customers} customers, ${seeded.referees} referees, ${seeded.orders} orders, ${seeded.answers} survey answers, ${seeded.shares} shares, ` +
      `${seeded.redemptions} redemptions in ${((Date.now() - started) / 1000).toFixed(0)} s.\n` +
      `NPS ${satisfaction.nps.score} (±${satisfaction.nps.marginOfError}, ${satisfaction.nps.respondents} respondents), ` +
      `CSAT ${satisfaction.csat.score}%, funnel ${JSON.stringify(program.funnel)}, K-factor ${program.kFactor}.\n` +
      `Demo merchant ${keys.merchantId}; secret key ${keys.secretKey}`,
  );
  await database.close();
}

/** The demo merchant whose keys `npm start` shows (kept in the data folder); created if there is none. */
async function demoMerchant(db: Db, dataDir: string, pepper: string): Promise<DemoKeys> {
  const file = path.join(dataDir, 'demo-keys.json');
  if (existsSync(file)) {
    const keys = JSON.parse(await readFile(file, 'utf8')) as DemoKeys;
    const [found] = await db
      .select({ id: merchants.id })
      .from(merchants)
      .where(eq(merchants.id, keys.merchantId));
    if (found) return keys;
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
  await mkdir(dataDir, { recursive: true });
  await writeFile(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
  return keys;
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
