import type postgres from 'postgres';

/**
 * Set-based ledger rows for the growth benchmark, shaped like the app's and reconciled with the
 * balances (test/helpers/invariants.ts holds for them).
 *
 * A batch of `customers` customers gets `rounds` entries each, written round by round (every
 * customer's round r before anyone's round r + 1), so one customer's entries are spread over
 * the table as they would be over time. Round r of customer j is, for `p = base(r) + j % 7`:
 * - `earn` of p points from an order, with its lot and order row (most rounds);
 * - a still `pending` earn (lot not matured, available in 14 days) at round `rounds - 3`;
 * - a `redeem` of the previous round's points (r % 10 = 9), with a used redemption that took
 *   that whole lot (its `remaining` is 0).
 * Every customer of a batch has the same rounds, so their balances and `balance_after` follow
 * from per-round sums computed here.
 */
export interface Batch {
  merchantId: string;
  ruleId: string;
  rewardId: string;
  /** Customer ids are `prefix || (first + j)`, or `prefix` alone when the batch has one customer. */
  prefix: string;
  first: number;
  customers: number;
  rounds: number;
  /** Entry, lot, order and redemption numbers of this batch start after `offset`. */
  offset: number;
  /** Entries are spread over the last two years by `(timeOffset + g) / timeTotal`. */
  timeOffset: number;
  timeTotal: number;
}

const EARN = 0;
const PENDING = 1;
const DEBIT = 2;
const base = (r: number) => 10 + ((r * 37) % 90);

function roundsOf(rounds: number) {
  if (rounds % 10 !== 0) throw new Error('rounds must be a multiple of 10');
  const kind: number[] = [];
  const availBase: number[] = [];
  const availK: number[] = [];
  const t = { avail: 0, availK: 0, earned: 0, earnedK: 0, redeemed: 0, redeemedK: 0, orders: 0 };
  for (let r = 0; r < rounds; r++) {
    const k = r % 10 === 9 ? DEBIT : r === rounds - 3 ? PENDING : EARN;
    kind.push(k);
    if (k === DEBIT) {
      t.avail -= base(r - 1);
      t.availK -= 1;
      t.redeemed += base(r - 1);
      t.redeemedK += 1;
    } else {
      if (k === EARN) {
        t.avail += base(r);
        t.availK += 1;
      }
      t.earned += base(r);
      t.earnedK += 1;
      t.orders += 1;
    }
    availBase.push(t.avail);
    availK.push(t.availK);
  }
  return { kind, availBase, availK, totals: t, pendingBase: base(rounds - 3) };
}

const pgArray = (xs: number[]) => `{${xs.join(',')}}`;
const pad = (expr: string) => `lpad((${expr})::text, 25, '0')`;
// Zero-padded so that, like the app's time-ordered ids, new keys land at the end of the indexes.
const orderId = `'o_' || lpad(n::text, 12, '0')`;

