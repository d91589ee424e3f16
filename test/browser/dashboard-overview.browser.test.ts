import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
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

const text = (name: string) => page.locator(`[data-figure="${name}"]`).textContent();
const int = (n: number) => new Intl.NumberFormat('en-US').format(n);
const pct = (r: number | null) => (r == null ? '—' : `${(r * 100).toFixed(1)} %`);

describe('dashboard overview in Chromium', () => {
  it('signs in with the admin key and shows the same figures as GET /v1/insights/program', async () => {
    const renderMs = await visit(page, `${f.base}/dashboard`);
    const program = (await f.m.api.get('/v1/insights/program')).body;
    expect(program.issued).toBeGreaterThan(0); // the seed gives every figure something to show

    expect(await text('liability-points')).toBe(int(program.liability.points.total));
    expect(await text('liability-amount')).toBe(
      new Intl.NumberFormat('en-US', { style: 'currency', currency: 'EUR' }).format(
        program.liability.amount.total / 100,
      ),
    );
    expect(await text('issued')).toBe(int(program.issued));
    expect(await text('redeemed')).toBe(int(program.redeemed));
    expect(await text('expired')).toBe(int(program.expired));
    expect(await text('redemption-rate')).toBe(pct(program.redemptionRate));
    expect(await text('breakage')).toBe(pct(program.breakage));
    expect(await text('active-members')).toBe(int(program.activeMembers));
    expect(await text('repeat-members')).toBe(pct(program.repeatPurchaseRate.members));
    expect(await text('repeat-non-members')).toBe(pct(program.repeatPurchaseRate.nonMembers));
    expect(await page.getByRole('img', { name: /Referral funnel/ }).count()).toBe(1);
    expect(renderMs).toBeLessThan(300);
  });

  it('has no serious accessibility violations', async () => {
    await visit(page, `${f.base}/dashboard`);
    await expectAccessible(page);
  });

  it('keeps the key out of the page and the URL, and signs out', async () => {
    await visit(page, `${f.base}/dashboard`);
    expect(await page.content()).not.toContain(f.m.secretKey);
    expect(page.url()).not.toContain(f.m.secretKey);
    const cookies = await page.context().cookies();
    const session = cookies.find((c) => c.name === 'plaudit_session')!;
    expect(session.httpOnly).toBe(true);
    expect(session.sameSite).toBe('Strict');
    const shot = await screenshot(page, 'overview');
    copyFileSync(shot, join(import.meta.dirname, '../../docs/dashboard-overview.png'));

    const other = await signedInPage(f);
    await other.getByRole('button', { name: 'Sign out' }).click();
    await other.waitForURL(`${f.base}/dashboard/sign-in`);
    await other.goto(`${f.base}/dashboard`);
    expect(new URL(other.url()).pathname).toBe('/dashboard/sign-in');
    await other.context().close();
  });
});
