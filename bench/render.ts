/**
 * Prints the table of a saved suite result again and draws its charts next to it, as
 * <name>-ratios.svg and <name>-drift.svg:
 *   npx tsx bench/render.ts bench/results/sample.json
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { DriftSeries } from './drift';
import { formatDrift } from './drift';
import { driftSvg, type Measured, ratiosSvg, summarise, table } from './report';

const file = process.argv[2];
if (!file) throw new Error('usage: npx tsx bench/render.ts bench/results/<time>.json');
const result = JSON.parse(readFileSync(file, 'utf8')) as {
  startedAt: string;
  machine: { cpus: number };
  options: { seconds: number; repeat: number; pgbenchClients: number };
  rows: Measured[];
  drift: DriftSeries[];
};
const summaries = summarise(
  result.rows,
  `pgbench award transaction (${result.options.pgbenchClients} clients)`,
);
console.log(table(summaries));
for (const series of result.drift) console.log(formatDrift(series));
const caption = `${result.startedAt.slice(0, 16)} · ${result.machine.cpus} CPUs · ${result.options.seconds} s × ${result.options.repeat} phases`;
const stem = file.replace(/\.json$/, '');
writeFileSync(`${stem}-ratios.svg`, ratiosSvg(summaries, caption));
if (result.drift.length) writeFileSync(`${stem}-drift.svg`, driftSvg(result.drift, caption));
