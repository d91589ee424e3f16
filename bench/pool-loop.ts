/**
 * postgres.js alone, no HTTP: `WORKERS` loops each awaiting a point select, over a pool of
 * `POOL` connections, for `PHASES` phases of `SECONDS`; prints one JSON line per phase. Run by
 * bench/drift.ts, with or without the published queue.js loaded in its place.
 */
import postgres from 'postgres';

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const sql = postgres(process.env.DATABASE_URL!, { max: env('POOL', 20), onnotice: () => {} });
const phases = env('PHASES', 4);
const seconds = env('SECONDS', 30);
let done = 0;
let running = true;

const workers = Array.from({ length: env('WORKERS', 128) }, async () => {
  while (running) {
    await sql`select points from bench_balances where customer = ${(done % 1000) + 1}`;
    done++;
  }
});
for (let phase = 1; phase <= phases; phase++) {
  const start = done;
  const t = performance.now();
  const cpu = process.cpuUsage();
  await new Promise((r) => setTimeout(r, seconds * 1000));
  const queries = done - start;
  const perSecond = Math.round((queries * 1000) / (performance.now() - t));
  const { user, system } = process.cpuUsage(cpu);
  console.log(
    JSON.stringify({
      phase,
      queriesPerSecond: perSecond,
      cpuMicrosPerQuery: Math.round((user + system) / queries),
      rssMiB: Math.round(process.memoryUsage.rss() / 2 ** 20),
    }),
  );
}
running = false;
await Promise.all(workers);
await sql.end();
