/**
 * Ledger growth, on PostgreSQL (not run by the tests):
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench:growth -- [--max 10000000]
 *     [--seconds 10] [--rounds 2] [--warmup 3] [--connections 32] [--check] [--keep]
 *
 * Does the cost of an award, a balance read and a ledger page stay flat as one merchant's ledger
 * grows? In a scratch database `plaudit_bench_growth`, one merchant's ledger grows in steps
 * (10k, 1M, 10M entries; up to --max) of customers with 20 entries each, next to a hot customer
 * with 100k entries written in the first step (bench/growth-fill.ts: set-based INSERT … SELECT with
 * the secondary indexes dropped, then built again, then VACUUM ANALYZE). After each step a fresh
 * server process is loaded over HTTP by autocannon, one scenario at a
 * time, best of --rounds runs: awards (POST /v1/orders, one active rule), balance reads, first
 * ledger pages, for random customers and for the hot one, and deep pages of the hot customer by
 * cursor. Then an in-process app with auto_explain runs the same requests and reports the plans,
 * buffers and time of the statements they run (bench/growth-explain.ts): the buffer counts do not
 * depend on what else the machine is doing. The invariants of test/helpers/invariants.ts are
 * checked after each step up to 1.2M entries (every step with --check). Writes
 * bench/results/growth-<timestamp>.json and growth-<timestamp>-explain.txt.
 */
import { statfs } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { openDatabase } from '../src/entry/node-database';
import type { Db } from '../src/lib/db';
import { encodeCursor } from '../src/lib/pagination';
import { ledgerViolations } from '../test/helpers/invariants';
import { explainRequests } from './growth-explain';
import { type Batch, fillBatch, withoutSecondaryIndexes } from './growth-fill';
import { type Measured, measure, type Scenario, startServer } from './growth-load';
import { type StepResult, writeReport } from './growth-report';
import { call, freshDatabase, OPERATOR, SECRET } from './lib';

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl)
  throw new Error('Set DATABASE_URL to a PostgreSQL server (the scratch database is created next to it).');
