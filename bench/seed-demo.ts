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

const CUSTOMERS = 500;
const DAY = 86_400_000;
const FIRST = [
  'Ada',
  'Ben',
  'Chloé',
  'Dev',
  'Emma',
  'Farid',
  'Gaia',
  'Hugo',
  'Inès',
  'Jon',
  'Kim',
  'Léa',
  'Malo',
  'Nina',
];
const LAST = [
  'Martin',
  'Bernard',
  'Dubois',
  'Moreau',
  'Laurent',
  'Simon',
  'Michel',
  'Garcia',
  'Roux',
  'Fontaine',
];
const CHANNELS = ['email', 'whatsapp', 'instagram', 'facebook', 'sms'];

/** mulberry32: a small, well-distributed seeded PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const rand = prng(20_250_615);
const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
const chance = (p: number) => rand() < p;
const pad = (n: number) => String(n).padStart(4, '0');

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
  const [seeded] = await database.db
    .select({ id: orders.id })
    .from(orders)
    .where(and(eq(orders.merchantId, keys.merchantId), eq(orders.id, 'demo-o-0001')));
  if (seeded) {
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
  const now = Date.now();
  const ago = (days: number) => new Date(now - days * DAY - int(1, 600) * 60_000).toISOString();
  let orderSeq = 0;
  const order = (customerId: string, daysAgo: number, extra: Record<string, unknown> = {}) =>
    call('POST', '/v1/orders', {
      id: `demo-o-${pad(++orderSeq)}`,
      customerId,
      total: int(15, 140) * 100 + pick([0, 50, 90]),
      currency: 'EUR',
      paidAt: ago(daysAgo),
      channel: pick(['web', 'web', 'app', 'store']),
      ...extra,
    });

  await call('PATCH', '/v1/merchant', { pendingDays: 14, expiry: { mode: 'fixed', days: 180 } });
  const rule = (body: Record<string, unknown>) => call('POST', '/v1/rules', body);
  await rule({
    name: '1 point per euro',
    event: 'order.paid',
    reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' },
  });
  await rule({ name: 'Review bonus', event: 'review.created', reward: { type: 'fixed', points: 50 } });
  await rule({ name: 'Share bonus', event: 'share.created', reward: { type: 'fixed', points: 10 } });
  await rule({ name: 'Survey thanks', event: 'survey.submitted', reward: { type: 'fixed', points: 25 } });
  await call('PUT', '/v1/referral-program', {
    active: true,
    referrerReward: { points: 500 },
    refereeReward: { points: 250 },
    minOrderTotal: 2_000,
    holdDays: 14,
    attributionWindowDays: 30,
    linkTemplate: 'https://demo-shop.example/?ref={code}',
  });
  const reward = await call('POST', '/v1/rewards', {
    name: '5 € off',
    costPoints: 500,
    kind: 'discount_fixed',
    value: 500,
    currency: 'EUR',
    active: true,
  });

  let answers = 0;
  const answer = (customerId: string, kind: 'nps' | 'csat', score: number, daysAgo: number) =>
    call('POST', '/v1/survey-responses', {
      id: `demo-s-${pad(++answers)}`,
      customerId,
      kind,
      score,
      respondedAt: ago(daysAgo),
      channel: pick(['email', 'sms', 'in-app']),
      ...(kind === 'nps' &&
        score <= 6 && { comment: pick(['Late delivery', 'Item damaged', 'Support was slow']) }),
    });
  const npsFor = (segment: number) => (segment === 0 ? int(9, 10) : segment === 1 ? int(7, 8) : int(0, 6));
  const ratingFor = (segment: number) => (segment === 0 ? int(4, 5) : segment === 1 ? int(3, 5) : int(1, 3));

  let shares = 0;
  let referees = 0;
  for (let i = 1; i <= CUSTOMERS; i++) {
    const id = `c${pad(i)}`;
    const first = pick(FIRST);
    const last = pick(LAST);
    const signup = int(20, 365);
    await call('PUT', `/v1/customers/${id}`, {
      email: `${first.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')}.${last.toLowerCase()}.${i}@example.com`,
      name: `${first} ${last}`,
      createdAt: ago(signup),
    });
    // The customer's satisfaction: 0 promoter, 1 passive, 2 detractor (answered or not).
    const segment = rand() < 0.45 ? 0 : rand() < 0.55 ? 1 : 2;
    const count = Math.max(
      1,
      Math.round(rand() * rand() * 8) + (segment === 0 ? 1 : 0) - (segment === 2 ? 1 : 0),
    );
    const days = Array.from({ length: count }, () => int(0, signup)).sort((a, b) => b - a);
    for (const d of days) {
      const placed = await order(id, d);
      if (chance(0.06)) {
        const full = chance(0.5);
        await call('POST', `/v1/orders/${placed.order.id}/refunds`, {
          id: `${placed.order.id}-refund`,
          ...(!full && { amount: Math.floor(placed.order.total * 0.3) }),
        });
      }
      if (chance(0.3)) await answer(id, 'csat', ratingFor(segment), Math.max(0, d - 2));
      if (chance(0.15)) {
        await call('POST', '/v1/reviews', {
          id: `${placed.order.id}-review`,
          customerId: id,
          rating: ratingFor(segment),
          verifiedPurchase: true,
          createdAt: ago(Math.max(0, d - 5)),
        });
      }
    }
    if (chance(0.65)) {
      await answer(id, 'nps', npsFor(segment), Math.max(0, days[0]! - 7));
      if (chance(0.25))
        await answer(id, 'nps', npsFor(chance(0.8) ? segment : int(0, 2)), Math.max(0, days.at(-1)! - 1));
    }
    const shareP = [0.6, 0.2, 0.05][segment]!;
    if (chance(shareP)) {
      for (let k = int(1, 3); k > 0; k--) {
        await call('POST', '/v1/shares', {
          id: `demo-sh-${pad(++shares)}`,
          customerId: id,
          channel: pick(CHANNELS),
          createdAt: ago(int(0, signup)),
        });
      }
    }
    // Referring follows satisfaction.
    if (!chance([0.35, 0.12, 0.04][segment]!)) continue;
    const { code } = await call('POST', `/v1/customers/${id}/referral-code`, {});
    for (let k = int(2, 6); k > 0; k--)
      await call('POST', '/v1/referral-clicks', { code, channel: pick(CHANNELS) });
    for (let k = segment === 0 ? int(1, 3) : 1; k > 0; k--) {
      const referee = `r${pad(++referees)}`;
      const fate = rand();
      if (fate < 0.1) {
        // Attributed at signup, no order yet: pending.
        await call('POST', '/v1/referrals', {
          code,
          refereeId: referee,
          refereeEmail: `${referee}@example.net`,
        });
      } else if (fate < 0.2) {
        // First order below the program's minimum: still pending.
        await order(referee, int(1, 20), { referralCode: code, total: 1_200 });
      } else if (fate < 0.3) {
        // Qualifying order refunded inside the hold: reversed.
        const placed = await order(referee, int(1, 10), { referralCode: code });
        await call('POST', `/v1/orders/${placed.order.id}/refunds`, { id: `${placed.order.id}-refund` });
      } else {
        // Qualified; rewarded once the 14-day hold has passed (the jobs run below).
        const d = int(1, Math.min(signup, 200));
        await order(referee, d, { referralCode: code });
        for (let j = chance(0.5) ? int(1, 3) : 0; j > 0; j--) await order(referee, int(0, d));
        if (chance(0.5))
          await answer(referee, 'nps', npsFor(chance(0.6) ? 0 : int(1, 2)), Math.max(0, d - 10));
      }
    }
    // Rejections, every decision explained: a customer reusing their own code, an existing customer.
    if (chance(0.15)) await call('POST', '/v1/referrals', { code, refereeId: id });
    if (chance(0.1)) await call('POST', '/v1/referrals', { code, refereeId: `c${pad(int(1, i))}` });
    if (i % 50 === 0) console.log(`  ${i} customers…`);
  }

  await call('POST', '/v1/jobs/run');
  // Redemptions by those who can afford one; some are cancelled (points return).
  let redeemed = 0;
  for (let i = 1; i <= CUSTOMERS; i++) {
    const id = `c${pad(i)}`;
    const customer = await call('GET', `/v1/customers/${id}`);
    if (customer.points.available < 500 || !chance(0.35)) continue;
    const redemption = await call('POST', '/v1/redemptions', { customerId: id, rewardId: reward.id });
    redeemed++;
    if (chance(0.1)) await call('POST', `/v1/redemptions/${redemption.id}/cancel`);
  }
  await call('POST', '/v1/jobs/run');

  const program = await call('GET', '/v1/insights/program');
  const satisfaction = await call('GET', '/v1/insights/satisfaction');
  console.log(
    `Seeded ${CUSTOMERS} customers, ${referees} referees, ${orderSeq} orders, ${answers} survey answers, ${shares} shares, ` +
      `${redeemed} redemptions in ${((Date.now() - started) / 1000).toFixed(0)} s.\n` +
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
