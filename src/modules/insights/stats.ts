/**
 * Pure statistics for the insights. Inputs are exact counts; every result is rounded once, at
 * the end, half away from zero. Undefined quantities (no respondents, zero variance…) are
 * `null`, never NaN or Infinity, so they serialise as JSON null.
 */

/** `x` rounded to `decimals` places, half away from zero. */
export function round(x: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = (Math.sign(x) * Math.round(Math.abs(x) * f * (1 + Number.EPSILON))) / f;
  return r === 0 ? 0 : r; // never -0
}

/**
 * `num / den` rounded to `decimals` places, computed in integers so halves round exactly
 * (e.g. 1/8 → 0.13 at 2 places). `null` when `den` is 0. Both must be integers.
 */
export function ratio(num: number, den: number, decimals = 4): number | null {
  if (den === 0) return null;
  const f = 10 ** decimals;
  const sign = Math.sign(num) * Math.sign(den);
  const n = Math.abs(num) * f;
  const d = Math.abs(den);
  const q = Math.floor((2 * n + d) / (2 * d));
  const r = (sign * q) / f;
  return r === 0 ? 0 : r;
}

export interface NpsCounts {
  promoters: number;
  passives: number;
  detractors: number;
}

/** NPS in points (−100…100) = 100 × (promoters − detractors) / respondents, 2 decimals. */
export function npsScore(c: NpsCounts): number | null {
  const n = c.promoters + c.passives + c.detractors;
  return ratio(100 * (c.promoters - c.detractors), n, 2);
}

/**
 * 95% margin of error of the NPS, in points: 1.96 × 100 × √(((p + d) − (p − d)²) / n), with p
 * and d the promoter and detractor fractions and n the respondents. 2 decimals.
 */
export function npsMarginOfError(c: NpsCounts, z = 1.96): number | null {
  const n = c.promoters + c.passives + c.detractors;
  if (n === 0) return null;
  const p = c.promoters / n;
  const d = c.detractors / n;
  const variance = Math.max(0, p + d - (p - d) ** 2);
  return round(z * 100 * Math.sqrt(variance / n), 2);
}

/** CSAT in percent (0…100) = 100 × satisfied (4–5) / answers, 2 decimals. */
export const csatScore = (satisfied: number, responses: number) => ratio(100 * satisfied, responses, 2);

/** `a / b` (e.g. promoters' referral rate over detractors'), 4 decimals; null when undefined or b = 0. */
export function lift(a: number | null, b: number | null): number | null {
  if (a === null || b === null || b === 0) return null;
  return round(a / b, 4);
}

/** Ranks 1…n, ties given the average of the ranks they span. */
export function averageRanks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => ({ x, i })).sort((a, b) => a.x - b.x);
  const ranks = new Array<number>(xs.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]!.x === order[start]!.x) end++;
    const rank = (start + end) / 2 + 1;
    for (let k = start; k <= end; k++) ranks[order[k]!.i] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Pearson's r; null for fewer than 2 pairs or a constant series. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = xs.length;
  if (n !== ys.length) throw new Error('series differ in length');
  if (n < 2) return null;
  const mx = xs.reduce((s, x) => s + x, 0) / n;
  const my = ys.reduce((s, y) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - mx;
    const dy = ys[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** Spearman's ρ: Pearson's r of the average ranks (the tie-correct form). Unrounded. */
export const spearman = (xs: readonly number[], ys: readonly number[]) =>
  pearson(averageRanks(xs), averageRanks(ys));

/** How many customers share one (x, y) pair: the contingency table of two discrete series. */
export interface Cell {
  x: number;
  y: number;
  count: number;
}

/** Average ranks of each distinct value, from how often each occurs. */
function averageRanksByValue(counts: Map<number, number>): Map<number, number> {
  const ranks = new Map<number, number>();
  let before = 0;
  for (const v of [...counts.keys()].sort((a, b) => a - b)) {
    const c = counts.get(v)!;
    ranks.set(v, before + (c + 1) / 2); // ranks before+1 … before+c, averaged
    before += c;
  }
  return ranks;
}

/**
 * Spearman's ρ from a contingency table instead of one pair per customer: exactly `spearman` of
 * the expanded series (average ranks for ties), in O(cells). Scores take 11 values and
 * referral counts a handful, so a million customers are a few dozen cells. Centred sums keep
 * it exact in doubles. Null for fewer than 2 customers or a constant series.
 */
export function spearmanFromCells(cells: readonly Cell[]): number | null {
  const total = (pick: (c: Cell) => number) => {
    const m = new Map<number, number>();
    for (const c of cells) m.set(pick(c), (m.get(pick(c)) ?? 0) + c.count);
    return m;
  };
  const n = cells.reduce((s, c) => s + c.count, 0);
  if (n < 2) return null;
  const rx = averageRanksByValue(total((c) => c.x));
  const ry = averageRanksByValue(total((c) => c.y));
  const mean = (n + 1) / 2; // the mean of average ranks is always (n + 1) / 2
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const c of cells) {
    const dx = rx.get(c.x)! - mean;
    const dy = ry.get(c.y)! - mean;
    sxy += c.count * dx * dy;
    sxx += c.count * dx * dx;
    syy += c.count * dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/**
 * 95% confidence interval of a correlation by Fisher's z: tanh(atanh(r) ± 1.96 / √(n − 3)).
 * Null when r is undefined or n ≤ 3 (the standard error is undefined).
 */
export function fisherInterval(r: number | null, n: number, z = 1.96): { low: number; high: number } | null {
  if (r === null || n <= 3) return null;
  if (Math.abs(r) >= 1) return { low: r, high: r };
  const center = Math.atanh(r);
  const half = z / Math.sqrt(n - 3);
  return { low: Math.tanh(center - half), high: Math.tanh(center + half) };
}

/** ρ and its interval as the API reports them: 4 decimals, nulls when undefined. */
export function correlationReport(rho: number | null, n: number) {
  const ci = fisherInterval(rho, n);
  return {
    rho: rho === null ? null : round(rho, 4),
    ciLow: ci ? round(ci.low, 4) : null,
    ciHigh: ci ? round(ci.high, 4) : null,
    n,
  };
}

/** Points valued in money (minor units): points × amount / per, rounded half up to an integer. */
export function pointsValue(points: number, value: { points: number; amount: number }): number {
  return ratio(points * value.amount, value.points, 0)!;
}
