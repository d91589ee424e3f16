/**
 * Crash checks against PostgreSQL, each on a fresh database:
 *   kill9     SIGKILL the Node server under load, start a new one on the same database, keep loading
 *   pgrestart restart the local PostgreSQL cluster under load; the same server must recover by itself
 * After each, every acknowledged (2xx) order and redemption must be in the database exactly once with
 * its ledger entry, and the ledger/redemption invariants must hold. Exits non-zero on any failed check.
 * Usage:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/crash.ts [kill9|pgrestart|all]
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { openDatabase } from '../src/entry/node-database';
import { ledgerViolations, redemptionViolations } from '../test/helpers/invariants';
import { call, freshDatabase, OPERATOR, startServer } from './lib';

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) throw new Error('Set DATABASE_URL to a PostgreSQL server (a fresh database is created on it).');
const which = process.argv[2] ?? 'all';
const WORKERS = 16;
const CUSTOMERS = 50;
const QUIET = { LOG_LEVEL: 'silent' }; // every status is counted here; crashes still reach stderr
const RESTART_PG = 'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
setTimeout(() => {
  console.error('crash bench: overall time limit (180 s) reached');
  process.exit(2);
}, 180_000).unref();

const failures: string[] = [];
const check = (ok: boolean, what: string) => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
};

/** Concurrent order + redemption load with plain fetch; `target.base` can be switched mid-run. */
class Load {
  target: { base: string };
  statuses = new Map<string, number>();
  connErrors = 0;
  orders: string[] = [];
  redemptions: string[] = [];
  bad: string[] = []; // 5xx other than a service-unavailable problem
  lastOkAt = 0;
  slowestMs = 0;
  private stopped = false;
  private n = 0;
  private running: Promise<void>[] = [];

  constructor(
    base: string,
    private sk: string,
    private rewardId: string,
    private tag: string,
  ) {
    this.target = { base };
    for (let i = 0; i < WORKERS; i++) this.running.push(this.worker());
  }

  async stop() {
    this.stopped = true;
    await Promise.all(this.running);
  }

