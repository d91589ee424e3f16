import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app';
import { createMerchant, type TestMerchant } from './helpers/client';
import { DashboardClient, decode } from './helpers/dashboard';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});

/** What the form posts for a valid new rule; tests override single fields. */
const ruleForm = (over: Record<string, string> = {}): Record<string, string> => ({
  name: 'Big basket bonus',
  event: 'order.paid',
  customEvent: '',
  rewardType: 'fixed',
  rewardPoints: '50',
  rewardPer: '',
  rewardRounding: 'floor',
  rewardFactor: '',
  condition: '{">=": [{"var": "event.total"}, 5000]}',
  priority: '5',
  stackable: 'on',
  applyTierMultiplier: 'on',
  active: 'on',
  capCount: '',
  capPeriod: 'day',
  budget: '',
  startsAt: '',
  endsAt: '',
  pendingDays: '',
  sampleEvent: '{"total": 5400, "currency": "EUR"}',
  sampleCustomer: '',
  ...over,
});

async function signedIn(m: TestMerchant) {
  const client = await DashboardClient.signedIn(t, m.secretKey);
  await client.get('/dashboard/rules/new');
  return client;
}

async function apiRules(m: TestMerchant) {
  const res = await m.api.get('/v1/rules?limit=100');
  expect(res.status).toBe(200);
  return res.body.data as Record<string, any>[];
}

/** The text of the element with this id, tags stripped. */
function textOf(html: string, id: string): string | null {
  const m = new RegExp(`id="${id}"[^>]*>([\\s\\S]*?)</`).exec(html);
  return m ? decode(m[1]!) : null;
}

/** The opening tag of the form control with this id. */
const control = (html: string, id: string) =>
  new RegExp(`<(input|textarea|select)[^>]*id="${id}"[^>]*>`).exec(html)?.[0] ?? '';

describe('dashboard earning rules: list', () => {
  it("lists this merchant's rules only, with what they give and a link to edit", async () => {
    const a = await createMerchant(t);
    const b = await createMerchant(t);
    const mine = await a.api.post('/v1/rules', {
      name: 'Euro points',
      event: 'order.paid',
      reward: { type: 'points_per_amount', points: 1, per: 100 },
      priority: 3,
      stackable: false,
      limits: { budget: 10_000 },
    });
    await b.api.post('/v1/rules', {
      name: 'Bravo bonus',
      event: 'signup',
      reward: { type: 'fixed', points: 9 },
    });
    const page = await (await signedIn(a)).get('/dashboard/rules');
    expect(page.status).toBe(200);
    expect(page.html).toContain('Euro points');
    expect(page.html).toContain(`href="/dashboard/rules/${mine.body.id}"`);
    expect(page.html).toContain('1 pt per €1.00');
    expect(page.html).toContain('Exclusive');
    expect(page.html).toContain('0 of 10,000 pt used');
    expect(page.html).toContain('href="/dashboard/rules/new"');
    expect(page.html).not.toContain('Bravo bonus');
  });

  it('says so when there are no rules yet', async () => {
    const page = await (await signedIn(await createMerchant(t))).get('/dashboard/rules');
    expect(page.html).toContain('No earning rules yet');
  });
});

