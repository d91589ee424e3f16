import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app';
import { createMerchant } from './helpers/client';
import { DashboardClient, decode } from './helpers/dashboard';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

async function signedIn() {
  const m = await createMerchant(t, { currency: 'EUR', timezone: 'Europe/Paris' });
  const client = await DashboardClient.signedIn(t, m.secretKey);
  await client.get('/dashboard/program');
  return { m, client };
}

const REWARD_FORM = {
  name: '5 € off',
  description: 'Five euros off the next order',
  kind: 'discount_fixed',
  value: '5.00',
  productId: '',
  costPoints: '500',
  minTier: '',
  stock: '10',
  perCustomerLimit: '2',
  startsAt: '2030-06-01T09:00',
  endsAt: '',
  active: 'on',
};

/** The error shown for an input, if any: the input is marked invalid and points at it. */
function errorAt(html: string, id: string): string | null {
  const input = new RegExp(`<(?:input|select)[^>]*id="${id}"[^>]*>`).exec(html)?.[0];
  if (!input) throw new Error(`no input #${id}`);
  if (!/aria-invalid="true"/.test(input) || !input.includes(`${id}-error`)) return null;
  const m = new RegExp(`id="${id}-error"[^>]*>([^<]*)<`).exec(html);
  return m ? decode(m[1]!) : null;
}

const inputValue = (html: string, id: string) =>
  decode(new RegExp(`<input[^>]*id="${id}"[^>]*value="([^"]*)"`).exec(html)?.[1] ?? '');

