/**
 * Insights at scale, on PostgreSQL (not run by the tests):
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/insights-scale.ts [entries]
 *
 * Creates a scratch database `plaudit_bench_insights` next to DATABASE_URL's, migrates it, and fills ONE
 * merchant with set-based INSERT … SELECT generate_series: 1 000 000 ledger entries (default), 100k
 * customers, 300k orders, 130k survey answers, 80k shares and reviews, 20k referral codes and referrals,
 * 100k clicks — all proportional to [entries]: 10000000 gives 1M customers and 3M orders. Rows are shaped like the app's but the balances are not reconciled with the entries:
 * this measures the reports' queries, not the ledger. Then it times each report through the app
 * (`app.request`, median of BENCH_RUNS, default 5) over all time, the last 90 days, the previous calendar month and the last 365 days to yesterday, and prints EXPLAIN (ANALYZE, BUFFERS) of the
 * slowest SQL statement the slowest report ran, then times the program and referral reports once more
 * read from every row (`source: 'rows'`, the definition) as the baseline. `BENCH_REUSE=1` keeps the
 * previous run's data; `BENCH_ONLY=text` times only the reports whose path contains it.
 */
import { loadavg } from 'node:os';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { insightFactsRecount } from '../db/insight-facts';
import * as schema from '../db/schema';
import { createApp } from '../src/app';
import type { VerbContext } from '../src/deps';
import { openDatabase } from '../src/entry/node-database';
import { parseEnv, toConfig } from '../src/env';
import { systemClock } from '../src/lib/clock';
import type { Db } from '../src/lib/db';
import { createLogger } from '../src/lib/logger';
import { mintKey } from '../src/modules/api-keys/key-material';
import { programReport } from '../src/modules/insights/program';
import { referralsSatisfactionReport } from '../src/modules/insights/referrals-satisfaction';
import {
  PARALLEL_REPORT_SETTINGS,
  REPORT_SETTINGS,
  type ReportSource,
} from '../src/modules/insights/snapshot';
import { createMerchant } from '../src/modules/merchants/create-merchant';

const url = process.env.DATABASE_URL;
if (!url)
  throw new Error('Set DATABASE_URL to a PostgreSQL server (the scratch database is created next to it).');
const ENTRIES = Number(process.argv[2] ?? 1_000_000);
const CUSTOMERS = Math.max(1000, Math.round(ENTRIES / 10));
const SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz';
const DB_NAME = 'plaudit_bench_insights';
const REUSE = process.env.BENCH_REUSE === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
/** Only the reports whose path contains this text. */
const ONLY = process.env.BENCH_ONLY ?? '';

