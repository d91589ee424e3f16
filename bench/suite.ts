/**
 * The benchmark suite (`npm run bench`): ceilings and Plaudit's hot paths against PostgreSQL in
 * one run, so the ratios compare like with like on a shared, noisy machine.
 *   1. ceilings: pgbench running the award's write shape; a bare Hono + postgres.js server doing
 *      that write and a point select, at each connection count;
 *   2. Plaudit: POST /v1/orders (one active rule), POST /v1/redemptions, GET /v1/customers/{id},
 *      GET /v1/me, at each connection count, sampling the server's RSS during the load;
 *   3. drift: point selects through postgres.js alone (`pool`) and/or through the bare server
 *      (`http`), in back-to-back phases with postgres.js's published queue.js and with the
 *      patched one (patches/postgres+3.4.9.patch).
 * Every load phase is repeated on the same server process, so a slowdown shows as a falling series.
 * Options (or BENCH_SECONDS, BENCH_REPEAT, BENCH_DRIFT_PHASES, BENCH_DRIFT, BENCH_CONNECTIONS):
 *   --seconds 30  --repeat 2  --drift-phases 4  --drift pool[,http]  --connections 32,128  --only orders,me
 * Writes bench/results/<timestamp>.json, bench/results/ratios.svg and bench/results/drift.svg.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import postgres from 'postgres';
import { BARE_CUSTOMERS, createBareTables, pgbench, startBareServer, stopChild } from './bare';
import { type DriftSeries, formatDrift, measureDrift, measurePoolDrift } from './drift';
import { BENCH_DATABASE_URL, freshDatabase, load, sampleProcess, startServer } from './lib';
import { driftSvg, type Measured, ratiosSvg, summarise, table } from './report';
import { createBenchMerchant, scenarios } from './scenarios';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '30' },
    repeat: { type: 'string', default: process.env.BENCH_REPEAT ?? '2' },
    'drift-phases': { type: 'string', default: process.env.BENCH_DRIFT_PHASES ?? '4' },
    drift: { type: 'string', default: process.env.BENCH_DRIFT ?? 'pool' },
    connections: { type: 'string', default: process.env.BENCH_CONNECTIONS ?? '32,128' },
    only: { type: 'string', default: Object.keys(scenarios).join(',') },
  },
});
const seconds = Number(values.seconds);
const repeat = Number(values.repeat);
const driftPhases = Number(values['drift-phases']);
const connectionCounts = values.connections.split(',').map(Number);
const driftKinds = values.drift.split(',').filter(Boolean);
const only = values.only.split(',');
for (const key of only)
  if (!scenarios[key])
    throw new Error(`unknown scenario ${key}; one of ${Object.keys(scenarios).join(', ')}`);
// pgbench opens one backend per client; Postgres's max_connections (100 by default) is shared.
const PGBENCH_CLIENTS = 32;
const PGBENCH = `pgbench award transaction (${PGBENCH_CLIENTS} clients)`;
const BARE_WRITE = 'bare award write';
const BARE_SELECT = 'bare point select';

const baseUrl = BENCH_DATABASE_URL;
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const rows: Measured[] = [];
const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

async function phases(
  row: Omit<Measured, 'phases' | 'rssPeakMiB' | 'cpuMicrosPerRequest'>,
  pid: number | undefined,
  run: () => Promise<Measured['phases'][number]>,
) {
  const measured: Measured = { ...row, phases: [], rssPeakMiB: [], cpuMicrosPerRequest: [] };
  for (let i = 0; i < repeat; i++) {
    const watch = pid ? sampleProcess(pid) : undefined;
    const result = await run();
    measured.phases.push(result);
    const usage = watch?.();
    if (usage && result.requests !== undefined) {
      measured.rssPeakMiB.push(usage.peakMiB);
      measured.cpuMicrosPerRequest.push(Math.round((usage.cpuSeconds * 1e6) / Math.max(1, result.requests)));
    }
    log(
      `${row.name} · ${row.connections} · phase ${i + 1}/${repeat}: ${result.requestsPerSecond} req/s` +
        (result.p99 === undefined ? '' : `, p50 ${result.p50} ms, p99 ${result.p99} ms`) +
        (usage
          ? `, RSS ${measured.rssPeakMiB.at(-1)} MiB, ${measured.cpuMicrosPerRequest.at(-1)} µs CPU/req`
          : '') +
        (result.non2xx + result.errors
          ? `, ${result.errors} errors, non-2xx ${JSON.stringify(result.statusCodes ?? {})}`
          : ''),
    );
  }
  rows.push(measured);
}

async function ceilings(drift: DriftSeries[]) {
  const db = await freshDatabase(baseUrl, `plaudit_ceiling_${Date.now().toString(36)}`);
  try {
    await createBareTables(db.url);
    try {
      await phases({ kind: 'ceiling', name: PGBENCH, connections: PGBENCH_CLIENTS }, undefined, async () => {
        const r = await pgbench(db.url, 'award', PGBENCH_CLIENTS, seconds);
        return { requestsPerSecond: r.requestsPerSecond, non2xx: 0, errors: 0 };
      });
    } catch (error) {
      // pgbench comes with the PostgreSQL client tools; without it the other ceilings still stand.
      failures.push(`pgbench: ${(error as Error).message}`);
      log(`pgbench failed: ${(error as Error).message}`);
    }
    const bare = await startBareServer(db.url);
    try {
      let n = 0;
      for (const connections of connectionCounts) {
        await phases({ kind: 'ceiling', name: BARE_WRITE, connections }, bare.child.pid, () =>
          load({
            name: BARE_WRITE,
            url: `${bare.base}/award`,
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: () => ({ customer: (++n % BARE_CUSTOMERS) + 1, points: 10 }),
            connections,
            seconds,
          }),
        );
        await phases({ kind: 'ceiling', name: BARE_SELECT, connections }, bare.child.pid, () =>
          load({ name: BARE_SELECT, url: `${bare.base}/balance/1`, headers: {}, connections, seconds }),
        );
      }
    } finally {
      await bare.stop();
    }
    if (driftPhases > 0) {
      const connections = Math.max(...connectionCounts);
      const opts = { seconds, phases: driftPhases, connections };
      if (driftKinds.includes('pool')) drift.push(...(await measurePoolDrift(db.url, opts)));
      if (driftKinds.includes('http')) drift.push(...(await measureDrift(db.url, opts, log)));
      for (const series of drift) log(formatDrift(series));
    }
  } finally {
    await db.drop();
  }
}

async function plaudit(key: string) {
  const scenario = scenarios[key]!;
  const db = await freshDatabase(baseUrl, `plaudit_bench_${Date.now().toString(36)}`);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    server = await startServer(db.url, scenario.env);
    const phase = await scenario.setup(server.base, await createBenchMerchant(server.base));
    const ceiling = scenario.label.startsWith('POST') ? BARE_WRITE : BARE_SELECT;
    for (const connections of connectionCounts)
      await phases(
        { kind: 'plaudit', name: scenario.label, connections, ceiling },
        server.child.pid,
        async () => load(await phase(connections, seconds)),
      );
  } finally {
    if (server) {
      // Requests autocannon gave up on at the end of a phase are still running: let them finish.
      await new Promise((r) => setTimeout(r, 2_000));
      await stopChild(server.child);
    }
    await db.drop();
  }
}

async function serverVersion() {
  const sql = postgres(baseUrl, { max: 1, onnotice: () => {} });
  try {
    const [row] = await sql`show server_version`;
    return String(row?.server_version);
  } finally {
    await sql.end();
  }
}

const startedAt = new Date();
const totalPhases =
  (1 + connectionCounts.length * (2 + only.length)) * repeat + 2 * driftPhases * driftKinds.length;
log(
  `${totalPhases} load phases of ${seconds} s (about ${Math.ceil((totalPhases * (seconds + 1)) / 60)} min), ` +
    `connections ${connectionCounts.join(', ')}, repeat ${repeat}, drift phases ${driftPhases}`,
);
const drift: DriftSeries[] = [];
const failures: string[] = [];
await ceilings(drift);
for (const key of only) {
  try {
    await plaudit(key);
  } catch (error) {
    // One broken scenario should not cost the rest of a long run; the table shows it missing.
    failures.push(`${key}: ${(error as Error).message}`);
    log(`${key} failed: ${(error as Error).message}`);
  }
}

const summaries = summarise(rows, PGBENCH);
const caption = `${startedAt.toISOString().slice(0, 16)} · ${cpus().length} CPUs · ${seconds} s × ${repeat} phases`;
console.log(`\n${table(summaries)}\n`);
for (const series of drift) console.log(formatDrift(series));
for (const failure of failures) console.log(`FAILED ${failure}`);
mkdirSync('bench/results', { recursive: true });
const file = `bench/results/${stamp}.json`;
const result = {
  startedAt: startedAt.toISOString(),
  finishedAt: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    cpu: cpus()[0]?.model,
    node: process.version,
    postgres: await serverVersion(),
  },
  options: { seconds, repeat, driftPhases, connections: connectionCounts, pgbenchClients: PGBENCH_CLIENTS },
  summaries,
  rows,
  drift,
  failures,
};
writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
writeFileSync('bench/results/ratios.svg', ratiosSvg(summaries, caption));
if (drift.length) writeFileSync('bench/results/drift.svg', driftSvg(drift, caption));
console.log(`\nwrote ${file}, bench/results/ratios.svg${drift.length ? ', bench/results/drift.svg' : ''}`);
if (failures.length) process.exitCode = 1;
