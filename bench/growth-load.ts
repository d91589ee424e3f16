import { type ChildProcess, spawn } from 'node:child_process';
import autocannon from 'autocannon';
import { freePort, OPERATOR, SECRET } from './lib';

export interface Scenario {
  name: string;
  method: 'GET' | 'POST';
  /** The next request's path (and body): every request may address another customer or page. */
  next: () => { path: string; body?: unknown };
}

export interface Measured {
  scenario: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

/** autocannon against the running server, one request shape per scenario. */
export async function measure(
  base: string,
  token: string,
  s: Scenario,
  connections: number,
  seconds: number,
): Promise<Measured> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        setupRequest: (req: any) => {
          const { path, body } = s.next();
          return {
            ...req,
            method: s.method,
            path,
            headers,
            body: body === undefined ? undefined : JSON.stringify(body),
          };
        },
      },
    ],
  });
  return {
    scenario: s.name,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/**
 * bench/lib.ts startServer with a longer wait: on a busy machine a fresh process (tsx compiling
 * the app) can take well over 20 s to answer /health.
 */
export async function startServer(databaseUrl: string) {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'src/entry/node.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      PLAUDIT_SECRET: SECRET,
      PLAUDIT_ADMIN_TOKEN: OPERATOR,
      PLAUDIT_JOBS_INTERVAL_MS: '0',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 1200; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return { base, stop: () => child.kill('SIGTERM') };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`server at ${base} did not start in 120 s`);
}