describe('dashboard rewards catalog', () => {
  it('shows the three sections with their forms, each carrying the CSRF token', async () => {
    const { client } = await signedIn();
    const page = await client.get('/dashboard/program');
    expect(page.status).toBe(200);
    expect(page.html).toContain('<h1>Rewards &amp; tiers</h1>');
    for (const id of ['rewards-heading', 'tiers-heading', 'referrals-heading'])
      expect(page.html).toContain(`id="${id}"`);
    expect(page.html).toContain('No rewards yet');
    expect(page.html.match(/name="_csrf"/g)!.length).toBeGreaterThanOrEqual(4);
  });

  it('creates a reward from the form, readable through GET /v1/rewards', async () => {
    const { m, client } = await signedIn();
    const res = await client.post('/dashboard/program/rewards', REWARD_FORM);
    expect(res.status).toBe(303);
    expect(res.location).toBe('/dashboard/program?notice=reward-created#rewards-heading');

    const list = (await m.api.get('/v1/rewards')).body.data;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      name: '5 € off',
      description: 'Five euros off the next order',
      kind: 'discount_fixed',
      value: 500,
      currency: 'EUR',
      costPoints: 500,
      stock: 10,
      perCustomerLimit: 2,
      minTier: null,
      startsAt: '2030-06-01T07:00:00.000Z', // 09:00 in Paris, summer time
      endsAt: null,
      active: true,
    });

    const page = await client.get(res.location!);
    expect(page.html).toContain('Reward added.');
    expect(page.html).toContain(`data-reward="${list[0].id}"`);
    expect(page.html).toContain('€5.00');
  });

  describe.each([
    ['a negative cost', { costPoints: '-5' }, 'reward-cost', /must be at least 1/],
    ['a cost that is not a number', { costPoints: 'lots' }, 'reward-cost', /must be a number/],
    ['no name', { name: '' }, 'reward-name', /is required/],
    ['a percent discount over 100', { kind: 'discount_percent', value: '150' }, 'reward-value', /1 to 100/],
    ['a fixed discount without a value', { value: '' }, 'reward-value', /is required/],
    ['more decimals than the currency has', { value: '5.001' }, 'reward-value', /must be a number/],
    ['a minimum tier that is not on the ladder', { minTier: 'Platinum' }, 'reward-tier', /not a tier/],
    ['an end before the start', { endsAt: '2030-05-01T00:00' }, 'reward-ends', /after startsAt/],
  ])('refuses %s', (_label, change, input, message) => {
    it('with 422, the error at the field, the input kept and nothing written', async () => {
      const { m, client } = await signedIn();
      const form = { ...REWARD_FORM, ...change };
      const res = await client.post('/dashboard/program/rewards', form);
      expect(res.status).toBe(422);
      expect(errorAt(res.html, input)).toMatch(message);
      expect(res.html).toContain('Nothing was saved');
      expect(inputValue(res.html, 'reward-description')).toBe(form.description);
      expect(inputValue(res.html, 'reward-cost')).toBe(form.costPoints);
      expect((await m.api.get('/v1/rewards')).body.data).toEqual([]);
    });
  });

  it('edits a reward: the form is filled from it and the change reads back through the API', async () => {
    const { m, client } = await signedIn();
    await client.post('/dashboard/program/rewards', REWARD_FORM);
    const [reward] = (await m.api.get('/v1/rewards')).body.data;

    const edit = await client.get(`/dashboard/program?edit=${reward.id}`);
    expect(edit.status).toBe(200);
    expect(edit.html).toContain(`action="/dashboard/program/rewards/${reward.id}"`);
    expect(inputValue(edit.html, 'reward-value')).toBe('5.00');
    expect(inputValue(edit.html, 'reward-starts')).toBe('2030-06-01T09:00');

    const res = await client.post(`/dashboard/program/rewards/${reward.id}`, {
      ...REWARD_FORM,
      name: '7.50 € off',
      value: '7.5',
      stock: '',
      startsAt: '',
    });
    expect(res.status).toBe(303);
    expect((await m.api.get(`/v1/rewards/${reward.id}`)).body).toMatchObject({
      name: '7.50 € off',
      value: 750,
      stock: null,
      startsAt: null,
      perCustomerLimit: 2,
    });
  });

  it('keeps the reward unchanged when an edit is refused', async () => {
    const { m, client } = await signedIn();
    await client.post('/dashboard/program/rewards', REWARD_FORM);
    const [before] = (await m.api.get('/v1/rewards')).body.data;
    await client.get(`/dashboard/program?edit=${before.id}`);
    const res = await client.post(`/dashboard/program/rewards/${before.id}`, { ...REWARD_FORM, stock: '-1' });
    expect(res.status).toBe(422);
    expect(errorAt(res.html, 'reward-stock')).toBeTruthy();
    expect(res.html).toContain(`action="/dashboard/program/rewards/${before.id}"`);
    expect((await m.api.get(`/v1/rewards/${before.id}`)).body).toEqual(before);
  });

  it('deactivates and reactivates a reward from its row', async () => {
    const { m, client } = await signedIn();
    await client.post('/dashboard/program/rewards', REWARD_FORM);
    const [reward] = (await m.api.get('/v1/rewards')).body.data;
    const off = await client.post(`/dashboard/program/rewards/${reward.id}`, { _action: 'deactivate' });
    expect(off.status).toBe(303);
    expect((await m.api.get(`/v1/rewards/${reward.id}`)).body.active).toBe(false);
    const page = await client.get(off.location!);
    expect(page.html).toContain('Reward deactivated');
    await client.post(`/dashboard/program/rewards/${reward.id}`, { _action: 'activate' });
    expect((await m.api.get(`/v1/rewards/${reward.id}`)).body.active).toBe(true);
  });

  it("answers 404 for another merchant's reward and leaves it alone", async () => {
    const other = await createMerchant(t);
    const theirs = (
      await other.api.post('/v1/rewards', { name: 'Theirs', kind: 'free_shipping', costPoints: 100 })
    ).body;
    const { client } = await signedIn();
    expect((await client.get(`/dashboard/program?edit=${theirs.id}`)).status).toBe(404);
    expect((await client.get('/dashboard/program?edit=rwd_unknown')).status).toBe(404);
    const res = await client.post(`/dashboard/program/rewards/${theirs.id}`, { _action: 'deactivate' });
    expect(res.status).toBe(404);
    expect(res.html).toContain('Not found');
    expect((await other.api.get(`/v1/rewards/${theirs.id}`)).body.active).toBe(true);
  });

  it('refuses a post without the CSRF token and writes nothing', async () => {
    const { m, client } = await signedIn();
    const res = await client.post('/dashboard/program/rewards', REWARD_FORM, { csrf: false });
    expect(res.status).toBe(403);
    expect((await m.api.get('/v1/rewards')).body.data).toEqual([]);
  });
});

