import { once } from 'node:events';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app';
import { createMerchant, type TestMerchant } from '../helpers/client';

/**
 * The widget in a real browser: the app on one loopback port, a sample storefront page on
 * another (so every API call is cross-origin and CORS decides), Debian's Chromium driven by
 * playwright-core.
 */

const ROOT = join(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let t: TestApp;
let m: TestMerchant;
let browser: Browser;
const servers: Server[] = [];
let api = '';
let shopOrigin = '';
let strangerOrigin = '';
let token = '';

/** Starts `server` on a free loopback port (or waits for one already started) and returns its origin. */
async function listen(server: Server, start = true): Promise<string> {
  servers.push(server);
  if (start) server.listen(0, '127.0.0.1');
  if (!server.listening) await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The theme's five lines, as a merchant would paste them. */
const embed = (attrs: { token?: string }) => `<script src="${api}/widget.js" defer></script>
<plaudit-rewards api-base="${api}" locale="en-US"
  publishable-key="${m.publishableKey}"
  ${attrs.token ? `customer-token="${attrs.token}"` : 'sign-in-url="/login"'}>
</plaudit-rewards>`;

const page = (body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Demo shop: my account</title>
<style>
  body { font-family: Georgia, serif; background: #f4f1ec; margin: 0; padding: 24px; }
  plaudit-rewards { --plaudit-accent: #0b6e4f; --plaudit-radius: 14px; --plaudit-font: system-ui, sans-serif; }
</style></head>
<body><h1>My account</h1>
${body}
</body></html>`;

function storefrontServer(): Server {
  return createServer((req, res) => {
    const html = req.url === '/signed-out' ? page(embed({})) : page(embed({ token }));
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
  });
}

async function ok(res: Promise<{ status: number; body: unknown }>) {
  const r = await res;
  if (r.status >= 300) throw new Error(`setup failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as Record<string, any>;
}

beforeAll(async () => {
  t = await createTestApp();
  const apiServer = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }) as unknown as Server;
  api = await listen(apiServer, false); // serve() listens by itself
  shopOrigin = await listen(storefrontServer());
  strangerOrigin = await listen(storefrontServer());

  m = await createMerchant(t, { name: 'Demo shop', currency: 'EUR' });
  await ok(
    m.api.patch('/v1/merchant', {
      storefrontRedemption: true,
      allowedOrigins: [shopOrigin],
      expiry: { mode: 'fixed', days: 20 },
    }),
  );
  await ok(
    m.api.put('/v1/tiers', [
      { name: 'Bronze', threshold: 0, window: 'lifetime', earnMultiplier: 1 },
      { name: 'Silver', threshold: 1000, window: 'lifetime', earnMultiplier: 1.25 },
    ]),
  );
  await ok(
    m.api.post('/v1/rules', { name: 'Welcome', event: 'signup', reward: { type: 'fixed', points: 600 } }),
  );
  await ok(m.api.post('/v1/events', { id: 'signup-amy', type: 'signup', customerId: 'amy' }));
  await ok(m.api.put('/v1/customers/amy', { name: 'Amy' }));
  await ok(
    m.api.put('/v1/referral-program', {
      active: true,
      referrerReward: { points: 200 },
      refereeReward: { points: 100 },
      minOrderTotal: 0,
      holdDays: 14,
      attributionWindowDays: 30,
      linkTemplate: 'https://demo-shop.example/r/{code}',
    }),
  );
  await ok(m.api.post('/v1/customers/amy/referral-code', {}));
  for (const [name, costPoints] of [
    ['€5 off your next order', 250],
    ['Free shipping', 400],
    ['€25 gift card', 2000],
  ] as const) {
    await ok(
      m.api.post('/v1/rewards', {
        name,
        kind: 'discount_fixed',
        value: costPoints * 2,
        currency: 'EUR',
        costPoints,
      }),
    );
  }
  token = (await ok(m.api.post('/v1/customers/amy/tokens', {}))).token;

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function open(origin: string, path = '/'): Promise<{ page: Page; hosts: Set<string> }> {
  const context = await browser.newContext({ viewport: { width: 560, height: 900 }, deviceScaleFactor: 2 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const p = await context.newPage();
  const hosts = new Set<string>();
  p.on('request', (r) => hosts.add(new URL(r.url()).origin));
  await p.goto(origin + path);
  return { page: p, hosts };
}

describe('<plaudit-rewards> in Chromium', () => {
  it('shows the balance, copies the referral link, redeems a reward and shows the lower balance', async () => {
    const { page: p, hosts } = await open(shopOrigin);
    const widget = p.locator('plaudit-rewards');
    const balance = widget.locator('[part="balance"]');
    await expect.poll(() => balance.textContent(), { timeout: 15_000 }).toBe('600 points');
    expect(await widget.locator('[part="tier"]').textContent()).toBe('Bronze');
    expect(await widget.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('60');
    expect(await widget.locator('[part="expiring"]').textContent()).toMatch(/^600 points expire on /);
    expect(await widget.getByRole('status').count()).toBe(1);

    const link = await widget.getByLabel('Your referral link').inputValue();
    expect(link).toMatch(/^https:\/\/demo-shop\.example\/r\/[A-Z0-9]{8}$/);
    await widget.getByRole('button', { name: 'Copy' }).click();
    expect(await p.evaluate(() => navigator.clipboard.readText())).toBe(link);
    await expect.poll(() => widget.getByRole('status').textContent()).toBe('Referral link copied.');

    expect(await widget.getByRole('button', { name: /Redeem €25 gift card/ }).isDisabled()).toBe(true);
    const redeem = widget.getByRole('button', { name: /Redeem €5 off/ });
    await redeem.focus();
    await p.keyboard.press('Enter'); // keyboard reachable; first press asks to confirm
    expect(await redeem.textContent()).toBe('Confirm');
    await p.keyboard.press('Enter');
    await expect.poll(() => balance.textContent(), { timeout: 15_000 }).toBe('350 points');
    expect(await widget.locator('[part="notice"]').textContent()).toMatch(/your code is \S+/);
    await expect.poll(() => widget.getByRole('status').textContent()).toMatch(/code is/);

    const amy = await m.api.get('/v1/customers/amy');
    expect(amy.body.points.available).toBe(350);
    expect([...hosts].sort()).toEqual([api, shopOrigin].sort());

    mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    const shot = join(ROOT, 'test-artifacts/widget.png');
    await widget.screenshot({ path: shot });
    copyFileSync(shot, join(ROOT, 'docs/widget.png'));
    await p.context().close();
  });

  it('shows a friendly signed-out state without a customer token, calling nothing but the script', async () => {
    const { page: p, hosts } = await open(shopOrigin, '/signed-out');
    const widget = p.locator('plaudit-rewards');
    await expect
      .poll(() => widget.locator('[part="signed-out"]').textContent(), { timeout: 15_000 })
      .toContain('Sign in to see your points');
    expect(await widget.getByRole('link', { name: 'Sign in' }).getAttribute('href')).toBe('/login');
    expect([...hosts].sort()).toEqual([api, shopOrigin].sort());
    await p.context().close();
  });

  it("loads nothing on a site outside the merchant's allowedOrigins: the browser withholds the answers", async () => {
    const { page: p } = await open(strangerOrigin);
    const widget = p.locator('plaudit-rewards');
    await expect
      .poll(() => widget.locator('[part="message"]').textContent(), { timeout: 15_000 })
      .toContain('could not be loaded');
    expect(await widget.locator('[part="balance"]').count()).toBe(0);
    await p.context().close();
  });
});