/** Writes one batch, in statements of at most `chunk` entries; `onChunk` reports progress. */
export async function fillBatch(
  sql: postgres.Sql,
  b: Batch,
  chunk = 1_000_000,
  onChunk: (done: number, total: number) => void = () => {},
) {
  const rr = roundsOf(b.rounds);
  const t = rr.totals;
  const id = (j: string) => (b.customers === 1 ? `'${b.prefix}'` : `'${b.prefix}' || (${b.first} + ${j})`);
  await sql.unsafe(
    `insert into customers (merchant_id, id, available, pending, lifetime_earned, lifetime_redeemed, orders_count,
       last_activity_at, created_at, updated_at)
     select $1, ${id('j')}, ${t.avail} + ${t.availK} * (j % 7), ${rr.pendingBase} + j % 7,
       ${t.earned} + ${t.earnedK} * (j % 7), ${t.redeemed} + ${t.redeemedK} * (j % 7), ${t.orders},
       now(), now() - interval '730 days', now()
     from generate_series(0, ${b.customers - 1}) j`,
    [b.merchantId],
  );
  const total = b.customers * b.rounds;
  for (let lo = 1; lo <= total; lo += chunk) {
    const hi = Math.min(total, lo + chunk - 1);
    // One row per entry: g its number in the batch, j its customer, r its round, k its kind.
    const rows = `(select g, j, r, ${b.offset} + g as n, ${id('j')} as customer,
        ($2::int[])[r + 1] as k, 10 + (r * 37) % 90 + j % 7 as p, 10 + ((r - 1) * 37) % 90 + j % 7 as prev,
        now() - interval '730 days' * (1 - (${b.timeOffset} + g)::float8 / ${b.timeTotal}) as at
      from generate_series(${lo}::bigint, ${hi}) g
      cross join lateral (select (g - 1) % ${b.customers} as j, ((g - 1) / ${b.customers})::int as r) x) x`;
    const params = [b.merchantId, pgArray(rr.kind)];
    await sql.unsafe(
      `insert into ledger_entries (merchant_id, id, customer_id, kind, points, status, available_at, source_type,
         source_id, rule_id, lot_id, balance_after, actor, dedupe_key, occurred_at, created_at)
       select $1, 'ent_' || ${pad('n')}, customer, case when k = ${DEBIT} then 'redeem' else 'earn' end,
         case when k = ${DEBIT} then -prev else p end, case when k = ${PENDING} then 'pending' else 'available' end,
         case when k = ${PENDING} then now() + interval '14 days' else at end,
         case when k = ${DEBIT} then 'redemption' else 'order' end,
         case when k = ${DEBIT} then 'rdm_' || ${pad('n')} else ${orderId} end,
         case when k = ${DEBIT} then null else '${b.ruleId}' end,
         case when k = ${DEBIT} then null else 'lot_' || ${pad('n')} end,
         ($3::int[])[r + 1] + ($4::int[])[r + 1] * (j % 7), 'seed',
         case when k = ${DEBIT} then null else 'order:' || ${orderId} || ':rule:${b.ruleId}' end, at, at
       from ${rows}`,
      [...params, pgArray(rr.availBase), pgArray(rr.availK)],
    );
    await sql.unsafe(
      `insert into lots (merchant_id, id, customer_id, entry_id, points, remaining, matured, available_at, created_at)
       select $1, 'lot_' || ${pad('n')}, customer, 'ent_' || ${pad('n')}, p,
         case when r % 10 = 8 then 0 else p end, k = ${EARN},
         case when k = ${PENDING} then now() + interval '14 days' else at end, at
       from ${rows} where k <> ${DEBIT}`,
      params,
    );
    await sql.unsafe(
      `insert into orders (merchant_id, id, customer_id, total, currency, paid_at, request_hash, points_earned, created_at)
       select $1, ${orderId}, customer, p * 100, 'EUR', at, 'seed', p, at
       from ${rows} where k <> ${DEBIT}`,
      params,
    );
    await sql.unsafe(
      `insert into redemptions (merchant_id, id, customer_id, reward_id, status, points_spent, terms, debit_entry_id,
         issued_at, used_at, created_at, updated_at)
       select $1, 'rdm_' || ${pad('n')}, customer, '${b.rewardId}', 'used', prev,
         '{"name":"Free shipping","kind":"free_shipping","value":null,"currency":null,"productId":null}'::jsonb,
         'ent_' || ${pad('n')}, at, at, at, at
       from ${rows} where k = ${DEBIT}`,
      params,
    );
    onChunk(hi, total);
  }
}

const TABLES = ['ledger_entries', 'lots', 'orders', 'redemptions'];

/**
 * Runs `fill` with the secondary indexes of the filled tables dropped, then builds them again:
 * millions of random B-tree inserts cost far more than one sorted build. Primary keys stay
 * (the generated keys arrive in order). Built indexes are denser than grown ones (leaves 90% full
 * rather than about 70%), at every step alike; the benchmark's own writes then grow them as usual.
 */
export async function withoutSecondaryIndexes(
  sql: postgres.Sql,
  fill: () => Promise<void>,
  log: (message: string) => void = () => {},
) {
  const indexes = await sql<{ name: string; def: string }[]>`
    select i.indexname as name, i.indexdef as def from pg_indexes i
    where i.schemaname = 'public' and i.tablename in ${sql(TABLES)}
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`;
  for (const i of indexes) await sql.unsafe(`drop index "${i.name}"`);
  await fill();
  const t0 = performance.now();
  await sql.begin(async (tx) => {
    await tx.unsafe(`set local maintenance_work_mem = '512MB'`);
    for (const i of indexes) await tx.unsafe(i.def);
  });
  log(`${indexes.length} secondary indexes built in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