function ladderForm(rows: [string, string, string, string][]) {
  const form: Record<string, string> = {};
  rows.forEach(([name, threshold, window, earnMultiplier], i) => {
    Object.assign(form, {
      [`tiers.${i}.name`]: name,
      [`tiers.${i}.threshold`]: threshold,
      [`tiers.${i}.window`]: window,
      [`tiers.${i}.earnMultiplier`]: earnMultiplier,
    });
  });
  return form;
}

describe('dashboard tier ladder', () => {
  it('saves the ladder as rows, round-trips with GET /v1/tiers, and shows it back with spare rows', async () => {
    const { m, client } = await signedIn();
    const page = await client.get('/dashboard/program');
    expect(page.html).toContain('id="tier-1-name"'); // two spare rows on an empty ladder
    expect(page.html).not.toContain('id="tier-2-name"');

    const res = await client.post(
      '/dashboard/program/tiers',
      ladderForm([
        ['Silver', '0', 'lifetime', ''],
        ['', '', 'lifetime', ''], // a blank row in the middle is skipped
        ['Gold', '1000', 'rolling365', '1.5'],
        ['', '', 'lifetime', ''],
      ]),
    );
    expect(res.status).toBe(303);
    const tiers = (await m.api.get('/v1/tiers')).body.data;
    expect(tiers.map(({ id: _id, ...t }: { id: string }) => t)).toEqual([
      { name: 'Silver', rank: 0, threshold: 0, window: 'lifetime', earnMultiplier: 1 },
      { name: 'Gold', rank: 1, threshold: 1000, window: 'rolling365', earnMultiplier: 1.5 },
    ]);

    const again = await client.get(res.location!);
    expect(again.html).toContain('Tier ladder saved.');
    expect(inputValue(again.html, 'tier-1-name')).toBe('Gold');
    expect(inputValue(again.html, 'tier-1-earnMultiplier')).toBe('1.5');
    expect(inputValue(again.html, 'tier-3-name')).toBe('');
    expect(again.html).not.toContain('id="tier-4-name"');

    // Clearing a row removes that tier; the rest keep their ids.
    await client.post(
      '/dashboard/program/tiers',
      ladderForm([
        ['', '', 'lifetime', ''],
        ['Gold', '1200', 'rolling365', '2'],
      ]),
    );
    const after = (await m.api.get('/v1/tiers')).body.data;
    expect(after).toEqual([{ ...tiers[1], rank: 0, threshold: 1200, earnMultiplier: 2 }]);
  });

  it('shows a ladder error at the row it belongs to and saves nothing', async () => {
    const { m, client } = await signedIn();
    await m.api.put('/v1/tiers', [{ name: 'Bronze', threshold: 0, window: 'lifetime' }]);
    const before = (await m.api.get('/v1/tiers')).body;
    await client.get('/dashboard/program');
    const rows: [string, string, string, string][] = [
      ['Bronze', '500', 'lifetime', '1'],
      ['', '', 'lifetime', ''],
      ['Silver', '100', 'lifetime', '1'],
      ['bronze', '900', 'lifetime', 'x'],
    ];
    const typo = await client.post('/dashboard/program/tiers', ladderForm(rows));
    expect(typo.status).toBe(422);
    expect(errorAt(typo.html, 'tier-3-earnMultiplier')).toMatch(/must be a number/);
    expect(inputValue(typo.html, 'tier-2-name')).toBe('Silver');

    rows[3]![3] = '2';
    const res = await client.post('/dashboard/program/tiers', ladderForm(rows));
    expect(res.status).toBe(422);
    expect(errorAt(res.html, 'tier-2-threshold')).toMatch(/thresholds must increase/);
    expect(errorAt(res.html, 'tier-3-name')).toMatch(/duplicate tier name/);
    expect(errorAt(res.html, 'tier-0-threshold')).toBeNull();
    expect(inputValue(res.html, 'tier-3-earnMultiplier')).toBe('2');
    expect((await m.api.get('/v1/tiers')).body).toEqual(before);
  });

  it('offers the ladder as minimum tiers for rewards', async () => {
    const { m, client } = await signedIn();
    await m.api.put('/v1/tiers', [
      { name: 'Bronze', threshold: 0, window: 'lifetime' },
      { name: 'Gold', threshold: 500, window: 'lifetime' },
    ]);
    const page = await client.get('/dashboard/program');
    expect(page.html).toMatch(/<option value="Gold">Gold<\/option>/);
    const res = await client.post('/dashboard/program/rewards', { ...REWARD_FORM, minTier: 'Gold' });
    expect(res.status).toBe(303);
    expect((await m.api.get('/v1/rewards')).body.data[0].minTier).toBe('Gold');
  });
});

