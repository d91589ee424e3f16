import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type DashboardFixture,
  dashboardFixture,
  expectAccessible,
  screenshot,
  signedInPage,
  visit,
} from './dashboard-harness';

let f: DashboardFixture;
let page: Page;
const NAME = 'Big basket bonus';
let created: string | undefined;

beforeAll(async () => {
  f = await dashboardFixture();
  page = await signedInPage(f);
});

// The shop is shared with the other dashboard files: leave it with the rules it had.
afterAll(async () => {
  if (created) await f.m.api.delete(`/v1/rules/${created}`);
  await page.context().close();
});

describe('dashboard earning rules in Chromium', () => {
  it("lists the shop's rules quickly and accessibly", async () => {
    const renderMs = await visit(page, `${f.base}/dashboard/rules`);
    const rules = (await f.m.api.get('/v1/rules?limit=100')).body.data as { id: string; name: string }[];
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      await expect(page.locator(`tr[data-rule="${rule.id}"] a`).textContent()).resolves.toBe(rule.name);
    }
    await expectAccessible(page);
    await screenshot(page, 'rules');
    expect(renderMs).toBeLessThan(300);
  });

  it("opens a saved rule's form quickly and accessibly, with the preview, deactivate and delete", async () => {
    const [rule] = (await f.m.api.get('/v1/rules?event=order.paid')).body.data as {
      id: string;
      name: string;
    }[];
    const newMs = await visit(page, `${f.base}/dashboard/rules/new`);
    const editMs = await visit(page, `${f.base}/dashboard/rules/${rule!.id}`);
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe(rule!.name);
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.waitForURL(`${f.base}/dashboard/rules/preview`);
    await expect(
      page.locator(`#preview tr[data-rule="${rule!.id}"]`).getAttribute('data-outcome'),
    ).resolves.toBe('matched');
    await expect(page.locator(`#preview tr[data-rule="${rule!.id}"]`).count()).resolves.toBe(1);
    await expect(page.locator('#preview tr[data-rule="rul_draft"]').count()).resolves.toBe(0);
    await expect(page.getByRole('button', { name: 'Deactivate rule' }).count()).resolves.toBe(1);
    await expectAccessible(page);
    expect(newMs).toBeLessThan(300);
    expect(editMs).toBeLessThan(300);
  });

  it('creates a rule: a wrong condition is shown at its field, the fixed one previews live, and it saves', async () => {
    await visit(page, `${f.base}/dashboard/rules`);
    await page.getByRole('link', { name: 'New rule' }).click();
    await page.waitForURL(`${f.base}/dashboard/rules/new`);
    await expectAccessible(page);

    await page.getByLabel('Name', { exact: true }).fill(NAME);
    await page.getByLabel('Reward type').selectOption('fixed');
    await page.getByLabel('Points', { exact: true }).fill('50');
    const condition = page.getByLabel('Condition (JsonLogic)');
    await condition.fill('{"and": [{"=>": [{"var": "event.total"}, 5000]}]}');
    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.waitForURL(`${f.base}/dashboard/rules`);

    await expect(condition.getAttribute('aria-invalid')).resolves.toBe('true');
    const error = page.locator('#condition-error');
    await expect(error.textContent()).resolves.toContain('at and.0.=>: unknown operator "=>"');
    await expect(condition.getAttribute('aria-describedby')).resolves.toContain('condition-error');
    await expect(page.getByLabel('Name', { exact: true }).inputValue()).resolves.toBe(NAME);
    await expectAccessible(page);

    await condition.fill('{"and": [{">=": [{"var": "event.total"}, 5000]}]}');
    await page.getByLabel('Sample event (JSON)').fill('{"total": 6400, "currency": "EUR"}');
    const draft = page.locator('#preview tr[data-rule="rul_draft"]');
    await page.locator('#preview').getByText('6400 × 1 / 100 = 64, floor → 64').waitFor();
    await expect(draft.getAttribute('data-outcome')).resolves.toBe('matched');
    await expect(draft.locator('td.num').textContent()).resolves.toBe('50');
    await expectAccessible(page);
    await screenshot(page, 'rule-form');

    await page.getByRole('button', { name: 'Create rule' }).click();
    await page.waitForURL(/\/dashboard\/rules\/rul_[^/?]+\?notice=created$/);
    created = new URL(page.url()).pathname.split('/').pop();
    await expect(page.getByRole('status').textContent()).resolves.toBe('Rule created.');
    const saved = (await f.m.api.get(`/v1/rules/${created}`)).body;
    expect(saved).toMatchObject({
      name: NAME,
      reward: { type: 'fixed', points: 50 },
      condition: { and: [{ '>=': [{ var: 'event.total' }, 5000] }] },
    });

    await page.getByRole('link', { name: '← All earning rules' }).click();
    await page.waitForURL(`${f.base}/dashboard/rules`);
    await expect(page.locator(`tr[data-rule="${created}"] a`).textContent()).resolves.toBe(NAME);
  });
});