  count(status: string) {
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  get ok() {
    return this.orders.length + this.redemptions.length;
  }

  private async worker() {
    while (!this.stopped) {
      const n = ++this.n;
      const isOrder = n % 2 === 0;
      const orderId = `o-${this.tag}-${n}`;
      const body = isOrder
        ? { id: orderId, customerId: `c-${n % CUSTOMERS}`, total: 1_000 + (n % 50_000), currency: 'EUR' }
        : { customerId: `c-${n % CUSTOMERS}`, rewardId: this.rewardId };
      let res: Response;
      let text: string;
      const t = Date.now();
      try {
        res = await fetch(`${this.target.base}/v1/${isOrder ? 'orders' : 'redemptions'}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${this.sk}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(10_000),
        });
        text = await res.text();
      } catch {
        this.connErrors++;
        await sleep(20);
        continue;
      }
      this.slowestMs = Math.max(this.slowestMs, Date.now() - t);
      this.count(String(res.status));
      if (res.ok) {
        this.lastOkAt = Date.now();
        if (isOrder) this.orders.push(orderId);
        else this.redemptions.push((JSON.parse(text) as { id: string }).id);
      } else if (res.status >= 500) {
        const type = res.status === 503 && (JSON.parse(text) as { type?: string }).type;
        const problem = res.headers.get('content-type')?.startsWith('application/problem+json');
        if (!(problem && type === '/problems/service-unavailable')) this.bad.push(`${res.status} ${text}`);
        else await sleep(20);
      }
    }
  }

  checkNo5xx() {
    check(
      this.bad.length === 0,
      `only 503 service-unavailable among 5xx${this.bad.length ? `: ${this.bad.slice(0, 2).join(' | ')}` : ''}`,
    );
  }

  summary() {
    return `2xx orders ${this.orders.length}, 2xx redemptions ${this.redemptions.length}, connection errors ${this.connErrors}, slowest answer ${this.slowestMs} ms, statuses ${JSON.stringify(Object.fromEntries(this.statuses))}`;
  }
}

async function setup(base: string) {
  const { merchant, secretKey } = await call(base, OPERATOR, 'POST', '/v1/merchants', {
    name: 'Crash',
    currency: 'EUR',
    timezone: 'UTC',
  });
  await call(base, secretKey, 'POST', '/v1/rules', {
    name: '1 point per euro',
    event: 'order.paid',
    reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' },
  });
  const reward = await call(base, secretKey, 'POST', '/v1/rewards', {
    name: 'Free shipping',
    kind: 'free_shipping',
    costPoints: 10,
    active: true,
  });
  for (let i = 0; i < CUSTOMERS; i++) {
    await call(base, secretKey, 'PUT', `/v1/customers/c-${i}`, {});
    await call(base, secretKey, 'POST', `/v1/customers/c-${i}/adjustments`, {
      points: 1_000,
      reason: 'crash',
    });
  }
  return { merchantId: merchant.id as string, sk: secretKey as string, rewardId: reward.id as string };
}

/** Every acknowledged write is stored exactly once with its ledger entry; the invariants hold. */
async function verify(databaseUrl: string, merchantId: string, load: Load) {
  const pg = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const database = await openDatabase({ databaseUrl, dataDir: 'x', poolSize: 2 });
  try {
    const badOrders = await pg`
      select x.id from unnest(string_to_array(${load.orders.join(',')}, ',')) as x(id)
      where (select count(*) from orders o where o.merchant_id = ${merchantId} and o.id = x.id) <> 1
         or (select count(*) from ledger_entries e where e.merchant_id = ${merchantId}
             and e.source_type = 'order' and e.source_id = x.id and e.kind = 'earn') <> 1`;
    check(
      badOrders.length === 0,
      `${load.orders.length} acknowledged orders stored once with one earn entry`,
    );
    const badRedemptions = await pg`
      select x.id from unnest(string_to_array(${load.redemptions.join(',')}, ',')) as x(id)
      where (select count(*) from redemptions r where r.merchant_id = ${merchantId} and r.id = x.id) <> 1
         or (select count(*) from ledger_entries e where e.merchant_id = ${merchantId} and e.kind = 'redeem'
             and e.source_type = 'redemption' and e.source_id = x.id and e.points < 0) <> 1`;
    check(
      badRedemptions.length === 0,
      `${load.redemptions.length} acknowledged redemptions stored with their debit`,
    );
    if (badOrders.length + badRedemptions.length > 0)
      console.log(
        '    e.g.',
        [...badOrders, ...badRedemptions].slice(0, 5).map((r) => r.id),
      );
    const ledger = await ledgerViolations(database.db, merchantId);
    check(ledger.length === 0, `ledger invariants (${ledger.length} violations)`);
    if (ledger.length) console.log('    e.g.', ledger.slice(0, 3));
    const redemptions = await redemptionViolations(database.db, merchantId);
    check(redemptions.length === 0, `redemption invariants (${redemptions.length} violations)`);
    if (redemptions.length) console.log('    e.g.', redemptions.slice(0, 3));
    const [neg] = await pg`select count(*)::int as n from customers where merchant_id = ${merchantId}
      and (available < 0 or pending < 0 or reserved < 0)`;
    check(neg?.n === 0, 'no negative customer balance');
  } finally {
    await database.close();
    await pg.end();
  }
}

async function kill9(databaseUrl: string) {
  let server = await startServer(databaseUrl, QUIET);
  try {
    const { merchantId, sk, rewardId } = await setup(server.base);
    const pid = server.child.pid!;
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    check(
      cmdline[0] === process.execPath && cmdline.includes('src/entry/node.ts'),
      `pid ${pid} is node itself`,
    );
    const started = Date.now();
    const load = new Load(server.base, sk, rewardId, 'k');
    await sleep(3_000);
    const before = load.ok;
    const exited = new Promise((r) => server.child.once('exit', r));
    server.child.kill('SIGKILL');
    await exited;
    const killedAt = Date.now();
    const errorsBefore = load.connErrors;
    server = await startServer(databaseUrl, QUIET);
    load.target.base = server.base;
    const okAtRestart = load.ok;
    const outage = Date.now() - killedAt;
    await sleep(Math.max(3_000, 8_000 - (Date.now() - started)));
    await load.stop();
    console.log(`  ${load.summary()}`);
    console.log(
      `  2xx before kill ${before}; outage ${outage} ms, ${load.connErrors - errorsBefore} connection errors`,
    );
    load.checkNo5xx();
    check(load.ok > okAtRestart, 'writes succeed on the restarted server');
    await verify(databaseUrl, merchantId, load);
  } finally {
    server.stop();
  }
}

async function pgRestart(databaseUrl: string) {
  const server = await startServer(databaseUrl, QUIET);
  let t0 = Date.now();
  let died = '';
  const exited = new Promise<void>((resolve) =>
    server.child.once('exit', (code, signal) => {
      died = `exited (${code ?? signal}) ${Date.now() - t0} ms after the restart began`;
      resolve();
    }),
  );
  try {
    const { merchantId, sk, rewardId } = await setup(server.base);
    const load = new Load(server.base, sk, rewardId, 'p');
    await sleep(2_000);
    const okBefore = load.ok;
    const seen = new Map(load.statuses);
    t0 = Date.now();
    // Async, so the load keeps running from this process while the cluster stops and starts.
    await promisify(execFile)(`${RESTART_PG} restart`, { shell: true });
    const restartedAt = Date.now();
    while (!died && load.lastOkAt <= restartedAt && Date.now() - restartedAt < 30_000) await sleep(50);
    const recovered = load.lastOkAt > restartedAt;
    const during = [...load.statuses].map(([s, n]) => `${s}:${n - (seen.get(s) ?? 0)}`).join(' ');
    const okAtRecovery = load.ok;
    await sleep(died ? 0 : 2_000);
    await load.stop();
    check(!died, `the server process is still alive${died && ` — it ${died} (see its stderr above)`}`);
    console.log(`  ${load.summary()}`);
    console.log(
      `  restart took ${restartedAt - t0} ms; first 2xx ${recovered ? `${load.lastOkAt - restartedAt} ms after` : 'never'}; outage statuses ${during}`,
    );
    load.checkNo5xx();
    check(recovered, 'the same server answers 2xx again within 30 s of the restart');
    if (recovered) check(load.ok > okAtRecovery && okBefore > 0, 'writes keep succeeding after recovery');
    await verify(databaseUrl, merchantId, load);
  } finally {
    if (!died) {
      server.stop();
      await Promise.race([exited, sleep(10_000)]);
      console.log(`  on SIGTERM the server ${died || 'did not exit within 10 s'}`);
    }
    for (let i = 0; i < 60; i++) {
      try {
        execFileSync('pg_isready -q', { shell: true });
        break;
      } catch {
        if (i === 10) execFileSync(`${RESTART_PG} start || true`, { shell: true });
        await sleep(1_000);
      }
    }
  }
}

const scenarios: Record<string, (url: string) => Promise<void>> = { kill9, pgrestart: pgRestart };
for (const name of which === 'all' ? Object.keys(scenarios) : [which]) {
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`unknown scenario ${name}; one of ${Object.keys(scenarios).join(', ')}`);
  console.log(`${name}:`);
  const db = await freshDatabase(baseUrl, `plaudit_crash_${Date.now().toString(36)}`);
  try {
    await scenario(db.url);
  } catch (error) {
    check(false, `${name} aborted: ${(error as Error).message}`);
  } finally {
    await sleep(500);
    await db.drop().catch(() => {});
  }
}
console.log(failures.length ? `FAILED: ${failures.length} check(s)` : 'all crash checks passed');
process.exit(failures.length ? 1 : 0);