async function main() {
  const admin = postgres(url!, { max: 1, onnotice: () => {} });
  const [exists] = await admin`select 1 from pg_database where datname = ${DB_NAME}`;
  const reuse = REUSE && exists !== undefined;
  if (!reuse) {
    await admin.unsafe(`drop database if exists ${DB_NAME} with (force)`);
    await admin.unsafe(`create database ${DB_NAME}`);
  }
  await admin.end();
  const benchUrl = new URL(url!);
  benchUrl.pathname = `/${DB_NAME}`;
  const migrated = await openDatabase({ databaseUrl: benchUrl.toString(), dataDir: 'memory://' });
  const m0 = performance.now();
  await migrated.migrate();
  await migrated.close();
  console.log(`migrated in ${((performance.now() - m0) / 1000).toFixed(1)} s`);

  // Our own client, so the SQL each report runs can be captured for EXPLAIN.
  const client = postgres(benchUrl.toString(), { max: 10, onnotice: () => {} });
  const captured: { sql: string; params: unknown[] }[] = [];
  const db = drizzle({
    client,
    schema,
    casing: 'snake_case',
    logger: { logQuery: (sql, params) => captured.push({ sql, params }) },
  }) as unknown as Db;

  let m: string;
  let secretKey: string;
  if (reuse) {
    // BENCH_REUSE=1: keep the data of the previous run, with a fresh admin key.
    const [row] = await client`select id from merchants where name = 'Bench Shop' limit 1`;
    m = row!.id as string;
    const key = await mintKey('secret', SECRET);
    await client`insert into api_keys (merchant_id, id, kind, scopes, prefix, hash)
      values (${m}, ${`key_bench${Date.now()}`}, 'secret', '["admin", "server"]'::jsonb, ${key.prefix}, ${key.hash})`;
    secretKey = key.key;
  } else {
    const created = await createMerchant(
      { db, clock: systemClock, pepper: SECRET },
      { name: 'Bench Shop', currency: 'EUR', timezone: 'Europe/Paris' },
    );
    m = created.merchant.id;
    secretKey = created.secretKey;
    const t0 = performance.now();
    await fill(client, m);
    // The bulk load bypasses the app, which keeps the customers' insight facts: recount them.
    for (const statement of insightFactsRecount()) await client.unsafe(statement);
    // As autovacuum would: statistics, and the visibility map that index-only scans need.
    await client.unsafe('vacuum analyze');
    console.log(`filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const [counts] = await client`select
      (select count(*) from ledger_entries where merchant_id = ${m})::int as entries,
      (select count(*) from customers where merchant_id = ${m})::int as customers,
      (select count(*) from orders where merchant_id = ${m})::int as orders,
      (select count(*) from survey_responses where merchant_id = ${m})::int as answers,
      (select count(*) from referrals where merchant_id = ${m})::int as referrals`;
  console.log(counts);

  const env = parseEnv({ PLAUDIT_SECRET: SECRET, LOG_LEVEL: 'error', PLAUDIT_JOBS_INTERVAL_MS: '0' });
  const app = createApp({
    db,
    config: toConfig(env, SECRET),
    clock: systemClock,
    logger: createLogger('error'),
    clientAddress: () => '127.0.0.1',
  });
  const since = new Date(Date.now() - 90 * 86_400_000).toISOString().slice(0, 10);
  // A closed period: the previous calendar month.
  const now = new Date();
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1))
    .toISOString()
    .slice(0, 10);
  const monthEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).toISOString().slice(0, 10);
  const month = `from=${monthStart}&to=${monthEnd}`;
  // A closed period over nearly all the history: the last 365 days up to yesterday.
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const year = `from=${day(365)}&to=${day(1)}`;
  const reports = [
    '/v1/insights/satisfaction?interval=month',
    '/v1/insights/referrals-satisfaction',
    '/v1/insights/program',
    `/v1/insights/satisfaction?interval=day&from=${since}`,
    `/v1/insights/referrals-satisfaction?from=${since}`,
    `/v1/insights/program?from=${since}`,
    `/v1/insights/satisfaction?interval=day&${month}`,
    `/v1/insights/referrals-satisfaction?${month}`,
    `/v1/insights/program?${month}`,
    `/v1/insights/referrals-satisfaction?${year}`,
    `/v1/insights/program?${year}`,
  ];
  let slowest = { path: '', ms: 0, statements: [] as { sql: string; params: unknown[] }[] };
  for (const path of reports.filter((r) => r.includes(ONLY))) {
    const times: number[] = [];
    let statements: typeof captured = [];
    for (let i = 0; i < RUNS; i++) {
      captured.length = 0;
      const start = performance.now();
      const res = await app.request(path, { headers: { authorization: `Bearer ${secretKey}` } });
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      await res.text();
      times.push(performance.now() - start);
      statements = captured.filter((q) => !/^\s*(set|begin|commit)\b/i.test(q.sql));
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(RUNS / 2)]!;
    // The machine may be shared: the load average says how far to trust the wall-clock times.
    const load = loadavg()
      .map((l) => l.toFixed(1))
      .join(' ');
    console.log(
      `${median.toFixed(0).padStart(6)} ms  (min ${times[0]!.toFixed(0)}, max ${times[RUNS - 1]!.toFixed(0)}, load ${load})  GET ${path}`,
    );
    if (median > slowest.ms) slowest = { path, ms: median, statements };
  }

  // The baseline, in the same run: the program and referral reports read from every row (once each).
  const [merchant] = await db.select().from(schema.merchants).where(eq(schema.merchants.id, m));
  const ctx: VerbContext = {
    db,
    merchant: merchant!,
    clock: systemClock,
    logger: createLogger('error'),
    actor: 'bench',
    requestId: undefined,
  };
  console.log('\nfrom the insight facts vs from every row (the definition):');
  for (const path of reports.filter((r) => r.includes(ONLY))) {
    const [route, search] = path.split('?') as [string, string | undefined];
    const verb = route.endsWith('/program')
      ? programReport
      : route.endsWith('/referrals-satisfaction')
        ? referralsSatisfactionReport
        : null;
    if (!verb) continue;
    const query = Object.fromEntries(new URLSearchParams(search ?? ''));
    const time = async (source: ReportSource) => {
      const start = performance.now();
      await verb(ctx, query, source);
      return performance.now() - start;
    };
    const facts = await time('auto');
    const rows = await time('rows');
    console.log(
      `${facts.toFixed(0).padStart(6)} ms vs ${rows.toFixed(0).padStart(6)} ms  (${(rows / facts).toFixed(1)}×)  ${path}`,
    );
  }

  // The slowest statement of the slowest report, with its plan.
  let worst = { ms: 0, plan: '' };
  for (const q of slowest.statements) {
    // In a transaction with the reports' own settings (see inSnapshot).
    const rows = await client.begin(async (tx) => {
      const settings = slowest.path.includes('/satisfaction') ? REPORT_SETTINGS : PARALLEL_REPORT_SETTINGS;
      for (const setting of settings) await tx.unsafe(setting);
      return tx.unsafe(`explain (analyze, buffers) ${q.sql}`, q.params as never[]);
    });
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    const ms = Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? 0);
    if (ms > worst.ms) worst = { ms, plan };
  }
  console.log(`\nEXPLAIN (ANALYZE, BUFFERS) of the slowest statement of GET ${slowest.path}:\n${worst.plan}`);
  await client.end();
}

const FILLED = [
  'customers',
  'ledger_entries',
  'orders',
  'survey_responses',
  'activities',
  'referral_codes',
  'referrals',
  'referral_clicks',
];

/**
 * Bulk load as a restore would: the secondary indexes are dropped and built again afterwards,
 * since maintaining them row by row on 10M random customer ids costs far more than one sorted build.
 */
async function fill(sql: postgres.Sql, m: string) {
  const indexes = await sql<{ name: string; def: string }[]>`
    select indexname as name, indexdef as def from pg_indexes
    where schemaname = 'public' and tablename in ${sql(FILLED)}
      and indexname not in (select conname from pg_constraint where contype = 'p')`;
  for (const i of indexes) await sql.unsafe(`drop index ${i.name}`);
  await insertRows(sql, m);
  const conn = await sql.reserve();
  await conn.unsafe(`set maintenance_work_mem = '256MB'`);
  for (const i of indexes) await conn.unsafe(i.def);
  conn.release();
}

/** Set-based synthetic data for one merchant: a year of activity. */
async function insertRows(sql: postgres.Sql, m: string) {
  const n = ENTRIES;
  const c = CUSTOMERS;
  const day = "interval '1 day'";
  await sql.unsafe(
    `insert into customers (merchant_id, id, available, pending, lifetime_earned, orders_count, created_at, updated_at)
     select $1, 'c' || g, (g * 37) % 500, (g * 11) % 50, 500, 1, now() - (g % 365) * ${day}, now()
     from generate_series(1::bigint, ${c}) g`,
    [m],
  );
  await sql.unsafe(
    `insert into ledger_entries (merchant_id, id, customer_id, kind, points, status, available_at, source_type,
       source_id, balance_after, actor, dedupe_key, occurred_at, created_at, forgiven)
     select $1, 'ent_' || lpad(g::text, 10, '0'), 'c' || (1 + (g * 7919) % ${c}), k.kind,
       case when k.kind in ('earn', 'referral', 'import') or (k.kind = 'adjust' and g % 2 = 0) then 10 + g % 90
            else -(1 + g % 40) end,
       'available', t.at, case when k.kind = 'redeem' then 'redemption' when k.kind = 'expire' then 'expiry' else 'order' end,
       'src' || g, 0, 'bench', 'bench:' || g, t.at, t.at, case when k.kind = 'reverse' and g % 7 = 0 then 1 else 0 end
     from generate_series(1::bigint, ${n}) g
     cross join lateral (select case g % 20 when 0 then 'redeem' when 1 then 'expire' when 2 then 'reverse'
       when 3 then 'adjust' when 4 then 'referral' else 'earn' end as kind) k
     cross join lateral (select now() - ((g * 104729) % (365 * 24 * 60)) * interval '1 minute' as at) t`,
    [m],
  );
  await sql.unsafe(
    `insert into orders (merchant_id, id, customer_id, total, currency, paid_at, request_hash, refunded_amount, created_at)
     select $1, 'o' || g, 'c' || (1 + (g * 6007) % ${c}), 1000 + (g * 31) % 20000, 'EUR',
       now() - ((g * 7) % 365) * ${day} - (g % 1440) * interval '1 minute', 'h',
       case when g % 17 = 0 then 500 else 0 end, now()
     from generate_series(1::bigint, ${Math.round(n * 0.3)}) g`,
    [m],
  );
  await sql.unsafe(
    `insert into survey_responses (merchant_id, id, customer_id, kind, score, responded_at, request_hash, created_at)
     select $1, 's' || g, 'c' || (1 + (g * 4099) % ${c}), case when g % 13 < 10 then 'nps' else 'csat' end,
       case when g % 13 < 10 then (g * 7) % 11 else 1 + (g * 3) % 5 end,
       now() - ((g * 13) % 365) * ${day} - (g % 1440) * interval '1 minute', 'h', now()
     from generate_series(1::bigint, ${Math.round(n * 0.13)}) g`,
    [m],
  );
  await sql.unsafe(
    `insert into activities (merchant_id, type, id, customer_id, payload, request_hash, occurred_at, created_at)
     select $1, case when g % 8 < 5 then 'share' else 'review' end, 'a' || g, 'c' || (1 + (g * 3001) % ${c}),
       case when g % 8 < 5 then '{"channel":"x"}' else '{"rating":' || (1 + g % 5) || '}' end, 'h',
       now() - ((g * 17) % 365) * ${day}, now()
     from generate_series(1::bigint, ${Math.round(n * 0.08)}) g`,
    [m],
  );
  const refs = Math.round(n * 0.02);
  await sql.unsafe(
    `insert into referral_codes (merchant_id, code, customer_id, created_at)
     select $1, 'CODE' || g, 'c' || g, now() - (g % 365) * ${day} from generate_series(1::bigint, ${refs}) g`,
    [m],
  );
  await sql.unsafe(
    `insert into referrals (merchant_id, id, code, referrer_id, referee_id, status, attributed_at, created_at)
     select $1, 'ref_' || g, 'CODE' || (1 + (g * 7) % ${Math.round(refs / 2)}), 'c' || (1 + (g * 7) % ${Math.round(refs / 2)}),
       'c' || (${c} - g), (array['pending', 'qualified', 'rewarded', 'rejected', 'reversed'])[1 + g % 5],
       now() - (g % 365) * ${day}, now()
     from generate_series(1::bigint, ${refs}) g`,
    [m],
  );
  await sql.unsafe(
    `insert into referral_clicks (merchant_id, id, code, created_at)
     select $1, 'clk_' || g, 'CODE' || (1 + g % ${refs}), now() - (g % 365) * ${day}
     from generate_series(1::bigint, ${Math.round(n * 0.1)}) g`,
    [m],
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
