import { describe, expect, it } from 'vitest';
import { type EarningRuleRow, type EvaluationInput, evaluateRules, type RuleUsage } from './evaluate';

const NOW = new Date('2025-06-15T12:00:00Z');
let seq = 0;

function rule(overrides: Partial<EarningRuleRow> = {}): EarningRuleRow {
  seq++;
  return {
    merchantId: 'mer_test',
    id: `rul_${String(seq).padStart(4, '0')}`,
    name: `rule ${seq}`,
    event: 'order.paid',
    condition: null,
    reward: { type: 'fixed', points: 10 },
    limits: null,
    startsAt: null,
    endsAt: null,
    priority: 0,
    stackable: true,
    pendingDays: null,
    applyTierMultiplier: true,
    active: true,
    budgetUsed: 0,
    deletedAt: null,
    createdAt: new Date(NOW.getTime() - 1_000_000 + seq),
    updatedAt: NOW,
    ...overrides,
  };
}

function run(rules: EarningRuleRow[], opts: Partial<Omit<EvaluationInput, 'rules'>> = {}) {
  return evaluateRules({
    rules,
    facts: {
      event: { type: 'order.paid', total: 10_000 },
      customer: { tier: null, tags: [], ordersCount: 0, lifetimeEarned: 0 },
    },
    amount: 10_000,
    tierMultiplier: 1,
    now: NOW,
    usage: new Map<string, RuleUsage>(),
    ...opts,
  });
}

const perAmount = (points: number, per: number, rounding: 'floor' | 'round' | 'ceil' = 'floor') =>
  ({ type: 'points_per_amount', points, per, rounding }) as const;

describe('reward types', () => {
  it('points_per_amount gives amount × points / per', () => {
    const r = rule({ reward: perAmount(1, 100) });
    expect(run([r], { amount: 4_999 })).toMatchObject({ total: 49, matched: [{ ruleId: r.id, points: 49 }] });
  });

  it.each([
    ['floor', 4_950, 49],
    ['round', 4_950, 50],
    ['ceil', 4_950, 50],
    ['floor', 4_949, 49],
    ['round', 4_949, 49],
    ['ceil', 4_901, 50],
    ['round', 4_900, 49],
    ['ceil', 4_900, 49],
  ] as const)('rounding %s of %i cents at 1 point per euro → %i', (rounding, amount, points) => {
    expect(run([rule({ reward: perAmount(1, 100, rounding) })], { amount }).total).toBe(points);
  });

  it('rounds an exact half up (round) and computes exactly where floating point would not', () => {
    expect(run([rule({ reward: perAmount(1, 100, 'round') })], { amount: 50 }).total).toBe(1);
    expect(run([rule({ reward: perAmount(1, 100, 'floor') })], { amount: 50 }).total).toBe(0);
    // 999_999_999_500 / 1000 = 999_999_999.5 exactly
    const half = (rounding: 'floor' | 'round' | 'ceil') =>
      run([rule({ reward: perAmount(1, 1000, rounding) })], { amount: 999_999_999_500 }).total;
    expect([half('floor'), half('round'), half('ceil')]).toEqual([999_999_999, 1_000_000_000, 1_000_000_000]);
    // 11_877_267_129 × 999_999 = 11_877_256 × 999_999_937 − 1, beyond 2^53: floating point floors to 11_877_256.
    const huge = (rounding: 'floor' | 'round' | 'ceil') =>
      run([rule({ reward: perAmount(999_999, 999_999_937, rounding) })], { amount: 11_877_267_129 }).total;
    expect([huge('floor'), huge('round'), huge('ceil')]).toEqual([11_877_255, 11_877_256, 11_877_256]);
    expect(Math.floor((11_877_267_129 * 999_999) / 999_999_937)).toBe(11_877_256);
  });

  it('caps an award at the largest integer the ledger holds, and says so', () => {
    const m = run([rule({ reward: perAmount(1_000_000, 1) })], { amount: 1e12 }).matched[0]!;
    expect(m.points).toBe(2_147_483_647);
    expect(m.trace.capped).toMatch(/capped/);
  });

  it('fixed gives its points whatever the amount, even without one', () => {
    const r = rule({ reward: { type: 'fixed', points: 25 } });
    expect(run([r], { amount: null }).matched).toEqual([
      expect.objectContaining({ ruleId: r.id, points: 25 }),
    ]);
  });

  it('points_per_amount without an amount is skipped as no_amount', () => {
    const r = rule({ reward: perAmount(1, 100) });
    expect(run([r], { amount: null }).skipped).toEqual([
      expect.objectContaining({ ruleId: r.id, reason: 'no_amount' }),
    ]);
  });

  it('a rule computing to 0 points is skipped as zero_points', () => {
    const r = rule({ reward: perAmount(1, 100) });
    const result = run([r], { amount: 99 });
    expect(result).toMatchObject({
      total: 0,
      matched: [],
      skipped: [{ ruleId: r.id, reason: 'zero_points' }],
    });
  });

  it('refuses a negative or fractional amount (a caller bug)', () => {
    expect(() => run([rule()], { amount: -1 })).toThrow(RangeError);
    expect(() => run([rule()], { amount: 1.5 })).toThrow(RangeError);
  });
});

