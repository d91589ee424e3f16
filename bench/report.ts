/** Summaries, the printed table, and the SVG charts of a bench/suite.ts run. */
import type { DriftSeries } from './drift';
import type { LoadResult } from './lib';

export interface Measured {
  kind: 'ceiling' | 'plaudit';
  name: string;
  connections: number;
  /** The ceiling row (same run, same connections) this row is divided by. */
  ceiling?: string;
  phases: (Pick<LoadResult, 'requestsPerSecond' | 'non2xx' | 'errors' | 'statusCodes'> & {
    requests?: number;
    p50?: number;
    p99?: number;
  })[];
  rssPeakMiB: number[];
  /** CPU time of the server process per request, in microseconds (HTTP rows). */
  cpuMicrosPerRequest: number[];
}

export interface Summary {
  kind: Measured['kind'];
  name: string;
  connections: number;
  requestsPerSecond: number;
  /** Median of the phases' p50, worst of their p99 (ms); pgbench reports neither. */
  p50: number | null;
  p99: number | null;
  non2xx: number;
  ceiling: string | null;
  ceilingRequestsPerSecond: number | null;
  ratio: number | null;
  /** Against pgbench's transactions per second, for the writes. */
  ratioToPgbench: number | null;
  /**
   * The ceiling's CPU time per request divided by this row's: the same comparison made with the
   * server's own work, which other programs on the machine barely move.
   */
  cpuRatio: number | null;
  rssPeakMiB: number | null;
  /** Median over the phases. */
  cpuMicrosPerRequest: number | null;
  series: number[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0;
const ratio = (a: number, b: number | undefined) => (b ? Math.round((a / b) * 1000) / 1000 : null);

export function summarise(rows: Measured[], pgbenchName: string): Summary[] {
  const rps = (r: Measured) => Math.round(mean(r.phases.map((p) => p.requestsPerSecond)));
  const find = (name: string, connections?: number) =>
    rows.find((r) => r.name === name && (connections === undefined || r.connections === connections));
  return rows.map((r) => {
    const own = rps(r);
    const ceiling = r.ceiling ? find(r.ceiling, r.connections) : undefined;
    const pgbench = r.ceiling?.includes('write') ? find(pgbenchName) : undefined;
    const p50s = r.phases.flatMap((p) => (p.p50 === undefined ? [] : [p.p50]));
    const p99s = r.phases.flatMap((p) => (p.p99 === undefined ? [] : [p.p99]));
    return {
      kind: r.kind,
      name: r.name,
      connections: r.connections,
      requestsPerSecond: own,
      p50: p50s.length ? median(p50s) : null,
      p99: p99s.length ? Math.max(...p99s) : null,
      non2xx: r.phases.reduce((n, p) => n + p.non2xx + p.errors, 0),
      ceiling: ceiling?.name ?? null,
      ceilingRequestsPerSecond: ceiling ? rps(ceiling) : null,
      ratio: ceiling ? ratio(own, rps(ceiling)) : null,
      ratioToPgbench: pgbench ? ratio(own, rps(pgbench)) : null,
      cpuRatio:
        ceiling?.cpuMicrosPerRequest.length && r.cpuMicrosPerRequest.length
          ? ratio(median(ceiling.cpuMicrosPerRequest), median(r.cpuMicrosPerRequest))
          : null,
      rssPeakMiB: r.rssPeakMiB.length ? Math.max(...r.rssPeakMiB) : null,
      cpuMicrosPerRequest: r.cpuMicrosPerRequest.length ? median(r.cpuMicrosPerRequest) : null,
      series: r.phases.map((p) => p.requestsPerSecond),
    };
  });
}

export function table(summaries: Summary[]) {
  const head = [
    'scenario',
    'conns',
    'req/s',
    'p50 ms',
    'p99 ms',
    'ceiling req/s',
    'ratio',
    'vs pgbench',
    'CPU ratio',
    'RSS MiB',
    'CPU µs/req',
    'non-2xx',
    'req/s per phase',
  ];
  const cells = summaries.map((s) => [
    s.name,
    String(s.connections),
    String(s.requestsPerSecond),
    s.p50 === null ? '-' : String(s.p50),
    s.p99 === null ? '-' : String(s.p99),
    s.ceilingRequestsPerSecond === null ? '-' : `${s.ceilingRequestsPerSecond} (${s.ceiling})`,
    s.ratio === null ? '-' : s.ratio.toFixed(2),
    s.ratioToPgbench === null ? '-' : s.ratioToPgbench.toFixed(2),
    s.cpuRatio === null ? '-' : s.cpuRatio.toFixed(2),
    s.rssPeakMiB === null ? '-' : String(s.rssPeakMiB),
    s.cpuMicrosPerRequest === null ? '-' : String(s.cpuMicrosPerRequest),
    String(s.non2xx),
    s.series.join(' '),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => (i === 0 || i === 5 || i === 12 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!)))
      .join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Horizontal bars: each Plaudit row as a share of its ceiling, by requests/s and by the server's
 * CPU time per request.
 */
export function ratiosSvg(summaries: Summary[], caption: string) {
  const bars = summaries.filter((s) => s.ratio !== null && s.kind === 'plaudit');
  const left = 230;
  const width = 640;
  const barArea = width - left - 60;
  const rowH = 34;
  const top = 56;
  const height = top + bars.length * rowH + 44;
  const max = Math.max(1, ...bars.flatMap((b) => [b.ratio!, b.cpuRatio ?? 0]));
  const x = (v: number) => left + (v / max) * barArea;
  const bar = (v: number | null, y: number, fill: string) =>
    v === null
      ? ''
      : `<rect x="${left}" y="${y}" width="${Math.max(1, x(v) - left).toFixed(1)}" height="12" fill="${fill}"/>` +
        `<text x="${(x(v) + 6).toFixed(1)}" y="${y + 10}">${v.toFixed(2)}</text>`;
  const rows = bars.map((b, i) => {
    const y = top + i * rowH;
    return (
      `<text x="${left - 8}" y="${y + 18}" text-anchor="end">${esc(b.name)} · ${b.connections}</text>` +
      bar(b.ratio, y + 2, '#2f6db5') +
      bar(b.cpuRatio, y + 16, '#9cc3e8')
    );
  });
  const one = x(1).toFixed(1);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="${left}" y="18" font-size="14" font-weight="bold">Plaudit ÷ bare Hono + postgres.js, same run</text>
<rect x="${left}" y="28" width="10" height="10" fill="#2f6db5"/><text x="${left + 14}" y="37">requests/s</text>
<rect x="${left + 100}" y="28" width="10" height="10" fill="#9cc3e8"/><text x="${left + 114}" y="37">CPU time per request (inverse)</text>
${rows.join('\n')}
<line x1="${one}" y1="${top}" x2="${one}" y2="${top + bars.length * rowH}" stroke="#999" stroke-dasharray="4 3"/>
<text x="${one}" y="${top + bars.length * rowH + 14}" text-anchor="middle" fill="#666">1.0 = ceiling</text>
<text x="${left}" y="${height - 8}" fill="#666">${esc(caption)}</text>
</svg>
`;
}

type Metric = 'requestsPerSecond' | 'cpuMicrosPerRequest';
const METRICS: [Metric, string][] = [
  ['requestsPerSecond', 'per second'],
  ['cpuMicrosPerRequest', 'CPU µs each'],
];
const COLOURS = { published: '#c0392b', patched: '#2f6db5' };

/** One panel of lines: a metric per phase for the published and the patched queue. */
function driftPanel(series: DriftSeries[], metric: Metric, title: string, top: number) {
  const width = 640;
  const height = 220;
  const pad = { left: 60, right: 140, top: 30, bottom: 36 };
  const phases = Math.max(2, ...series.map((s) => s[metric].length));
  const max = Math.max(1, ...series.flatMap((s) => s[metric])) * 1.1;
  const x = (i: number) => pad.left + (i / (phases - 1)) * (width - pad.left - pad.right);
  const y = (v: number) => top + height - pad.bottom - (v / max) * (height - pad.top - pad.bottom);
  const lines = series.map((s, k) => {
    const colour = COLOURS[s.queue];
    const values = s[metric];
    const legendY = top + pad.top + 14 + k * 16;
    return (
      `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}"/>` +
      values
        .map((v, i) => `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="3" fill="${colour}"/>`)
        .join('') +
      `<text x="${width - pad.right + 12}" y="${legendY}" fill="${colour}">${s.queue} queue</text>`
    );
  });
  const ticks = [0, 0.5, 1].map((f) => {
    const v = Math.round(max * f * 0.9);
    return (
      `<text x="${pad.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" fill="#666">${v}</text>` +
      `<line x1="${pad.left}" y1="${y(v).toFixed(1)}" x2="${width - pad.right}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`
    );
  });
  const labels = Array.from(
    { length: phases },
    (_, i) =>
      `<text x="${x(i).toFixed(1)}" y="${top + height - pad.bottom + 16}" text-anchor="middle" fill="#666">${i + 1}</text>`,
  );
  return [
    `<text x="${pad.left}" y="${top + 18}" font-weight="bold">${esc(title)}</text>`,
    ...ticks,
    ...labels,
    ...lines,
  ].join('\n');
}

/** Per phase, for each drift target: throughput and CPU time per query, both queues. */
export function driftSvg(series: DriftSeries[], caption: string) {
  const targets = [...new Set(series.map((s) => s.target))];
  const panels: string[] = [];
  for (const target of targets) {
    const pair = series.filter((s) => s.target === target);
    const first = pair[0]!;
    for (const [metric, unit] of METRICS) {
      if (!pair.every((s) => s[metric].length)) continue;
      const title = `${target}, ${first.connections} in flight, ${first.seconds} s phases: ${unit}`;
      panels.push(driftPanel(pair, metric, title, 10 + panels.length * 220));
    }
  }
  const height = 30 + panels.length * 220;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
${panels.join('\n')}
<text x="60" y="${height - 8}" fill="#666">${esc(`x: phase, back to back on one process · ${caption}`)}</text>
</svg>
`;
}
