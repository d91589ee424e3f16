import type { Child } from 'hono/jsx';

/**
 * Inline SVG charts drawn on the server. Each has a title, axis labels and a text alternative
 * (`role="img"` with a title and description), and never relies on colour alone: series differ
 * by line style and marker shape, bars carry their value as text. The data table next to each
 * chart (`DataTable`) is the exact figures.
 */

const W = 640;
const H = 260;
const PAD = { top: 36, right: 20, bottom: 52, left: 64 };
const PLOT_W = W - PAD.left - PAD.right;
const PLOT_H = H - PAD.top - PAD.bottom;

let chartSeq = 0;
const chartId = () => `chart-${++chartSeq}`;

/** A chart's SVG, labelled by its title and described by its description. */
function ChartSvg(props: { height: number; title: string; description: string; children?: Child }) {
  const id = chartId();
  return (
    <svg
      viewBox={`0 0 ${W} ${props.height}`}
      role="img"
      aria-labelledby={`${id}-t ${id}-d`}
      xmlns="http://www.w3.org/2000/svg"
    >
      <title id={`${id}-t`}>{props.title}</title>
      <desc id={`${id}-d`}>{props.description}</desc>
      {props.children}
    </svg>
  );
}

/** "Nice" tick values covering [min, max]. */
export function ticks(min: number, max: number, count = 5): number[] {
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    return ticks(min - pad, max + pad, count);
  }
  const raw = (max - min) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step)
    out.push(Number(v.toFixed(10)));
  if (out[out.length - 1]! < max) out.push(out[out.length - 1]! + step);
  return out;
}

const short = (v: number) =>
  Math.abs(v) >= 1_000_000
    ? `${(v / 1_000_000).toFixed(1)}M`
    : Math.abs(v) >= 10_000
      ? `${(v / 1000).toFixed(0)}k`
      : `${Number(v.toFixed(2))}`;

/** The visible title and the horizontal grid with its y tick labels. */
function YGrid(props: { title: string; yTicks: number[]; y: (v: number) => number }) {
  return (
    <>
      <text class="chart-title" x={PAD.left} y={18}>
        {props.title}
      </text>
      {props.yTicks.map((v) => (
        <g>
          <line class="grid" x1={PAD.left} x2={W - PAD.right} y1={props.y(v)} y2={props.y(v)} />
          <text class="tick" x={PAD.left - 6} y={props.y(v) + 4} text-anchor="end">
            {short(v)}
          </text>
        </g>
      ))}
    </>
  );
}

/** The x and y axis titles. */
function AxisTitles(props: { xLabel: string; yLabel: string }) {
  return (
    <>
      <text class="axis" x={PAD.left + PLOT_W / 2} y={H - 8} text-anchor="middle">
        {props.xLabel}
      </text>
      <text class="axis" transform={`translate(14 ${PAD.top + PLOT_H / 2}) rotate(-90)`} text-anchor="middle">
        {props.yLabel}
      </text>
    </>
  );
}

export interface LineSeries {
  name: string;
  /** One value per x label; null leaves a gap. */
  values: (number | null)[];
  /** An interval drawn as a shaded band around the line (e.g. a margin of error). */
  band?: { low: number | null; high: number | null }[];
  dashed?: boolean;
}

const MARKERS = ['circle', 'square', 'triangle', 'diamond'] as const;

function Marker({
  shape,
  x,
  y,
  cls,
}: {
  shape: (typeof MARKERS)[number];
  x: number;
  y: number;
  cls: string;
}) {
  const s = 4;
  if (shape === 'circle') return <circle class={cls} cx={x} cy={y} r={s} />;
  if (shape === 'square') return <rect class={cls} x={x - s} y={y - s} width={2 * s} height={2 * s} />;
  if (shape === 'triangle')
    return <polygon class={cls} points={`${x},${y - s - 1} ${x + s + 1},${y + s} ${x - s - 1},${y + s}`} />;
  return (
    <polygon class={cls} points={`${x},${y - s - 1} ${x + s + 1},${y} ${x},${y + s + 1} ${x - s - 1},${y}`} />
  );
}

