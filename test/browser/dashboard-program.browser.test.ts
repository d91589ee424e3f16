import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
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

beforeAll(async () => {
  f = await dashboardFixture();
  page = await signedInPage(f);
});

const int = (n: number) => new Intl.NumberFormat('en-US').format(n);

describe('dashboard rewards & tiers in Chromium', () => {
  it('renders the catalog, ladder and referral settings in under 300 ms, accessibly', async () => {
    const renderMs = await visit(page, `${f.base}/dashboard/program`);
    console.log(`GET /dashboard/program: ${renderMs.toFixed(1)} ms`);
    expect(renderMs).toBeLessThan(300);
    expect(await page.locator('#rewards tbody tr', { hasText: '5 € off' }).count()).toBe(1);
    expect(await page.getByLabel('Referral link template').inputValue()).toBe(
      'https://demo-shop.example/?ref={code}',
    );
    await expectAccessible(page);
    await screenshot(page, 'program');
  });

  it('creates a reward through the form, showing errors at the field first', async () => {
    await visit(page, `${f.base}/dashboard/program`);
    const form = page.locator('#reward-form');
    await form.getByLabel('Name', { exact: true }).fill('Tote bag');
    await form.getByLabel('Kind').selectOption('product');
    await form.getByLabel('Product id').fill('tote-01');
    await form.getByLabel('Cost in points').fill('-800');
    await form.getByLabel('Stock').fill('25');
    await form.getByRole('button', { name: 'Add reward' }).click();
    await page.waitForSelector('#reward-cost[aria-invalid="true"]');
    expect(await page.locator('#reward-cost-error').textContent()).toMatch(/at least 1/);
    expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe('Tote bag');
    await expectAccessible(page);

    await form.getByLabel('Cost in points').fill('800');
    await form.getByRole('button', { name: 'Add reward' }).click();
    await page.waitForURL(/notice=reward-created/);
    expect(await page.getByRole('status').textContent()).toBe('Reward added.');
    const row = page.locator('#rewards tbody tr', { hasText: 'Tote bag' });
    expect(await row.count()).toBe(1);
    expect(await row.locator('td').nth(1).textContent()).toBe(int(800));

    const rewards = (await f.m.api.get('/v1/rewards?limit=100')).body.data;
    expect(rewards.find((r: { name: string }) => r.name === 'Tote bag')).toMatchObject({
      kind: 'product',
      productId: 'tote-01',
      costPoints: 800,
      stock: 25,
      active: true,
    });
  });
});

describe('dashboard customers in Chromium', () => {
  it('lists and searches customers in under 300 ms, accessibly', async () => {
    const listMs = await visit(page, `${f.base}/dashboard/customers`);
    console.log(`GET /dashboard/customers: ${listMs.toFixed(1)} ms`);
    expect(listMs).toBeLessThan(300);

    const c1 = (await f.m.api.get('/v1/customers/c0001')).body;
    const byName = await visit(
      page,
      `${f.base}/dashboard/customers?q=${encodeURIComponent(c1.name.slice(0, 3))}`,
    );
    console.log(`GET /dashboard/customers?q=${c1.name.slice(0, 3)}: ${byName.toFixed(1)} ms`);
    expect(byName).toBeLessThan(300);
    expect(await page.locator('tr[data-customer="c0001"]').count()).toBe(1);
    await expectAccessible(page);
    await screenshot(page, 'customers');

    await page.getByLabel('Find a customer').fill('c0001');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/q=c0001/);
    expect(await page.locator('tbody tr').count()).toBe(1);
    await page.getByRole('link', { name: 'c0001', exact: true }).click();
    await page.waitForURL(/\/dashboard\/customers\/c0001$/);
    expect(await page.locator('[data-figure="available"]').textContent()).toBe(int(c1.points.available));
  });

  it('shows a referring customer with balance, ledger, referrals and feedback in under 300 ms', async () => {
    const [referral] = (await f.m.api.get('/v1/referrals?limit=1')).body.data;
    const id = referral.referrerId as string;
    const renderMs = await visit(page, `${f.base}/dashboard/customers/${id}`);
    console.log(`GET /dashboard/customers/${id}: ${renderMs.toFixed(1)} ms`);
    expect(renderMs).toBeLessThan(300);

    const api = (await f.m.api.get(`/v1/customers/${id}`)).body;
    const text = (name: string) => page.locator(`[data-figure="${name}"]`).textContent();
    expect(await text('available')).toBe(int(api.points.available));
    expect(await text('pending')).toBe(int(api.points.pending));
    expect(await text('reserved')).toBe(int(api.points.reserved));
    expect(await page.getByRole('table', { name: /Customers they referred/ }).count()).toBe(1);
    expect(await page.locator('#ledger tbody tr').count()).toBeGreaterThan(0);
    await expectAccessible(page);
    await screenshot(page, 'customer');
  });
});