describe('dashboard earning rules: create', () => {
  it('refuses a condition that is not JSON with 422, the reason at the field, the input kept and nothing written', async () => {
    const m = await createMerchant(t);
    const client = await signedIn(m);
    const res = await client.post(
      '/dashboard/rules',
      ruleForm({ condition: '{">=": [{"var": "event.total"}, 5000]' }),
    );
    expect(res.status).toBe(422);
    expect(control(res.html, 'condition')).toContain('aria-invalid="true"');
    expect(control(res.html, 'condition')).toContain('aria-describedby="condition-error');
    expect(textOf(res.html, 'condition-error')).toMatch(/is not valid JSON: .*line 1, column \d+/);
    expect(res.html).toContain('value="Big basket bonus"');
    expect(res.html).toContain(
      '{&quot;&gt;=&quot;: [{&quot;var&quot;: &quot;event.total&quot;}, 5000]</textarea>',
    );
    expect(await apiRules(m)).toEqual([]);
  });

  it('refuses an unknown JsonLogic operator with 422 at the condition field, naming where it is', async () => {
    const m = await createMerchant(t);
    const res = await (await signedIn(m)).post(
      '/dashboard/rules',
      ruleForm({ condition: '{"and": [true, {"=>": [{"var": "event.total"}, 5000]}]}' }),
    );
    expect(res.status).toBe(422);
    expect(control(res.html, 'condition')).toContain('aria-invalid="true"');
    expect(textOf(res.html, 'condition-error')).toContain('at and.1.=>: unknown operator "=>"');
    expect(await apiRules(m)).toEqual([]);
  });

  it.each([
    ['a reward without points', { rewardPoints: '' }, 'rewardPoints', /required/],
    [
      'a per of zero',
      { rewardType: 'points_per_amount', rewardPer: '0', rewardPoints: '1' },
      'rewardPer',
      />=1/,
    ],
    ['an empty name', { name: '' }, 'name', /./],
    [
      'an end before the start',
      { startsAt: '2026-02-01T00:00:00Z', endsAt: '2026-01-01T00:00:00Z' },
      'endsAt',
      /after startsAt/,
    ],
    ['a bad custom event', { customEvent: 'Not An Event' }, 'customEvent', /custom name/],
  ])('refuses %s at its field', async (_label, over, id, message) => {
    const m = await createMerchant(t);
    const res = await (await signedIn(m)).post('/dashboard/rules', ruleForm(over));
    expect(res.status).toBe(422);
    expect(control(res.html, id)).toContain('aria-invalid="true"');
    expect(textOf(res.html, `${id}-error`)).toMatch(message);
    expect(await apiRules(m)).toEqual([]);
  });

  it('creates a valid rule, redirects to it, and the API returns the same fields', async () => {
    const m = await createMerchant(t);
    const client = await signedIn(m);
    const res = await client.post(
      '/dashboard/rules',
      ruleForm({ stackable: '', capCount: '2', capPeriod: 'week', budget: '900', pendingDays: '7' }),
    );
    expect(res.status).toBe(303);
    const [rule, ...more] = await apiRules(m);
    expect(more).toEqual([]);
    expect(res.location).toBe(`/dashboard/rules/${rule!.id}?notice=created`);
    expect(rule).toMatchObject({
      name: 'Big basket bonus',
      event: 'order.paid',
      reward: { type: 'fixed', points: 50 },
      condition: { '>=': [{ var: 'event.total' }, 5000] },
      priority: 5,
      stackable: false,
      applyTierMultiplier: true,
      active: true,
      limits: { perCustomer: { count: 2, period: 'week' }, budget: 900 },
      pendingDays: 7,
      startsAt: null,
      endsAt: null,
    });
    const page = await client.get(res.location!);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Rule created.');
    expect(page.html).toContain('value="Big basket bonus"');
  });
});

