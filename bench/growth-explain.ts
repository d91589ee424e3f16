import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from '../db/schema';
import { createApp } from '../src/app';
import { preferPrepared } from '../src/entry/postgres-client';
import { parseEnv, toConfig } from '../src/env';
import { systemClock } from '../src/lib/clock';
import type { Db } from '../src/lib/db';
import { createLogger } from '../src/lib/logger';

export interface ExplainRequest {
  label: string;
  method: 'GET' | 'POST';
  /** Called once per run, so a write can use a fresh order id each time. */
  next: () => { path: string; body?: unknown };
}

export interface Explained {
  label: string;
  /** Medians over the measured runs, summed over the request's statements. */
  statements: number;
  buffers: number;
  ms: number;
  /** One per statement the last run ran, as auto_explain reported it: duration, query text, plan. */
  plans: string[];
}

/**
 * Shared buffers (hit + read) a statement touched: the top node's count, which includes its
 * children, init plans, subplans and the CTEs it scans, plus each data-modifying CTE that
 * nothing scans (those run to completion after the main plan, outside its count).
 */
export function buffersOf(plan: string): number {
  const count = (line: string) =>
    Number(/shared.*?hit=(\d+)/.exec(line)?.[1] ?? 0) + Number(/shared.*?read=(\d+)/.exec(line)?.[1] ?? 0);
  const lines = plan.split('\n');
  let total = 0;
  let owner: string | null = '';
  for (const line of lines) {
    const cte = /^\s*CTE (\S+)$/.exec(line);
    if (cte) owner = plan.includes(`CTE Scan on ${cte[1]}`) ? null : cte[1]!;
    else if (owner !== null && line.includes('Buffers: shared')) {
      total += count(line);
      owner = null;
    }
  }
  return total;
}

const durationOf = (plan: string) => Number(/duration: ([\d.]+) ms/.exec(plan)?.[1] ?? 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * The plans of the statements the app itself runs: an in-process app whose one connection loads
 * auto_explain (ANALYZE, BUFFERS) and sends each plan back as a NOTICE. Each request runs `warm`
 * times first on that connection, so the statement cache is in the state a busy server
 * connection reaches (Postgres may have switched a prepared statement to its generic plan).
 */
export async function explainRequests(
  databaseUrl: string,
  secret: string,
  token: string,
  requests: ExplainRequest[],
  warm = 6,
  runs = 5,
): Promise<Explained[]> {
  let notices: string[] = [];
  const client = preferPrepared(
    postgres(databaseUrl, {
      max: 1,
      onnotice: (n) => notices.push(String(n.message)),
      connection: {
        session_preload_libraries: 'auto_explain',
        'auto_explain.log_min_duration': '0',
        'auto_explain.log_analyze': 'on',
        'auto_explain.log_buffers': 'on',
        'auto_explain.log_level': 'notice',
      } as Record<string, string>,
    }),
  );
  const db = drizzle({ client, schema, casing: 'snake_case' }) as unknown as Db;
  const env = parseEnv({ PLAUDIT_SECRET: secret, LOG_LEVEL: 'error', PLAUDIT_JOBS_INTERVAL_MS: '0' });
  const app = createApp({
    db,
    config: toConfig(env, secret),
    clock: systemClock,
    logger: createLogger('error'),
    clientAddress: () => '127.0.0.1',
  });
  const run = async (r: ExplainRequest) => {
    const { path, body } = r.next();
    const res = await app.request(path, {
      method: r.method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    await res.text();
    if (res.status >= 300) throw new Error(`${r.method} ${path}: ${res.status}`);
  };
  const out: Explained[] = [];
  try {
    for (const r of requests) {
      for (let i = 0; i < warm; i++) await run(r);
      const measured: string[][] = [];
      for (let i = 0; i < runs; i++) {
        notices = [];
        await run(r);
        measured.push(notices.filter((n) => n.includes('plan:')));
      }
      out.push({
        label: r.label,
        statements: median(measured.map((p) => p.length)),
        buffers: median(measured.map((p) => p.reduce((s, x) => s + buffersOf(x), 0))),
        ms: median(measured.map((p) => p.reduce((s, x) => s + durationOf(x), 0))),
        plans: measured[measured.length - 1]!,
      });
    }
  } finally {
    await client.end({ timeout: 5 });
  }
  return out;
}