describe('tier multiplier', () => {
  it('multiplies base points and rounds down, with the step in the trace', () => {
    const m = run([rule({ reward: perAmount(1, 100) })], { amount: 4_999, tierMultiplier: 1.5 }).matched[0]!;
    expect(m.points).toBe(73); // floor(49 × 1.5)
    expect(m.trace.tierMultiplier).toBe('49 × 1.5 = 73.5, floor → 73');
  });

  it('applies to fixed rewards too, unless the rule opts out', () => {
    const a = rule({ reward: { type: 'fixed', points: 10 } });
    const b = rule({ reward: { type: 'fixed', points: 10 }, applyTierMultiplier: false });
    expect(run([a, b], { tierMultiplier: 2 }).matched.map((m) => m.points)).toEqual([20, 10]);
  });

  it('is exact to 4 decimals even for factors float32 cannot hold (1.15)', () => {
    const float32 = Math.fround(1.15); // what a `real` column returns: 1.1499999761…
    expect(run([rule({ reward: { type: 'fixed', points: 100 } })], { tierMultiplier: float32 }).total).toBe(
      115,
    );
  });
});

describe('priority, stacking and multipliers', () => {
  it('evaluates by priority desc, then createdAt, then id', () => {
    const t = new Date('2025-01-01T00:00:00Z');
    const low = rule({ priority: 0, createdAt: t });
    const highOld = rule({ priority: 5, createdAt: t });
    const highNew = rule({ priority: 5, createdAt: new Date(t.getTime() + 1) });
    const tieB = rule({ id: 'rul_b', priority: 1, createdAt: t });
    const tieA = rule({ id: 'rul_a', priority: 1, createdAt: t });
    const ids = run([low, tieB, highNew, tieA, highOld]).matched.map((m) => m.ruleId);
    expect(ids).toEqual([highOld.id, highNew.id, 'rul_a', 'rul_b', low.id]);
  });

  it('stackable rules all apply and add up', () => {
    expect(run([rule(), rule(), rule({ reward: perAmount(1, 100) })]).total).toBe(10 + 10 + 100);
  });

  it('an exclusive rule that applies supersedes every lower-priority base rule', () => {
    const top = rule({ priority: 10, stackable: false, reward: { type: 'fixed', points: 500 } });
    const lower = rule({ priority: 1 });
    const lowerExclusive = rule({ priority: 0, stackable: false });
    const result = run([lower, top, lowerExclusive]);
    expect(result.total).toBe(500);
    expect(result.skipped).toEqual([
      expect.objectContaining({ ruleId: lower.id, reason: 'superseded' }),
      expect.objectContaining({ ruleId: lowerExclusive.id, reason: 'superseded' }),
    ]);
  });

  it('an exclusive rule does not apply when a higher-priority rule already did', () => {
    const first = rule({ priority: 10 });
    const exclusive = rule({ priority: 5, stackable: false, reward: { type: 'fixed', points: 500 } });
    const after = rule({ priority: 1 });
    const result = run([first, exclusive, after]);
    expect(result.matched.map((m) => m.ruleId)).toEqual([first.id, after.id]);
    expect(result.skipped).toEqual([expect.objectContaining({ ruleId: exclusive.id, reason: 'superseded' })]);
  });

  it('an exclusive rule that does not match supersedes nothing', () => {
    const exclusive = rule({ priority: 10, stackable: false, active: false });
    const zero = rule({ priority: 9, stackable: false, reward: perAmount(1, 1_000_000) });
    const other = rule({ priority: 1 });
    const result = run([exclusive, zero, other]);
    expect(result.matched.map((m) => m.ruleId)).toEqual([other.id]);
    expect(result.skipped.map((s) => s.reason)).toEqual(['inactive', 'zero_points']);
  });

  it('multiplier rules add floor(base × (factor − 1)) after the base rules, attributed to themselves', () => {
    const mult = rule({ priority: 100, reward: { type: 'multiplier', factor: 1.5 } });
    const base1 = rule({ reward: { type: 'fixed', points: 15 } });
    const base2 = rule({ reward: { type: 'fixed', points: 10 } });
    const result = run([mult, base1, base2]);
    expect(result.matched.map((m) => [m.ruleId, m.points])).toEqual([
      [base1.id, 15],
      [base2.id, 10],
      [mult.id, 12], // floor(25 × 0.5)
    ]);
    expect(result.total).toBe(37);
  });

  it('several multipliers each apply to the base sum (no compounding); an exclusive one stops later ones', () => {
    const base = rule({ reward: { type: 'fixed', points: 100 } });
    const double = rule({ priority: 3, reward: { type: 'multiplier', factor: 2 } });
    const plus10 = rule({ priority: 2, reward: { type: 'multiplier', factor: 1.1 } });
    expect(run([base, double, plus10]).total).toBe(100 + 100 + 10);
    const exclusive = rule({ priority: 1, stackable: false, reward: { type: 'multiplier', factor: 3 } });
    const result = run([base, exclusive]);
    expect(result.total).toBe(300);
    const after = rule({ priority: 0, reward: { type: 'multiplier', factor: 2 } });
    expect(run([base, exclusive, after]).skipped).toEqual([
      expect.objectContaining({ ruleId: after.id, reason: 'superseded' }),
    ]);
  });

  it('a multiplier with nothing to multiply is skipped as zero_points', () => {
    const mult = rule({ reward: { type: 'multiplier', factor: 2 } });
    expect(run([mult]).skipped).toEqual([
      expect.objectContaining({ ruleId: mult.id, reason: 'zero_points' }),
    ]);
  });
});

