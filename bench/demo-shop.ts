/**
 * A realistic year of a synthetic shop, played through the API so every ledger and referral
 * invariant holds: customers, orders (some refunded), NPS and CSAT answers and reviews whose
 * satisfaction correlates with sharing and referring, referrals in every state, shares, clicks
 * and redemptions, backdated from `now`. Deterministic for a given seed and size. Used by
 * `npm run seed:demo` and by the dashboard's browser test.
 */

/** Calls the API as the merchant's admin key; throws on a non-2xx answer. */
export type Call = (method: string, url: string, body?: unknown) => Promise<any>;

export interface SeedSummary {
  customers: number;
  referees: number;
  orders: number;
  answers: number;
  shares: number;
  redemptions: number;
}

const DAY = 86_400_000;
const FIRST = [
  'Ada',
  'Ben',
  'Chloé',
  'Dev',
  'Emma',
  'Farid',
  'Gaia',
  'Hugo',
  'Inès',
  'Jon',
  'Kim',
  'Léa',
  'Malo',
  'Nina',
];
const LAST = [
  'Martin',
  'Bernard',
  'Dubois',
  'Moreau',
  'Laurent',
  'Simon',
  'Michel',
  'Garcia',
  'Roux',
  'Fontaine',
];
const CHANNELS = ['email', 'whatsapp', 'instagram', 'facebook', 'sms'];

