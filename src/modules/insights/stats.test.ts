import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  averageRanks,
  correlationReport,
  csatScore,
  fisherInterval,
  lift,
  npsMarginOfError,
  npsScore,
  pointsValue,
  ratio,
  round,
  spearman,
  spearmanFromCells,
} from './stats';

describe('NPS', () => {
  it('is % promoters − % detractors, in points', () => {
    // 50 promoters, 30 passives, 20 detractors: 50% − 20% = 30.
    expect(npsScore({ promoters: 50, passives: 30, detractors: 20 })).toBe(30);
    expect(npsScore({ promoters: 0, passives: 0, detractors: 3 })).toBe(-100);
    // 1 − 2 of 3: −33.333… → −33.33; 2 of 3: 66.67 (half away from zero).
    expect(npsScore({ promoters: 1, passives: 0, detractors: 2 })).toBe(-33.33);
    expect(npsScore({ promoters: 2, passives: 1, detractors: 0 })).toBe(66.67);
  });

  it('has a 95% margin of error of 1.96 × 100 × √(((p + d) − (p − d)²) / n)', () => {
    // p = .5, d = .2, n = 100: √((.7 − .09) / 100) = .0781025 → 15.308 points.
    expect(npsMarginOfError({ promoters: 50, passives: 30, detractors: 20 })).toBe(15.31);
    // Everyone a promoter: no variance.
    expect(npsMarginOfError({ promoters: 4, passives: 0, detractors: 0 })).toBe(0);
    // p = d = .5, n = 4: √(1 / 4) = .5 → 98 points.
    expect(npsMarginOfError({ promoters: 2, passives: 0, detractors: 2 })).toBe(98);
  });

  it('is null, not NaN, with no respondents', () => {
    const none = { promoters: 0, passives: 0, detractors: 0 };
    expect(npsScore(none)).toBeNull();
    expect(npsMarginOfError(none)).toBeNull();
  });
});

describe('CSAT, ratios and lift', () => {
  it('CSAT is the percentage of 4–5 answers', () => {
    expect(csatScore(3, 4)).toBe(75);
    expect(csatScore(1, 3)).toBe(33.33);
    expect(csatScore(0, 0)).toBeNull();
  });

  it('rounds exact ratios half away from zero', () => {
    expect(ratio(1, 8, 2)).toBe(0.13);
    expect(ratio(-1, 8, 2)).toBe(-0.13);
    expect(ratio(2, 3)).toBe(0.6667);
    expect(ratio(5, 0)).toBeNull();
    expect(round(-0.00001, 2)).toBe(0);
    expect(round(2.675, 2)).toBe(2.68);
  });

  it('lift is a ratio of rates, null when the base is zero or unknown', () => {
    expect(lift(0.5, 0.2)).toBe(2.5);
    expect(lift(0.5, 0)).toBeNull();
    expect(lift(null, 0.2)).toBeNull();
  });

  it('values points in minor units, rounding half up', () => {
    expect(pointsValue(1_234, { points: 100, amount: 100 })).toBe(1_234);
    expect(pointsValue(250, { points: 100, amount: 1 })).toBe(3); // 2.5 → 3
    expect(pointsValue(249, { points: 100, amount: 1 })).toBe(2);
  });
});

describe("Spearman's ρ", () => {
  it('gives tied values the average of their ranks', () => {
    expect(averageRanks([10, 20, 20, 30, 20])).toEqual([1, 3, 3, 5, 3]);
  });

  it('matches the textbook example without ties (IQ vs hours of TV: ρ = −29/165)', () => {
    const iq = [106, 100, 86, 101, 99, 103, 97, 113, 112, 110];
    const tv = [7, 27, 2, 50, 28, 29, 20, 12, 6, 17];
    expect(spearman(iq, tv)).toBeCloseTo(-29 / 165, 12);
  });

  it('matches the reference example with ties (x = 1…5, y = 5 6 7 8 7: ρ = 8/√95 = 0.82078…)', () => {
    // y ranks 1, 2, 3.5, 5, 3.5; Σdxdy = 8, Σdx² = 10, Σdy² = 9.5 (the value SciPy documents).
    expect(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7])).toBeCloseTo(0.8207826816681233, 12);
  });

  it('is null for fewer than two customers or a constant series', () => {
    expect(spearman([3], [1])).toBeNull();
    expect(spearman([9, 9, 9], [0, 1, 2])).toBeNull();
    expect(spearmanFromCells([{ x: 3, y: 1, count: 1 }])).toBeNull();
    expect(
      spearmanFromCells([
        { x: 9, y: 0, count: 2 },
        { x: 9, y: 1, count: 1 },
      ]),
    ).toBeNull();
  });

  it('from a contingency table equals ρ of the expanded series', () => {
    // The tied reference example as cells: (1,5) (2,6) (3,7) (4,8) (5,7).
    const cells = [
      { x: 1, y: 5, count: 1 },
      { x: 2, y: 6, count: 1 },
      { x: 3, y: 7, count: 1 },
      { x: 4, y: 8, count: 1 },
      { x: 5, y: 7, count: 1 },
    ];
    expect(spearmanFromCells(cells)).toBeCloseTo(8 / Math.sqrt(95), 12);
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            x: fc.integer({ min: 0, max: 10 }),
            y: fc.integer({ min: 0, max: 4 }),
            count: fc.integer({ min: 1, max: 50 }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        (table) => {
          const xs = table.flatMap((c) => Array<number>(c.count).fill(c.x));
          const ys = table.flatMap((c) => Array<number>(c.count).fill(c.y));
          const expected = spearman(xs, ys);
          const actual = spearmanFromCells(table);
          return expected === null ? actual === null : Math.abs(actual! - expected) < 1e-9;
        },
      ),
    );
  });
});

describe("Fisher's z interval", () => {
  it('is tanh(atanh(r) ± 1.96/√(n − 3)): r = .5, n = 28 gives [.156, .736]', () => {
    const ci = fisherInterval(0.5, 28)!;
    expect(ci.low).toBeCloseTo(0.15602, 5);
    expect(ci.high).toBeCloseTo(0.73582, 5);
    expect(correlationReport(0.5, 28)).toEqual({ rho: 0.5, ciLow: 0.156, ciHigh: 0.7358, n: 28 });
  });

  it('is null when n ≤ 3 or ρ is undefined, and degenerate at |ρ| = 1', () => {
    expect(fisherInterval(0.9, 3)).toBeNull();
    expect(fisherInterval(null, 50)).toBeNull();
    expect(correlationReport(null, 0)).toEqual({ rho: null, ciLow: null, ciHigh: null, n: 0 });
    expect(fisherInterval(1, 10)).toEqual({ low: 1, high: 1 });
  });
});