describe('eligibility', () => {
  it('ignores rules for other events and deleted rules', () => {
    const result = run([rule({ event: 'review.created' }), rule({ deletedAt: NOW })]);
    expect(result).toEqual({ matched: [], skipped: [], total: 0 });
  });

  it('skips an inactive rule', () => {
    expect(run([rule({ active: false })]).skipped[0]).toMatchObject({ reason: 'inactive' });
  });

  it('applies in [startsAt, endsAt): from startsAt included to endsAt excluded', () => {
    const r = rule({ startsAt: NOW, endsAt: new Date(NOW.getTime() + 1000) });
    expect(run([r]).total).toBe(10);
    expect(run([r], { now: new Date(NOW.getTime() - 1) }).skipped[0]).toMatchObject({
      reason: 'outside_window',
    });
    expect(run([r], { now: new Date(NOW.getTime() + 999) }).total).toBe(10);
    expect(run([r], { now: new Date(NOW.getTime() + 1000) }).skipped[0]).toMatchObject({
      reason: 'outside_window',
      detail: expect.stringContaining('ended'),
    });
  });

  it('skips a rule whose condition is false, and applies it when true', () => {
    const r = rule({ condition: { in: ['vip', { var: 'customer.tags' }] } });
    expect(run([r]).skipped[0]).toMatchObject({
      reason: 'condition_false',
      detail: 'the condition is false',
    });
    const vip = { tier: null, tags: ['vip'], ordersCount: 0, lifetimeEarned: 0 };
    expect(run([r], { facts: { event: { type: 'order.paid' }, customer: vip } }).total).toBe(10);
  });

  it('reports a stored condition that fails validation instead of running it', () => {
    const r = rule({ condition: { log: 'x' } });
    expect(run([r]).skipped[0]).toMatchObject({
      reason: 'condition_false',
      detail: expect.stringMatching(/unknown operator "log"/),
    });
  });

  it('skips as cap_reached once the period count reaches the cap', () => {
    const r = rule({ limits: { perCustomer: { count: 2, period: 'day' } } });
    const usage = (n: number) => new Map([[r.id, { periodCount: n, budgetUsed: 0 }]]);
    expect(run([r], { usage: usage(1) }).total).toBe(10);
    expect(run([r], { usage: usage(2) }).skipped[0]).toMatchObject({ reason: 'cap_reached' });
  });

  it('trims the award to the budget left, and skips when it is used up', () => {
    const r = rule({ reward: { type: 'fixed', points: 50 }, limits: { budget: 1000 } });
    const usage = (used: number) => new Map([[r.id, { periodCount: 0, budgetUsed: used }]]);
    expect(run([r], { usage: usage(900) }).total).toBe(50);
    const trimmed = run([r], { usage: usage(980) }).matched[0]!;
    expect(trimmed.points).toBe(20);
    expect(trimmed.trace.budget).toBe('trimmed from 50 to 20: budget 1000, 980 used');
    expect(run([r], { usage: usage(1000) }).skipped[0]).toMatchObject({ reason: 'budget_exhausted' });
  });

  it('falls back to the row’s budgetUsed when usage has no entry', () => {
    const r = rule({ limits: { budget: 100 }, budgetUsed: 100 });
    expect(run([r]).skipped[0]).toMatchObject({ reason: 'budget_exhausted' });
  });

  it('carries the rule’s pendingDays and a readable trace', () => {
    const r = rule({ reward: perAmount(2, 100, 'ceil'), pendingDays: 14 });
    const m = run([r], { amount: 1_234 }).matched[0]!;
    expect(m).toMatchObject({ points: 25, pendingDays: 14 });
    expect(m.trace).toMatchObject({
      condition: 'none',
      base: '1234 × 2 / 100 = 24.68, ceil → 25',
      points: 25,
    });
  });
});