/** A line chart over categorical x labels (periods), with optional bands. */
export function LineChart(props: {
  title: string;
  description: string;
  labels: string[];
  series: LineSeries[];
  xLabel: string;
  yLabel: string;
  /** Fixed y range, e.g. [-100, 100] for NPS; otherwise fitted to the data. */
  yRange?: [number, number];
}) {
  const all = props.series.flatMap((s) => [...s.values, ...(s.band ?? []).flatMap((b) => [b.low, b.high])]);
  const known = all.filter((v): v is number => v != null);
  const [lo, hi] = props.yRange ?? [Math.min(0, ...known), Math.max(1, ...known)];
  const yt = ticks(lo, hi);
  const y0 = yt[0]!;
  const y1 = yt[yt.length - 1]!;
  const n = props.labels.length;
  const x = (i: number) => PAD.left + (n <= 1 ? PLOT_W / 2 : (i * PLOT_W) / (n - 1));
  const y = (v: number) => PAD.top + PLOT_H - ((v - y0) / (y1 - y0)) * PLOT_H;
  const every = Math.max(1, Math.ceil(n / 8));

  return (
    <figure class="chart">
      <ChartSvg height={H} title={props.title} description={props.description}>
        <YGrid title={props.title} yTicks={yt} y={y} />
        {props.labels.map((label, i) =>
          (n - 1 - i) % every === 0 ? (
            <text
              class="tick"
              x={x(i)}
              y={PAD.top + PLOT_H + 16}
              text-anchor={n > 1 && i === n - 1 ? 'end' : i === 0 && n > 1 ? 'start' : 'middle'}
            >
              {label}
            </text>
          ) : null,
        )}
        <AxisTitles xLabel={props.xLabel} yLabel={props.yLabel} />
        {props.series.map((s, si) => {
          const bandPts = (s.band ?? [])
            .map((b, i) => (b.low != null && b.high != null ? { i, low: b.low, high: b.high } : null))
            .filter((b) => b !== null);
          const band =
            bandPts.length > 1
              ? [
                  ...bandPts.map((b) => `${x(b.i)},${y(b.high)}`),
                  ...bandPts.reverse().map((b) => `${x(b.i)},${y(b.low)}`),
                ].join(' ')
              : null;
          const segments: string[][] = [[]];
          s.values.forEach((v, i) => {
            if (v == null) segments.push([]);
            else segments[segments.length - 1]!.push(`${x(i)},${y(v)}`);
          });
          const shape = MARKERS[si % MARKERS.length]!;
          return (
            <g class={`series s${si}`}>
              {band && <polygon class="band" points={band} />}
              {segments
                .filter((seg) => seg.length > 1)
                .map((seg) => (
                  <polyline class={s.dashed ? 'line dashed' : 'line'} points={seg.join(' ')} />
                ))}
              {s.values.map((v, i) =>
                v == null ? null : <Marker shape={shape} x={x(i)} y={y(v)} cls="marker" />,
              )}
            </g>
          );
        })}
      </ChartSvg>
      {props.series.length > 1 && (
        <figcaption class="legend">
          {props.series.map((s, si) => (
            <span class={`key s${si}`}>
              <svg viewBox="0 0 28 12" width="28" height="12" aria-hidden="true">
                <line class={s.dashed ? 'line dashed' : 'line'} x1="0" x2="28" y1="6" y2="6" />
                <Marker shape={MARKERS[si % MARKERS.length]!} x={14} y={6} cls="marker" />
              </svg>
              {s.name}
            </span>
          ))}
        </figcaption>
      )}
    </figure>
  );
}

/** Vertical bars, each labelled with its value. */
export function BarChart(props: {
  title: string;
  description: string;
  bars: { label: string; value: number | null; text: string }[];
  xLabel: string;
  yLabel: string;
}) {
  const max = Math.max(0, ...props.bars.map((b) => b.value ?? 0));
  // Headroom above the tallest bar keeps its value label clear of the title.
  const yt = ticks(0, max > 0 ? max * 1.12 : 1);
  const top = yt[yt.length - 1]!;
  const slot = PLOT_W / Math.max(1, props.bars.length);
  const bw = Math.min(80, slot * 0.6);
  const y = (v: number) => PAD.top + PLOT_H - (v / top) * PLOT_H;
  return (
    <figure class="chart">
      <ChartSvg height={H} title={props.title} description={props.description}>
        <YGrid title={props.title} yTicks={yt} y={y} />
        {props.bars.map((b, i) => {
          const cx = PAD.left + slot * i + slot / 2;
          const v = b.value ?? 0;
          return (
            <g>
              <rect
                class={`bar b${i}`}
                x={cx - bw / 2}
                y={y(v)}
                width={bw}
                height={PAD.top + PLOT_H - y(v)}
              />
              <text class="value" x={cx} y={y(v) - 6} text-anchor="middle">
                {b.text}
              </text>
              <text class="tick" x={cx} y={PAD.top + PLOT_H + 16} text-anchor="middle">
                {b.label}
              </text>
            </g>
          );
        })}
        <AxisTitles xLabel={props.xLabel} yLabel={props.yLabel} />
      </ChartSvg>
    </figure>
  );
}

/** A funnel: one horizontal bar per stage, width by count, with the count and the step rate as text. */
export function FunnelChart(props: {
  title: string;
  description: string;
  stages: { label: string; count: number }[];
}) {
  const rowH = 30;
  const h = PAD.top + props.stages.length * rowH + 10;
  const labelW = 110;
  const max = Math.max(1, ...props.stages.map((s) => s.count));
  const width = (c: number) => ((W - labelW - 230) * c) / max;
  return (
    <figure class="chart">
      <ChartSvg height={h} title={props.title} description={props.description}>
        <text class="chart-title" x={8} y={18}>
          {props.title}
        </text>
        {props.stages.map((s, i) => {
          const prev = i > 0 ? props.stages[i - 1]!.count : null;
          const rate = prev ? ` (${((s.count / prev) * 100).toFixed(0)} % of previous)` : '';
          const yy = PAD.top + i * rowH;
          return (
            <g>
              <text class="tick" x={labelW - 8} y={yy + 18} text-anchor="end">
                {s.label}
              </text>
              <rect
                class="bar b0"
                x={labelW}
                y={yy + 4}
                width={Math.max(1, width(s.count))}
                height={rowH - 8}
              />
              <text class="value" x={labelW + Math.max(1, width(s.count)) + 6} y={yy + 18}>
                {`${s.count.toLocaleString('en-US')}${rate}`}
              </text>
            </g>
          );
        })}
      </ChartSvg>
    </figure>
  );
}

/** The exact figures behind a chart, as a table with a caption. */
export function DataTable(props: { caption: string; head: string[]; rows: (string | number)[][] }) {
  return (
    <details class="data">
      <summary>{`Data: ${props.caption}`}</summary>
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            {props.head.map((h) => (
              <th scope="col">{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr>{r.map((cell, i) => (i === 0 ? <th scope="row">{cell}</th> : <td>{cell}</td>))}</tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