describe('dashboard earning rules: edit, deactivate, delete', () => {
  async function withRule() {
    const m = await createMerchant(t);
    const created = await m.api.post('/v1/rules', {
      name: 'Euro points',
      event: 'order.paid',
      reward: { type: 'points_per_amount', points: 1, per: 100 },
      condition: { '>': [{ var: 'event.total' }, 0] },
    });
    expect(created.status).toBe(201);
    return { m, id: created.body.id as string, client: await signedIn(m) };
  }

  it('shows the saved rule in the form and saves a change', async () => {
    const { m, id, client } = await withRule();
    const form = await client.get(`/dashboard/rules/${id}`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('value="Euro points"');
    expect(form.html).toContain(`action="/dashboard/rules/${id}"`);
    const res = await client.post(
      `/dashboard/rules/${id}`,
      ruleForm({
        name: 'Double euro points',
        rewardType: 'points_per_amount',
        rewardPoints: '2',
        rewardPer: '100',
        rewardRounding: 'round',
        condition: '',
      }),
    );
    expect(res.status).toBe(303);
    expect(res.location).toBe(`/dashboard/rules/${id}?notice=saved`);
    const rule = (await m.api.get(`/v1/rules/${id}`)).body;
    expect(rule).toMatchObject({
      name: 'Double euro points',
      reward: { type: 'points_per_amount', points: 2, per: 100, rounding: 'round' },
      condition: null,
      priority: 5,
    });
  });

  it('keeps the saved rule when an edit is refused', async () => {
    const { m, id, client } = await withRule();
    const res = await client.post(`/dashboard/rules/${id}`, ruleForm({ condition: '{"var": ["a", 1, 2]}' }));
    expect(res.status).toBe(422);
    expect(textOf(res.html, 'condition-error')).toContain('"var" takes 0 to 2 arguments, got 3');
    expect((await m.api.get(`/v1/rules/${id}`)).body.name).toBe('Euro points');
  });

  it('deactivates and deletes through confirmed forms', async () => {
    const { m, id, client } = await withRule();
    const form = await client.get(`/dashboard/rules/${id}`);
    expect(form.html).toMatch(/data-confirm="Deactivate this rule\?/);
    expect(form.html).toMatch(/data-confirm="Delete this rule\?/);
    const off = await client.post(`/dashboard/rules/${id}/active`, { active: 'false' });
    expect(off.status).toBe(303);
    expect((await m.api.get(`/v1/rules/${id}`)).body.active).toBe(false);
    await client.get(`/dashboard/rules/${id}`);
    const gone = await client.post(`/dashboard/rules/${id}/delete`, {});
    expect(gone.status).toBe(303);
    expect(gone.location).toBe('/dashboard/rules?notice=deleted');
    expect((await m.api.get(`/v1/rules/${id}`)).status).toBe(404);
  });
});

describe('dashboard earning rules: preview', () => {
  async function shopWithHistory() {
    const m = await createMerchant(t);
    await m.api.post('/v1/rules', {
      name: 'Euro points',
      event: 'order.paid',
      reward: { type: 'points_per_amount', points: 1, per: 100 },
    });
    const order = await m.api.post('/v1/orders', {
      id: 'o-1',
      customerId: 'c-1',
      total: 2000,
      currency: 'EUR',
    });
    expect(order.status).toBeLessThan(300);
    return m;
  }

  const snapshot = async (m: TestMerchant) => ({
    ledger: (await m.api.get('/v1/ledger/export')).body as string,
    rules: await apiRules(m),
    customer: (await m.api.get('/v1/customers/c-1')).body,
  });

  it('runs the unsaved rule with the saved ones on the sample event, returns the trace fragment, and writes nothing', async () => {
    const m = await shopWithHistory();
    const before = await snapshot(m);
    expect(before.ledger).toContain('c-1');
    const client = await signedIn(m);
    const res = await client.post(
      '/dashboard/rules/preview',
      ruleForm({ sampleEvent: '{"total": 5400, "currency": "EUR", "customerId": "c-1"}' }),
      { headers: { 'x-requested-with': 'fetch' } },
    );
    expect(res.status).toBe(200);
    expect(res.html).not.toContain('<html');
    expect(res.html).toContain('data-preview-total="104"');
    expect(res.html).toMatch(
      /data-rule="rul_draft" data-outcome="matched">[\s\S]*?this rule, unsaved[\s\S]*?>50</,
    );
    expect(res.html).toContain('5400 × 1 / 100 = 54, floor → 54');
    expect(res.html).toContain('with the customer’s own facts');
    expect(await snapshot(m)).toEqual(before);
  });

  it('says why the rule does not match', async () => {
    const m = await shopWithHistory();
    const res = await (await signedIn(m)).post(
      '/dashboard/rules/preview',
      ruleForm({ sampleEvent: '{"total": 1200}' }),
      { headers: { 'x-requested-with': 'fetch' } },
    );
    expect(res.html).toContain('data-preview-total="12"');
    expect(res.html).toMatch(/data-rule="rul_draft" data-outcome="skipped">[\s\S]*?condition not met/);
  });

  it('previews an edit in place of the saved rule, not next to it', async () => {
    const m = await shopWithHistory();
    const [saved] = await apiRules(m);
    const res = await (await signedIn(m)).post(
      '/dashboard/rules/preview',
      ruleForm({ ruleId: saved!.id, condition: '', rewardPoints: '7' }),
      { headers: { 'x-requested-with': 'fetch' } },
    );
    expect(res.html).toContain('data-preview-total="7"');
    expect(res.html.match(/data-rule="/g)).toHaveLength(1);
    expect((await apiRules(m))[0]!.reward).toEqual(saved!.reward);
  });

  it('without the script, shows the whole form with the trace; problems go to their fields', async () => {
    const m = await shopWithHistory();
    const client = await signedIn(m);
    const ok = await client.post('/dashboard/rules/preview', ruleForm());
    expect(ok.status).toBe(200);
    expect(ok.html).toContain(
      '<div id="preview" aria-live="polite"><div class="preview-result" data-preview-total="104"',
    );
    expect(ok.html).toContain('value="Big basket bonus"');
    const bad = await client.post('/dashboard/rules/preview', ruleForm({ sampleEvent: '{"total": -5}' }));
    expect(bad.status).toBe(422);
    expect(control(bad.html, 'sampleEvent')).toContain('aria-invalid="true"');
    expect(textOf(bad.html, 'sampleEvent-error')).toContain('total:');
    const fragment = await client.post('/dashboard/rules/preview', ruleForm({ condition: '{' }), {
      headers: { 'x-requested-with': 'fetch' },
    });
    expect(fragment.status).toBe(200);
    expect(fragment.html).toContain('Condition (JsonLogic): is not valid JSON');
    expect(await apiRules(m)).toHaveLength(1);
  });
});

describe('dashboard earning rules: security', () => {
  it("answers 404 for another merchant's rule, and changes nothing", async () => {
    const a = await createMerchant(t);
    const b = await createMerchant(t);
    const theirs = (
      await b.api.post('/v1/rules', {
        name: 'Bravo bonus',
        event: 'signup',
        reward: { type: 'fixed', points: 9 },
      })
    ).body;
    const client = await signedIn(a);
    const view = await client.get(`/dashboard/rules/${theirs.id}`);
    expect(view.status).toBe(404);
    expect(view.html).not.toContain('Bravo bonus');
    await client.get('/dashboard/rules/new');
    expect((await client.post(`/dashboard/rules/${theirs.id}`, ruleForm())).status).toBe(404);
    expect((await client.post(`/dashboard/rules/${theirs.id}/active`, { active: 'false' })).status).toBe(404);
    expect((await client.post(`/dashboard/rules/${theirs.id}/delete`, {})).status).toBe(404);
    expect((await client.post('/dashboard/rules/preview', ruleForm({ ruleId: theirs.id }))).status).toBe(404);
    expect((await b.api.get(`/v1/rules/${theirs.id}`)).body).toMatchObject({
      name: 'Bravo bonus',
      active: true,
    });
    expect(await apiRules(a)).toEqual([]);
  });

  it('refuses a post without the CSRF token with 403 and writes nothing', async () => {
    const m = await createMerchant(t);
    const client = await signedIn(m);
    const res = await client.post('/dashboard/rules', ruleForm(), { csrf: false });
    expect(res.status).toBe(403);
    expect(await apiRules(m)).toEqual([]);
  });

  it('sends a visitor without a session to sign in', async () => {
    const { status, location } = await new DashboardClient(t).get('/dashboard/rules');
    expect(status).toBe(303);
    expect(location).toBe('/dashboard/sign-in');
  });
});
