import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import postgres from 'postgres';

/** Where `npm run bench` goes when DATABASE_URL is unset: a local PostgreSQL with trust auth. */
export const BENCH_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const OPERATOR = 'bench-operator-token-0123456789';
export const SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuvwxyz';

export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A fresh database for one benchmark run, dropped by the returned function. */
export async function freshDatabase(baseUrl: string, name: string) {
  const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${name}" with (force)`);
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const a = postgres(baseUrl, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

/** Starts the Node server (migrations included) in its own process and waits for /health. */
export async function startServer(
  databaseUrl: string,
  extraEnv: Record<string, string> = {},
  nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', 'src/entry/node.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      PLAUDIT_SECRET: SECRET,
      PLAUDIT_ADMIN_TOKEN: OPERATOR,
      PLAUDIT_JOBS_INTERVAL_MS: '0',
      LOG_LEVEL: 'warn',
      ...extraEnv,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base, child);
  return { base, child, stop: () => child.kill('SIGTERM') };
}

/**
 * Polls `${base}/health` for up to a minute (a loaded machine compiles and migrates slowly);
 * gives up at once if the child exits, and kills it if it never answers.
 */
export async function waitForHealth(base: string, child: ChildProcess) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null && child.signalCode === null) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server at ${base} did not start`);
}

/**
 * Watches a process during a load (Linux /proc): its resident set size (VmRSS) every `everyMs`
 * and the CPU time it used. CPU time per request holds up on a shared machine, where
 * requests/s depends on what else runs. Zeros where /proc is missing.
 */
export function sampleProcess(pid: number, everyMs = 500) {
  const samples: number[] = [];
  const read = (file: string) => {
    try {
      return readFileSync(`/proc/${pid}/${file}`, 'utf8');
    } catch {
      return ''; // not Linux, or the process is gone
    }
  };
  const rss = () => {
    const kb = Number(/VmRSS:\s+(\d+) kB/.exec(read('status'))?.[1]);
    if (kb) samples.push(kb / 1024);
  };
  // utime and stime, fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 a second).
  const cpu = () => {
    const fields = read('stat').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / 100;
  };
  const cpuAtStart = cpu();
  rss();
  const timer = setInterval(rss, everyMs);
  return () => {
    clearInterval(timer);
    rss();
    const peak = samples.length ? Math.max(...samples) : 0;
    const mean = samples.length ? samples.reduce((a, b) => a + b, 0) / samples.length : 0;
    return { peakMiB: Math.round(peak), meanMiB: Math.round(mean), cpuSeconds: cpu() - cpuAtStart };
  };
}

export async function call(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json().catch(() => ({}))) as any;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export interface LoadResult {
  name: string;
  connections: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Requests answered in the phase. */
  requests: number;
  non2xx: number;
  errors: number;
  /** Responses by status code, where any was not 2xx. */
  statusCodes?: Record<string, number>;
}

/** Runs autocannon; `body` is called for each request so every request can be unique. */
export async function load(opts: {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: () => unknown;
  connections: number;
  seconds: number;
}): Promise<LoadResult> {
  const result = await autocannon({
    url: opts.url,
    connections: opts.connections,
    duration: opts.seconds,
    requests: [
      {
        method: opts.method ?? 'GET',
        headers: opts.headers,
        setupRequest: (req: any) => (opts.body ? { ...req, body: JSON.stringify(opts.body()) } : req),
      },
    ],
  });
  return {
    name: opts.name,
    connections: opts.connections,
    seconds: opts.seconds,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    ...(result.non2xx
      ? {
          statusCodes: Object.fromEntries(
            Object.entries(result.statusCodeStats ?? {}).map(([code, stat]) => [code, stat?.count ?? 0]),
          ),
        }
      : {}),
  };
}
