/**
 * Quick loads of the hot paths against PostgreSQL, each on a fresh database and server:
 *   orders       POST /v1/orders with one active rule, unique order ids, 1,000 customers
 *   redemptions  POST /v1/redemptions of a 10-point reward by 200 customers with large balances
 *   customer     GET /v1/customers/{id} over 200 customers
 * Usage:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/quick.ts [scenario|all] [seconds] [connections]
 * Prints one JSON line per scenario: requests/s, p50 and p99 latency (ms), non-2xx count.
 */
import { call, freshDatabase, load, OPERATOR, startServer } from './lib';

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) throw new Error('Set DATABASE_URL to a PostgreSQL server (a fresh database is created on it).');
const which = process.argv[2] ?? 'all';
const seconds = Number(process.argv[3] ?? 10);
const connections = Number(process.argv[4] ?? 32);
const CUSTOMERS = 200;

type Scenario = (base: string, sk: string) => Promise<Parameters<typeof load>[0]>;

const scenarios: Record<string, Scenario> = {
  orders: async (base, sk) => {
    await call(base, sk, 'POST', '/v1/rules', {
      name: '1 point per euro',
      event: 'order.paid',
      reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' },
    });
    let n = 0;
    return {
      name: 'POST /v1/orders',
      url: `${base}/v1/orders`,
      method: 'POST',
      headers: { authorization: `Bearer ${sk}`, 'content-type': 'application/json' },
      body: () => ({
        id: `o-${++n}`,
        customerId: `c-${n % 1000}`,
        total: 1_000 + (n % 50_000),
        currency: 'EUR',
      }),
      connections,
      seconds,
    };
  },
  redemptions: async (base, sk) => {
    const reward = await call(base, sk, 'POST', '/v1/rewards', {
      name: 'Free shipping',
      kind: 'free_shipping',
      costPoints: 10,
      active: true,
    });
    for (let i = 0; i < CUSTOMERS; i++) {
      await call(base, sk, 'PUT', `/v1/customers/c-${i}`, {});
      await call(base, sk, 'POST', `/v1/customers/c-${i}/adjustments`, {
        points: 10_000_000,
        reason: 'bench',
      });
    }
    let n = 0;
    return {
      name: 'POST /v1/redemptions',
      url: `${base}/v1/redemptions`,
      method: 'POST',
      headers: { authorization: `Bearer ${sk}`, 'content-type': 'application/json' },
      body: () => ({ customerId: `c-${++n % CUSTOMERS}`, rewardId: reward.id }),
      connections,
      seconds,
    };
  },
  customer: async (base, sk) => {
    for (let i = 0; i < CUSTOMERS; i++)
      await call(base, sk, 'PUT', `/v1/customers/c-${i}`, { name: `Customer ${i}` });
    return {
      name: 'GET /v1/customers/{id}',
      url: `${base}/v1/customers/c-1`,
      headers: { authorization: `Bearer ${sk}` },
      connections,
      seconds,
    };
  },
};

for (const name of which === 'all' ? Object.keys(scenarios) : [which]) {
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`unknown scenario ${name}; one of ${Object.keys(scenarios).join(', ')}`);
  const db = await freshDatabase(baseUrl, `plaudit_bench_${Date.now().toString(36)}`);
  const server = await startServer(db.url);
  try {
    const { secretKey } = await call(server.base, OPERATOR, 'POST', '/v1/merchants', {
      name: 'Bench',
      currency: 'EUR',
      timezone: 'UTC',
    });
    console.log(JSON.stringify(await load(await scenario(server.base, secretKey))));
  } finally {
    server.stop();
    await new Promise((r) => setTimeout(r, 500));
    await db.drop();
  }
}
