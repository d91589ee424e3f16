/**
 * Measures the ceilings Plaudit's hot paths are compared with, on this machine and in this run:
 * pgbench running the award's write shape, and a bare Hono + postgres.js server doing that
 * write and a primary-key read (`npm run bench` measures them alongside Plaudit). Usage:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/ceiling.ts [seconds] [connections]
 */
import { BARE_CUSTOMERS, createBareTables, pgbench, startBareServer } from './bare';
import { freshDatabase, load } from './lib';

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) throw new Error('Set DATABASE_URL to a PostgreSQL server (a fresh database is created on it).');
const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 32);

const db = await freshDatabase(baseUrl, `plaudit_ceiling_${Date.now().toString(36)}`);
try {
  await createBareTables(db.url);
  // pgbench: the same transaction, no HTTP, no Node.
  const tx = await pgbench(db.url, 'award', connections, seconds);
  console.log(JSON.stringify({ name: 'pgbench award transaction', connections, seconds, ...tx }));

  const bare = await startBareServer(db.url);
  try {
    let n = 0;
    const write = await load({
      name: 'bare Hono + postgres.js award write',
      url: `${bare.base}/award`,
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: () => ({ customer: (++n % BARE_CUSTOMERS) + 1, points: 10 }),
      connections,
      seconds,
    });
    console.log(JSON.stringify(write));
    const read = await load({
      name: 'bare Hono + postgres.js point select',
      url: `${bare.base}/balance/1`,
      headers: {},
      connections,
      seconds,
    });
    console.log(JSON.stringify(read));
  } finally {
    await bare.stop();
  }
} finally {
  await db.drop();
}
