/**
 * A quick load of the award path: `POST /v1/orders` with one active rule, unique order ids,
 * 1,000 customers, against PostgreSQL. Usage:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/orders-quick.ts [seconds] [connections]
 */
import { call, freshDatabase, load, OPERATOR, startServer } from './lib';

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) throw new Error('Set DATABASE_URL to a PostgreSQL server (a fresh database is created on it).');
const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 32);

const db = await freshDatabase(baseUrl, `plaudit_bench_${Date.now().toString(36)}`);
const server = await startServer(db.url);
try {
  const { secretKey } = await call(server.base, OPERATOR, 'POST', '/v1/merchants', {
    name: 'Bench',
    currency: 'EUR',
    timezone: 'UTC',
  });
  await call(server.base, secretKey, 'POST', '/v1/rules', {
    name: '1 point per euro',
    event: 'order.paid',
    reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' },
  });
  let n = 0;
  const result = await load({
    name: 'POST /v1/orders',
    url: `${server.base}/v1/orders`,
    method: 'POST',
    headers: { authorization: `Bearer ${secretKey}`, 'content-type': 'application/json' },
    body: () => ({
      id: `o-${++n}`,
      customerId: `c-${n % 1000}`,
      total: 1_000 + (n % 50_000),
      currency: 'EUR',
    }),
    connections,
    seconds,
  });
  console.log(JSON.stringify(result));
} finally {
  server.stop();
  await new Promise((r) => setTimeout(r, 500));
  await db.drop();
}
