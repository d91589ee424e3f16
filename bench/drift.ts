/**
 * The drift of postgres.js 3.4.9 under more queries in flight than its pool holds: the same load
 * repeated in back-to-back phases on one process, with the published queue.js and with the
 * patched one; first postgres.js alone, then behind a bare Hono server (phases alternating
 * between the two servers). Usage:
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/drift.ts [seconds] [phases] [connections]
 * Prints queries or requests per second per phase for each queue; a falling series is the drift.
 */
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createBareTables, startBareServer } from './bare';
import { freshDatabase, load, sampleProcess } from './lib';

export const UPSTREAM_QUEUE = ['--import', './bench/upstream-queue/register.mjs'];

export interface DriftSeries {
  queue: 'published' | 'patched';
  target: string;
  connections: number;
  seconds: number;
  requestsPerSecond: number[];
  p99: number[];
  /** CPU time of the Node process per request (or query), in microseconds. */
  cpuMicrosPerRequest: number[];
  rssPeakMiB: number[];
}

/**
 * Phases of a bare point select, each queue on its own server process (the pool stays warm
 * between phases). The phases alternate between the two servers, so both series see the same
 * background load on a shared machine.
 */
export async function measureDrift(
  databaseUrl: string,
  opts: { seconds: number; phases: number; connections: number },
  onPhase: (line: string) => void = () => {},
): Promise<DriftSeries[]> {
  const queues = ['published', 'patched'] as const;
  const servers = await Promise.all(
    queues.map((queue) =>
      startBareServer(databaseUrl, { nodeArgs: queue === 'published' ? UPSTREAM_QUEUE : [] }),
    ),
  );
  const series = queues.map(
    (queue): DriftSeries => ({
      queue,
      target: 'bare point select',
      connections: opts.connections,
      seconds: opts.seconds,
      requestsPerSecond: [],
      p99: [],
      cpuMicrosPerRequest: [],
      rssPeakMiB: [],
    }),
  );
  try {
    for (let i = 0; i < opts.phases; i++) {
      for (const [k, server] of servers.entries()) {
        const s = series[k]!;
        const watch = sampleProcess(server.child.pid!);
        const r = await load({
          name: `bare point select (${s.queue} queue), phase ${i + 1}`,
          url: `${server.base}/balance/1`,
          headers: {},
          connections: opts.connections,
          seconds: opts.seconds,
        });
        s.requestsPerSecond.push(r.requestsPerSecond);
        s.p99.push(r.p99);
        const usage = watch();
        s.rssPeakMiB.push(usage.peakMiB);
        s.cpuMicrosPerRequest.push(Math.round((usage.cpuSeconds * 1e6) / Math.max(1, r.requests)));
        onPhase(
          `${s.target}, ${s.queue} queue · phase ${i + 1}/${opts.phases}: ${r.requestsPerSecond} req/s, ` +
            `${s.cpuMicrosPerRequest.at(-1)} µs CPU/request, p99 ${r.p99} ms`,
        );
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
  return series;
}

/** The same without HTTP: postgres.js alone (bench/pool-loop.ts), one queue after the other. */
export async function measurePoolDrift(
  databaseUrl: string,
  opts: { seconds: number; phases: number; connections: number },
): Promise<DriftSeries[]> {
  const out: DriftSeries[] = [];
  for (const queue of ['published', 'patched'] as const) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [...(queue === 'published' ? UPSTREAM_QUEUE : []), '--import', 'tsx', 'bench/pool-loop.ts'],
      {
        env: {
          ...process.env,
          DATABASE_URL: databaseUrl,
          WORKERS: String(opts.connections),
          PHASES: String(opts.phases),
          SECONDS: String(opts.seconds),
        },
      },
    );
    const phases = stdout
      .trim()
      .split('\n')
      .map(
        (line) => JSON.parse(line) as { queriesPerSecond: number; cpuMicrosPerQuery: number; rssMiB: number },
      );
    out.push({
      queue,
      target: 'postgres.js point select, no HTTP',
      connections: opts.connections,
      seconds: opts.seconds,
      requestsPerSecond: phases.map((p) => p.queriesPerSecond),
      p99: [],
      cpuMicrosPerRequest: phases.map((p) => p.cpuMicrosPerQuery),
      rssPeakMiB: phases.map((p) => p.rssMiB),
    });
  }
  return out;
}

export function formatDrift(s: DriftSeries) {
  const first = s.requestsPerSecond[0] || 1;
  const last = s.requestsPerSecond[s.requestsPerSecond.length - 1] ?? 0;
  return (
    `${s.target}, ${s.queue} queue, ${s.connections} connections, ${s.seconds} s phases: ` +
    `${s.requestsPerSecond.join(' → ')} /s (last/first ${(last / first).toFixed(2)}), ` +
    `CPU ${s.cpuMicrosPerRequest.join(' → ')} µs each, ` +
    (s.p99.length ? `p99 ${s.p99.join(' → ')} ms, ` : '') +
    `RSS ${s.rssPeakMiB.join(' → ')} MiB`
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl)
    throw new Error('Set DATABASE_URL to a PostgreSQL server (a fresh database is created on it).');
  const [seconds = 30, phases = 4, connections = 128] = process.argv.slice(2).map(Number);
  const db = await freshDatabase(baseUrl, `plaudit_drift_${Date.now().toString(36)}`);
  try {
    await createBareTables(db.url);
    for (const s of await measurePoolDrift(db.url, { seconds, phases, connections }))
      console.log(formatDrift(s));
    const series = await measureDrift(db.url, { seconds, phases, connections }, console.log);
    for (const s of series) console.log(formatDrift(s));
  } finally {
    await db.drop();
  }
}
