/**
 * Measures the ceilings Plaudit's hot paths are compared with, on this machine and in this run:
 * pgbench running the award's write shape, and a bare Hono + postgres.js server doing that
 * write and a primary-key read. Usage:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/ceiling.ts [seconds] [connections]
 */
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { freePort, freshDatabase, load } from './lib';

const baseUrl = process.env.DATABASE_URL;
if (!baseUrl) throw new Error('Set DATABASE_URL to a PostgreSQL server (a fresh database is created on it).');
const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 32);
const CUSTOMERS = 1000;

const db = await freshDatabase(baseUrl, `plaudit_ceiling_${Date.now().toString(36)}`);
const sql = postgres(db.url, { max: 1, onnotice: () => {} });
await sql`create table bench_entries (id bigserial primary key, customer int not null, points int not null, created_at timestamptz not null default now())`;
await sql`create table bench_balances (customer int primary key, points int not null check (points >= 0))`;
await sql`insert into bench_balances select g, 0 from generate_series(1, ${CUSTOMERS}) g`;
await sql.end();

try {
  // pgbench: the same transaction, no HTTP, no Node.
  const script = path.join(tmpdir(), `plaudit-award-${process.pid}.sql`);
  writeFileSync(
    script,
    `\\set c random(1, ${CUSTOMERS})\nBEGIN;\nINSERT INTO bench_entries (customer, points) VALUES (:c, 10);\nUPDATE bench_balances SET points = points + 10 WHERE customer = :c;\nEND;\n`,
  );
  const u = new URL(db.url);
  const out = execFileSync(
    'pgbench',
    [
      '-h',
      u.hostname,
      '-p',
      u.port || '5432',
      '-U',
      u.username || 'postgres',
      '-n',
      '-c',
      String(connections),
      '-j',
      '2',
      '-T',
      String(seconds),
      '-f',
      script,
      u.pathname.slice(1),
    ],
    { encoding: 'utf8' },
  );
  const tps = Number(/tps = ([\d.]+)/.exec(out)?.[1] ?? 0);
  const latency = Number(/latency average = ([\d.]+)/.exec(out)?.[1] ?? 0);
  console.log(
    JSON.stringify({
      name: 'pgbench award transaction',
      connections,
      seconds,
      requestsPerSecond: Math.round(tps),
      latencyAverage: latency,
    }),
  );

  // The bare HTTP server.
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/bare-server.ts'], {
    env: { ...process.env, PORT: String(port), DATABASE_URL: db.url },
    stdio: 'inherit',
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    let n = 0;
    console.log(
      JSON.stringify(
        await load({
          name: 'bare Hono + postgres.js award write',
          url: `${base}/award`,
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: () => ({ customer: (++n % CUSTOMERS) + 1, points: 10 }),
          connections,
          seconds,
        }),
      ),
    );
    console.log(
      JSON.stringify(
        await load({
          name: 'bare Hono + postgres.js point select',
          url: `${base}/balance/1`,
          headers: {},
          connections,
          seconds,
        }),
      ),
    );
  } finally {
    child.kill('SIGTERM');
  }
} finally {
  await new Promise((r) => setTimeout(r, 300));
  await db.drop();
}
