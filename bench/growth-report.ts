import { mkdir, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import type { Explained } from './growth-explain';
import type { Measured } from './growth-load';

export interface StepResult {
  step: number;
  entries: number;
  customers: number;
  fillSeconds: number;
  sizes: Record<string, string>;
  loadavg: { before: number[]; after: number[] };
  results: Measured[];
  explained: Explained[];
}

const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '-').padStart(6);
const num = (x: number, width: number) => String(x).padStart(width);

/** The ledger listing must be one index range scan, never an OFFSET (it would read every skipped row). */
function checkListing(s: StepResult) {
  const deep = s.explained.find((e) => e.label === 'ledger deep page, hot');
  const listing = deep?.plans.find((p) => /from "ledger_entries"/.test(p));
  if (!listing || /\boffset\b/i.test(listing) || !/Index Scan/.test(listing)) {
    throw new Error(`step ${s.step}: the ledger listing is not one index scan without OFFSET:\n${listing}`);
  }
}

function explainText(out: StepResult[]) {
  const lines: string[] = [];
  for (const s of out) {
    lines.push(`==== step ${s.step}: ${s.entries} entries, ${s.customers} customers ====`);
    for (const e of s.explained) {
      lines.push(
        `\n--- ${e.label}: ${e.statements} statements, ${e.buffers} shared buffers, ${e.ms.toFixed(3)} ms ---`,
      );
      for (const p of e.plans) lines.push(p, '');
    }
  }
  return lines.join('\n');
}

function printTables(out: StepResult[]) {
  const first = out[0]!;
  console.log(
    '\nHTTP, best of the rounds (ratios to the first step; req/s× > 1 is faster, p50×/p99× > 1 slower)',
  );
  console.log(
    `${'step'.padEnd(9)} ${'entries'.padStart(9)}  ${'scenario'.padEnd(26)} req/s   p50   p99  req/s×   p50×   p99×  load1`,
  );
  for (const s of out) {
    for (const r of s.results) {
      const b = first.results.find((x) => x.scenario === r.scenario)!;
      console.log(
        `${String(s.step).padEnd(9)} ${num(s.entries, 9)}  ${r.scenario.padEnd(26)}${num(r.requestsPerSecond, 6)}` +
          `${num(r.p50, 6)}${num(r.p99, 6)}  ${ratio(r.requestsPerSecond, b.requestsPerSecond)} ` +
          `${ratio(r.p50, b.p50)} ${ratio(r.p99, b.p99)} ${s.loadavg.before[0]!.toFixed(1).padStart(6)}`,
      );
    }
  }
  console.log(
    '\nStatements per request, in-process with auto_explain (medians of 5; buffers = shared hit + read)',
  );
  console.log(`${'step'.padEnd(9)}  ${'scenario'.padEnd(26)} stmts buffers  db ms  buffers×  db ms×`);
  for (const s of out) {
    for (const e of s.explained) {
      const b = first.explained.find((x) => x.label === e.label)!;
      console.log(
        `${String(s.step).padEnd(9)}  ${e.label.padEnd(26)}${num(e.statements, 6)}${num(e.buffers, 8)}` +
          `${e.ms.toFixed(2).padStart(7)}  ${ratio(e.buffers, b.buffers).padStart(8)} ${ratio(e.ms, b.ms).padStart(7)}`,
      );
    }
  }
}

/** Prints the tables and writes bench/results/growth-<timestamp>.json and -explain.txt. */
export async function writeReport(
  out: StepResult[],
  meta: { args: string[]; connections: number; seconds: number; started: number },
) {
  for (const s of out) checkListing(s);
  printTables(out);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const runtimeSeconds = Math.round((Date.now() - meta.started) / 1000);
  await mkdir('bench/results', { recursive: true });
  const json = { ...meta, runtimeSeconds, loadavgAtEnd: loadavg(), steps: out };
  await writeFile(`bench/results/growth-${stamp}.json`, JSON.stringify(json, null, 2));
  await writeFile(`bench/results/growth-${stamp}-explain.txt`, explainText(out));
  console.log(
    `\nwritten: bench/results/growth-${stamp}.json and growth-${stamp}-explain.txt (${runtimeSeconds} s)`,
  );
}