const PROGRAM_FORM = {
  active: 'on',
  referrerReward: 'points',
  referrerPoints: '500',
  refereeReward: 'points',
  refereePoints: '250',
  minOrderTotal: '25.00',
  holdDays: '7',
  attributionWindowDays: '45',
  capCount: '5',
  capPeriod: 'month',
  linkTemplate: 'https://shop.example/r/{code}',
};

describe('dashboard referral program', () => {
  it('shows the defaults of a never-configured program', async () => {
    const { client } = await signedIn();
    const page = await client.get('/dashboard/program');
    expect(inputValue(page.html, 'referral-hold')).toBe('14');
    expect(inputValue(page.html, 'referral-window')).toBe('30');
    expect(page.html).not.toMatch(/id="referral-active"[^>]*checked/);
  });

  it('saves the settings and round-trips with GET /v1/referral-program', async () => {
    const { m, client } = await signedIn();
    const reward = (
      await m.api.post('/v1/rewards', { name: 'Welcome', kind: 'free_shipping', costPoints: 1 })
    ).body;
    await client.get('/dashboard/program');
    const res = await client.post('/dashboard/program/referrals', {
      ...PROGRAM_FORM,
      refereeReward: reward.id,
    });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/dashboard/program?notice=referrals-saved#referrals-heading');
    const program = (await m.api.get('/v1/referral-program')).body;
    expect(program).toMatchObject({
      active: true,
      referrerReward: { points: 500 },
      refereeReward: { rewardId: reward.id },
      minOrderTotal: 2500,
      holdDays: 7,
      attributionWindowDays: 45,
      maxRewardedPerReferrer: { count: 5, period: 'month' },
      linkTemplate: 'https://shop.example/r/{code}',
    });

    const page = await client.get(res.location!);
    expect(page.html).toContain('Referral program saved.');
    expect(page.html).toMatch(/id="referral-active"[^>]*checked/);
    expect(page.html).toMatch(new RegExp(`<option value="${reward.id}" selected`));
    expect(inputValue(page.html, 'referral-min-order')).toBe('25.00');

    // Unchecking and clearing the cap are saved too.
    await client.post('/dashboard/program/referrals', { ...PROGRAM_FORM, active: '', capCount: '' });
    expect((await m.api.get('/v1/referral-program')).body).toMatchObject({
      active: false,
      refereeReward: { points: 250 },
      maxRewardedPerReferrer: null,
    });
  });

  describe.each([
    ['a link without {code}', { linkTemplate: 'https://shop.example/r/' }, 'referral-link', /\{code\}/],
    ['negative hold days', { holdDays: '-1' }, 'referral-hold', /must be at least 0/],
    ['negative referrer points', { referrerPoints: '-10' }, 'referrer-points', /must be at least 0/],
    ['a zero cap', { capCount: '0' }, 'referral-cap', /must be at least 1/],
    ['an unknown catalog reward', { referrerReward: 'rwd_gone' }, 'referrer-reward', /not a reward/],
  ])('refuses %s', (_label, change, input, message) => {
    it('with 422 at the field and the program unchanged', async () => {
      const { m, client } = await signedIn();
      const before = (await m.api.get('/v1/referral-program')).body;
      const res = await client.post('/dashboard/program/referrals', { ...PROGRAM_FORM, ...change });
      expect(res.status).toBe(422);
      expect(errorAt(res.html, input)).toMatch(message);
      expect(inputValue(res.html, 'referral-link')).toBe({ ...PROGRAM_FORM, ...change }.linkTemplate);
      expect((await m.api.get('/v1/referral-program')).body).toEqual(before);
    });
  });
});
