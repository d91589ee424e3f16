/**
 * The ceilings' side of a benchmark: the award's write shape in plain SQL, run by pgbench and by
 * a bare Hono + postgres.js server (bench/bare-server.ts), on tables of their own.
 */
import { execFile, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { freePort, waitForHealth } from './lib';

export const BARE_CUSTOMERS = 1000;

export async function createBareTables(databaseUrl: string) {
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  await sql`create table bench_entries (id bigserial primary key, customer int not null, points int not null, created_at timestamptz not null default now())`;
  await sql`create table bench_balances (customer int primary key, points int not null check (points >= 0))`;
  await sql`insert into bench_balances select g, 0 from generate_series(1, ${BARE_CUSTOMERS}) g`;
  await sql.end();
}

const SCRIPTS = {
  // The award: a ledger row and a balance update in one transaction.
  award: `\\set c random(1, ${BARE_CUSTOMERS})\nBEGIN;\nINSERT INTO bench_entries (customer, points) VALUES (:c, 10);\nUPDATE bench_balances SET points = points + 10 WHERE customer = :c;\nEND;\n`,
  select: `\\set c random(1, ${BARE_CUSTOMERS})\nSELECT points FROM bench_balances WHERE customer = :c;\n`,
};

/** pgbench with prepared statements: transactions per second and average latency (ms). */
export async function pgbench(
  databaseUrl: string,
  shape: keyof typeof SCRIPTS,
  connections: number,
  seconds: number,
) {
  const script = path.join(tmpdir(), `plaudit-${shape}-${process.pid}.sql`);
  writeFileSync(script, SCRIPTS[shape]);
  const u = new URL(databaseUrl);
  const { stdout } = await promisify(execFile)(
    'pgbench',
    [
      ...['-h', u.hostname, '-p', u.port || '5432', '-U', u.username || 'postgres'],
      ...['-n', '-M', 'prepared', '-c', String(connections), '-j', '2', '-T', String(seconds)],
      ...['-f', script, u.pathname.slice(1)],
    ],
    { encoding: 'utf8' },
  );
  return {
    requestsPerSecond: Math.round(Number(/tps = ([\d.]+)/.exec(stdout)?.[1] ?? 0)),
    latencyAverage: Number(/latency average = ([\d.]+)/.exec(stdout)?.[1] ?? 0),
  };
}

/** Starts bench/bare-server.ts; `nodeArgs` can load the unpatched postgres.js queue. */
export async function startBareServer(
  databaseUrl: string,
  opts: { nodeArgs?: string[]; pool?: number } = {},
) {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [...(opts.nodeArgs ?? []), '--import', 'tsx', 'bench/bare-server.ts'],
    {
      env: { ...process.env, PORT: String(port), DATABASE_URL: databaseUrl, POOL: String(opts.pool ?? 20) },
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base, child);
  return { base, child, stop: () => stopChild(child) };
}

/** SIGTERM, then wait for the process to go (so its connections are closed before a drop). */
export function stopChild(child: import('node:child_process').ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