const { values: opt } = parseArgs({
  options: {
    max: { type: 'string', default: '10000000' },
    seconds: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '2' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    check: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
  },
});
const PER_CUSTOMER = 20;
const HOT_ENTRIES = 100_000;
const max = Math.floor(Number(opt.max) / PER_CUSTOMER) * PER_CUSTOMER;
const steps = [...[10_000, 1_000_000, 10_000_000].filter((s) => s < max), max];
const connections = Number(opt.connections);
const started = Date.now();
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(0)} s`;

async function main() {
  const scratch = await freshDatabase(baseUrl!, 'plaudit_bench_growth');
  const migrated = await openDatabase({ databaseUrl: scratch.url, dataDir: 'memory://' });
  await migrated.migrate();
  await migrated.close();
  const sql = postgres(scratch.url, { max: 1, onnotice: () => {} });
  const out: StepResult[] = [];
  let server = await startServer(scratch.url);
  try {
    const made = await call(server.base, OPERATOR, 'POST', '/v1/merchants', {
      name: 'Growth',
      currency: 'EUR',
      timezone: 'UTC',
    });
    const m: string = made.merchant.id;
    const sk: string = made.secretKey;
    const rule = await call(server.base, sk, 'POST', '/v1/rules', {
      name: '1 point per euro',
      event: 'order.paid',
      reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' },
    });
    const reward = await call(server.base, sk, 'POST', '/v1/rewards', {
      name: 'Free shipping',
      kind: 'free_shipping',
      costPoints: 10,
      active: true,
    });
    const ids = { merchantId: m, ruleId: rule.id as string, rewardId: reward.id as string };
    server.stop();

    let filled = 0;
    for (const [i, step] of steps.entries()) {
      if (step > 1_000_000) await requireDisk(step);
      const t0 = performance.now();
      const log = (message: string) => console.log(`  [${elapsed()}] step ${step}: ${message}`);
      await withoutSecondaryIndexes(
        sql,
        async () => {
          if (i === 0) await fillBatch(sql, hotBatch(ids));
          await fillBatch(sql, ordinaryBatch(ids, filled, step), 1_000_000, (done, total) =>
            log(`${done}/${total} entries written`),
          );
        },
        log,
      );
      await sql.unsafe('vacuum analyze ledger_entries, lots, orders, redemptions, customers');
      log('vacuum analyze done');
      filled = step;
      const fillSeconds = Math.round((performance.now() - t0) / 1000);
      const [counts] = await sql`select
        (select count(*) from ledger_entries where merchant_id = ${m})::int as entries,
        (select count(*) from customers where merchant_id = ${m})::int as customers`;
      console.log(
        `[${elapsed()}] step ${step}: ${counts!.entries} entries, filled and indexed in ${fillSeconds} s`,
      );
      if (opt.check || counts!.entries <= 1_200_000) {
        const db = drizzle({ client: sql, casing: 'snake_case' }) as unknown as Db;
        const bad = await ledgerViolations(db, m);
        if (bad.length > 0) throw new Error(`ledger invariants violated: ${JSON.stringify(bad.slice(0, 5))}`);
        console.log(`[${elapsed()}] invariants hold for all ${counts!.customers} customers`);
      }

      server = await startServer(scratch.url);
      const scenarios = await scenariosFor(sql, m, i, filled / PER_CUSTOMER);
      const before = loadavg();
      const results: Measured[] = [];
      for (const s of scenarios) results.push(await best(server.base, sk, s));
      const after = loadavg();
      server.stop();
      const explained = await explainRequests(
        scratch.url,
        SECRET,
        sk,
        scenarios.map((s) => ({ label: s.name, method: s.method, next: s.next })),
      );
      out.push({
        step,
        entries: counts!.entries,
        customers: counts!.customers,
        fillSeconds,
        sizes: await sizes(sql),
        loadavg: { before: before.map(round2), after: after.map(round2) },
        results,
        explained,
      });
    }
    await writeReport(out, {
      args: process.argv.slice(2),
      connections,
      seconds: Number(opt.seconds),
      started,
    });
  } finally {
    server.stop();
    await sql.end({ timeout: 5 });
    if (!opt.keep) await scratch.drop();
  }
}

const hotBatch = (ids: Pick<Batch, 'merchantId' | 'ruleId' | 'rewardId'>): Batch => ({
  ...ids,
  prefix: 'hot',
  first: 0,
  customers: 1,
  rounds: HOT_ENTRIES,
  offset: 0,
  timeOffset: 0,
  timeTotal: HOT_ENTRIES,
});

/** The customers of entries (from, to], numbered after the hot customer's entries. */
const ordinaryBatch = (
  ids: Pick<Batch, 'merchantId' | 'ruleId' | 'rewardId'>,
  from: number,
  to: number,
): Batch => ({
  ...ids,
  prefix: 'c',
  first: from / PER_CUSTOMER + 1,
  customers: (to - from) / PER_CUSTOMER,
  rounds: PER_CUSTOMER,
  offset: HOT_ENTRIES + from,
  timeOffset: from,
  timeTotal: max,
});

/** A warm-up, then the run with the most requests per second of --rounds: other load only slows. */
async function best(base: string, sk: string, s: Scenario): Promise<Measured> {
  await measure(base, sk, s, connections, Number(opt.warmup));
  let top: Measured | undefined;
  for (let r = 0; r < Number(opt.rounds); r++) {
    const run = await measure(base, sk, s, connections, Number(opt.seconds));
    if (run.non2xx > 0 || run.errors > 0)
      throw new Error(`${s.name}: ${run.non2xx} non-2xx, ${run.errors} errors`);
    if (!top || run.requestsPerSecond > top.requestsPerSecond) top = run;
  }
  console.log(
    `  ${s.name.padEnd(26)} ${top!.requestsPerSecond} req/s  p50 ${top!.p50} ms  p99 ${top!.p99} ms`,
  );
  return top!;
}

/** Random customers are drawn from all written so far; deep pages start 50k to 100k entries back. */
async function scenariosFor(
  sql: postgres.Sql,
  m: string,
  step: number,
  customers: number,
): Promise<Scenario[]> {
  const some = () => `c${1 + Math.floor(Math.random() * customers)}`;
  const seqs = await sql`select seq from ledger_entries where merchant_id = ${m} and customer_id = 'hot'
    order by seq limit ${HOT_ENTRIES / 2}`;
  const cursors = seqs.filter((_, k) => k % 250 === 0).map((r) => encodeCursor([Number(r.seq)]));
  let n = 0;
  const order = (customerId: string) => ({
    path: '/v1/orders',
    body: { id: `s${step}-${++n}`, customerId, total: 1_000 + (n % 50_000), currency: 'EUR' },
  });
  return [
    { name: 'award, random customer', method: 'POST', next: () => order(some()) },
    { name: 'award, hot customer', method: 'POST', next: () => order('hot') },
    { name: 'balance, random customer', method: 'GET', next: () => ({ path: `/v1/customers/${some()}` }) },
    { name: 'balance, hot customer', method: 'GET', next: () => ({ path: '/v1/customers/hot' }) },
    {
      name: 'ledger page 1, random',
      method: 'GET',
      next: () => ({ path: `/v1/customers/${some()}/ledger` }),
    },
    { name: 'ledger page 1, hot', method: 'GET', next: () => ({ path: '/v1/customers/hot/ledger' }) },
    {
      name: 'ledger deep page, hot',
      method: 'GET',
      next: () => ({ path: `/v1/customers/hot/ledger?cursor=${cursors[++n % cursors.length]}` }),
    },
  ];
}

async function sizes(sql: postgres.Sql) {
  const rows = await sql`select relname, pg_size_pretty(pg_total_relation_size(oid)) as size from pg_class
    where relname in ('ledger_entries', 'lots', 'orders', 'customers', 'redemptions') order by relname`;
  return Object.fromEntries(rows.map((r) => [r.relname, r.size]));
}

async function requireDisk(step: number) {
  const fs = await statfs('/');
  const freeGb = (fs.bavail * fs.bsize) / 1e9;
  // About 1 kB per entry with its lot, order, indexes and WAL, plus headroom.
  const needGb = (step / 1e6) * 1.2 + 5;
  if (freeGb < needGb)
    throw new Error(`step ${step} needs ~${needGb} GB of disk, ${freeGb.toFixed(1)} GB free`);
}

const round2 = (x: number) => Math.round(x * 100) / 100;

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
