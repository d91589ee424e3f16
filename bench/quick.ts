/**
 * Quick loads of Plaudit's hot paths against PostgreSQL, each on a fresh database and server
 * (scenarios in bench/scenarios.ts: orders, redemptions, customer, me). Usage:
 *   [DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres] npx tsx bench/quick.ts [scenario|all] [seconds] [connections]
 * (also `npm run bench -- <scenario|all> [seconds] [connections]`). Prints one JSON line per
 * scenario: requests/s, p50 and p99 latency (ms), non-2xx count.
 */
import { BENCH_DATABASE_URL, freshDatabase, load, startServer } from './lib';
import { createBenchMerchant, scenarios } from './scenarios';

const baseUrl = BENCH_DATABASE_URL;
const which = process.argv[2] ?? 'all';
const seconds = Number(process.argv[3] ?? 10);
const connections = Number(process.argv[4] ?? 32);

for (const name of which === 'all' ? Object.keys(scenarios) : [which]) {
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`unknown scenario ${name}; one of ${Object.keys(scenarios).join(', ')}`);
  const db = await freshDatabase(baseUrl, `plaudit_bench_${Date.now().toString(36)}`);
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    server = await startServer(db.url, scenario.env);
    const phase = await scenario.setup(server.base, await createBenchMerchant(server.base));
    console.log(JSON.stringify(await load(await phase(connections, seconds))));
  } finally {
    server?.stop();
    await new Promise((r) => setTimeout(r, 500));
    await db.drop();
  }
}