/** mulberry32: a small, well-distributed seeded PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const pad = (n: number) => String(n).padStart(4, '0');

export async function seedDemoShop(
  call: Call,
  opts: { customers?: number; seed?: number; now?: number } = {},
): Promise<SeedSummary> {
  const customers = opts.customers ?? 500;
  const now = opts.now ?? Date.now();
  const rand = prng(opts.seed ?? 20_250_615);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number) => rand() < p;
  const ago = (days: number) => new Date(now - days * DAY - int(1, 600) * 60_000).toISOString();
  let orderSeq = 0;
  const order = (customerId: string, daysAgo: number, extra: Record<string, unknown> = {}) =>
    call('POST', '/v1/orders', {
      id: `demo-o-${pad(++orderSeq)}`,
      customerId,
      total: int(15, 140) * 100 + pick([0, 50, 90]),
      currency: 'EUR',
      paidAt: ago(daysAgo),
      channel: pick(['web', 'web', 'app', 'store']),
      ...extra,
    });

  await call('PATCH', '/v1/merchant', { pendingDays: 14, expiry: { mode: 'fixed', days: 180 } });
  const rule = (body: Record<string, unknown>) => call('POST', '/v1/rules', body);
  await rule({
    name: '1 point per euro',
    event: 'order.paid',
    reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' },
  });
  await rule({ name: 'Review bonus', event: 'review.created', reward: { type: 'fixed', points: 50 } });
  await rule({ name: 'Share bonus', event: 'share.created', reward: { type: 'fixed', points: 10 } });
  await rule({ name: 'Survey thanks', event: 'survey.submitted', reward: { type: 'fixed', points: 25 } });
  await call('PUT', '/v1/referral-program', {
    active: true,
    referrerReward: { points: 500 },
    refereeReward: { points: 250 },
    minOrderTotal: 2_000,
    holdDays: 14,
    attributionWindowDays: 30,
    linkTemplate: 'https://demo-shop.example/?ref={code}',
  });
  const reward = await call('POST', '/v1/rewards', {
    name: '5 € off',
    costPoints: 500,
    kind: 'discount_fixed',
    value: 500,
    currency: 'EUR',
    active: true,
  });

  let answers = 0;
  const answer = (customerId: string, kind: 'nps' | 'csat', score: number, daysAgo: number) =>
    call('POST', '/v1/survey-responses', {
      id: `demo-s-${pad(++answers)}`,
      customerId,
      kind,
      score,
      respondedAt: ago(daysAgo),
      channel: pick(['email', 'sms', 'in-app']),
      ...(kind === 'nps' &&
        score <= 6 && { comment: pick(['Late delivery', 'Item damaged', 'Support was slow']) }),
    });
  const npsFor = (segment: number) => (segment === 0 ? int(9, 10) : segment === 1 ? int(7, 8) : int(0, 6));
  const ratingFor = (segment: number) => (segment === 0 ? int(4, 5) : segment === 1 ? int(3, 5) : int(1, 3));

  let shares = 0;
  let referees = 0;
  for (let i = 1; i <= customers; i++) {
    const id = `c${pad(i)}`;
    const first = pick(FIRST);
    const last = pick(LAST);
    const signup = int(20, 365);
    await call('PUT', `/v1/customers/${id}`, {
      email: `${first.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '')}.${last.toLowerCase()}.${i}@example.com`,
      name: `${first} ${last}`,
      createdAt: ago(signup),
    });
    // The customer's satisfaction: 0 promoter, 1 passive, 2 detractor (answered or not).
    const segment = rand() < 0.45 ? 0 : rand() < 0.55 ? 1 : 2;
    const count = Math.max(
      1,
      Math.round(rand() * rand() * 8) + (segment === 0 ? 1 : 0) - (segment === 2 ? 1 : 0),
    );
    const days = Array.from({ length: count }, () => int(0, signup)).sort((a, b) => b - a);
    for (const d of days) {
      const placed = await order(id, d);
      if (chance(0.06)) {
        const full = chance(0.5);
        await call('POST', `/v1/orders/${placed.order.id}/refunds`, {
          id: `${placed.order.id}-refund`,
          ...(!full && { amount: Math.floor(placed.order.total * 0.3) }),
        });
      }
      if (chance(0.3)) await answer(id, 'csat', ratingFor(segment), Math.max(0, d - 2));
      if (chance(0.15)) {
        await call('POST', '/v1/reviews', {
          id: `${placed.order.id}-review`,
          customerId: id,
          rating: ratingFor(segment),
          verifiedPurchase: true,
          createdAt: ago(Math.max(0, d - 5)),
        });
      }
    }
    if (chance(0.65)) {
      await answer(id, 'nps', npsFor(segment), Math.max(0, days[0]! - 7));
      if (chance(0.25))
        await answer(id, 'nps', npsFor(chance(0.8) ? segment : int(0, 2)), Math.max(0, days.at(-1)! - 1));
    }
    const shareP = [0.6, 0.2, 0.05][segment]!;
    if (chance(shareP)) {
      for (let k = int(1, 3); k > 0; k--) {
        await call('POST', '/v1/shares', {
          id: `demo-sh-${pad(++shares)}`,
          customerId: id,
          channel: pick(CHANNELS),
          createdAt: ago(int(0, signup)),
        });
      }
    }
    // Referring follows satisfaction.
    if (!chance([0.35, 0.12, 0.04][segment]!)) continue;
    const { code } = await call('POST', `/v1/customers/${id}/referral-code`, {});
    for (let k = int(2, 6); k > 0; k--)
      await call('POST', '/v1/referral-clicks', { code, channel: pick(CHANNELS) });
    for (let k = segment === 0 ? int(1, 3) : 1; k > 0; k--) {
      const referee = `r${pad(++referees)}`;
      const fate = rand();
      if (fate < 0.1) {
        // Attributed at signup, no order yet: pending.
        await call('POST', '/v1/referrals', {
          code,
          refereeId: referee,
          refereeEmail: `${referee}@example.net`,
        });
      } else if (fate < 0.2) {
        // First order below the program's minimum: still pending.
        await order(referee, int(1, 20), { referralCode: code, total: 1_200 });
      } else if (fate < 0.3) {
        // Qualifying order refunded inside the hold: reversed.
        const placed = await order(referee, int(1, 10), { referralCode: code });
        await call('POST', `/v1/orders/${placed.order.id}/refunds`, { id: `${placed.order.id}-refund` });
      } else {
        // Qualified; rewarded once the 14-day hold has passed (the jobs run below).
        const d = int(1, Math.min(signup, 200));
        await order(referee, d, { referralCode: code });
        for (let j = chance(0.5) ? int(1, 3) : 0; j > 0; j--) await order(referee, int(0, d));
        if (chance(0.5))
          await answer(referee, 'nps', npsFor(chance(0.6) ? 0 : int(1, 2)), Math.max(0, d - 10));
      }
    }
    // Rejections, every decision explained: a customer reusing their own code, an existing customer.
    if (chance(0.15)) await call('POST', '/v1/referrals', { code, refereeId: id });
    if (chance(0.1)) await call('POST', '/v1/referrals', { code, refereeId: `c${pad(int(1, i))}` });
    if (i % 50 === 0) console.log(`  ${i} customers…`);
  }

  await call('POST', '/v1/jobs/run');
  // Redemptions by those who can afford one; some are cancelled (points return).
  let redeemed = 0;
  for (let i = 1; i <= customers; i++) {
    const id = `c${pad(i)}`;
    const customer = await call('GET', `/v1/customers/${id}`);
    if (customer.points.available < 500 || !chance(0.35)) continue;
    const redemption = await call('POST', '/v1/redemptions', { customerId: id, rewardId: reward.id });
    redeemed++;
    if (chance(0.1)) await call('POST', `/v1/redemptions/${redemption.id}/cancel`);
  }
  await call('POST', '/v1/jobs/run');

  return { customers, referees, orders: orderSeq, answers, shares, redemptions: redeemed };
}
