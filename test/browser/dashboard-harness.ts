import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import axe from 'axe-core';
import { type Browser, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type SeedSummary, seedDemoShop } from '../../bench/demo-shop';
import { createTestApp, type TestApp } from '../helpers/app';
import { createMerchant, type TestMerchant } from '../helpers/client';

/**
 * One seeded shop, one server and one Chromium for every dashboard browser test file (the
 * browser config runs files in one worker without isolation, so this module is shared).
 */
export interface DashboardFixture {
  t: TestApp;
  /** The server's origin, e.g. http://127.0.0.1:41234 */
  base: string;
  m: TestMerchant;
  seeded: SeedSummary;
  browser: Browser;
}

const ROOT = join(import.meta.dirname, '../..');
export const ARTIFACTS = join(ROOT, 'test-artifacts/dashboard');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The demo seed's size (`npm run seed:demo`); smaller with DASHBOARD_SEED_CUSTOMERS for quick runs. */
const CUSTOMERS = Number(process.env.DASHBOARD_SEED_CUSTOMERS ?? 500);

let fixture: Promise<DashboardFixture> | undefined;

export function dashboardFixture(): Promise<DashboardFixture> {
  fixture ??= setUp();
  return fixture;
}

async function setUp(): Promise<DashboardFixture> {
  const t = await createTestApp();
  const server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }) as unknown as Server;
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const m = await createMerchant(t, { name: 'Demo Shop', currency: 'EUR', timezone: 'Europe/Paris' });
  const seeded = await seedDemoShop(
    async (method, url, body) => {
      const res = await m.api.request(method, url, body);
      if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    { customers: CUSTOMERS },
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  process.once('beforeExit', () => {
    void browser.close();
    server.close();
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return { t, base, m, seeded, browser };
}

/** A fresh browser context signed in through the form, as a marketer would. */
export async function signedInPage(f: DashboardFixture, key = f.m.secretKey): Promise<Page> {
  const context = await f.browser.newContext({ viewport: { width: 1200, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${f.base}/dashboard`);
  expect(new URL(page.url()).pathname).toBe('/dashboard/sign-in');
  await page.getByLabel('Admin secret key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${f.base}/dashboard`);
  return page;
}

/**
 * Opens a dashboard page and returns the server's render time (the `Server-Timing` total),
 * which the pages must keep under 300 ms on the demo seed.
 */
export async function visit(page: Page, url: string): Promise<number> {
  const res = await page.goto(url);
  expect(res?.status()).toBe(200);
  const timing = res?.headers()['server-timing'] ?? '';
  const m = /total;dur=([\d.]+)/.exec(timing);
  if (!m) throw new Error(`no Server-Timing total on ${url}: ${timing}`);
  return Number(m[1]);
}

/** axe-core in the page: no serious or critical violation of WCAG 2 A/AA rules. */
export async function expectAccessible(page: Page): Promise<void> {
  // Evaluated over the DevTools protocol: the page's CSP (rightly) refuses inline scripts.
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  expect(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
