import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app';
import { TestClock } from '../helpers/app';
import { Api } from '../helpers/client';
import { type Receiver, startReceiver } from '../helpers/webhook-receiver';
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
let rx: Receiver;
let server: Server;
/** Origin of the same app over the shared shop's database, allowed to deliver to 127.0.0.1. */
let base: string;
let api: Api;
const clock = new TestClock();
let endpointId: string | undefined;

beforeAll(async () => {
  f = await dashboardFixture();
  // The shared server keeps the production URL policy, which refuses loopback receivers. This
  // file serves the same app and database with PLAUDIT_ALLOW_PRIVATE_WEBHOOKS on (as in
  // development) and its own clock, so the retry schedule can be stepped through.
  const app = createApp({ ...f.t.deps, clock, config: { ...f.t.deps.config, allowPrivateWebhooks: true } });
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as unknown as Server;
  if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api = new Api(app, f.m.secretKey);
  rx = await startReceiver();
  // Cookies are per host, not per port: the session opened on the shared server is valid here too.
  page = await signedInPage(f);
});

afterAll(async () => {
  if (endpointId) await api.delete(`/v1/webhook-endpoints/${endpointId}`);
  await page?.context().close();
  await rx?.close();
  server?.close();
});

const stateOf = (deliveryId: string) =>
  page.locator(`tr[data-delivery="${deliveryId}"] [data-delivery-state]`).textContent();

describe('dashboard webhooks in Chromium', () => {
  it('retries a failed webhook delivery: Retry sends it at once, the notice says how it went', async () => {
    // The receiver answers 500 twice (the jobs run, then the Retry), then 200.
    const url = rx.url([500, 500]);
    const created = await api.post('/v1/webhook-endpoints', { url, events: ['points.earned'] });
    expect(created.status).toBe(201);
    endpointId = created.body.id as string;
    const order = await api.post('/v1/orders', {
      id: `webhook-browser-${Date.now()}`,
      customerId: 'webhook-browser-buyer',
      total: 4200,
      currency: 'EUR',
    });
    expect(order.status).toBe(201);
    expect((await api.post('/v1/jobs/run')).body).toMatchObject({ webhookAttempts: 1, webhookSucceeded: 0 });
    const [delivery] = (await api.get(`/v1/webhook-deliveries?endpointId=${endpointId}`)).body.data;
    expect(delivery).toMatchObject({ status: 'pending', attemptCount: 1, attempts: [{ statusCode: 500 }] });

    await visit(page, `${base}/dashboard/webhooks/${endpointId}`);
    const row = page.locator(`tr[data-delivery="${delivery.id}"]`);
    expect(await stateOf(delivery.id)).toBe('Retrying');
    expect(await row.locator('[data-last-response]').textContent()).toBe('HTTP 500');

    await row.getByRole('button', { name: /^Retry/ }).click();
    await page.waitForURL(/notice=retry-pending/);
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toContain('sent again but the receiver did not accept it (HTTP 500)');
    expect(await stateOf(delivery.id)).toBe('Retrying');
    expect(await row.locator('[data-attempts]').textContent()).toBe('2');
    const [afterRetry] = (await api.get(`/v1/webhook-deliveries?endpointId=${endpointId}`)).body.data;
    expect(afterRetry).toMatchObject({ id: delivery.id, status: 'pending', attemptCount: 2 });
    expect(rx.hitsFor(url)).toHaveLength(2);
    await expectAccessible(page);
    await screenshot(page, 'webhooks');

    // The receiver now answers 200: the next scheduled run delivers it.
    clock.advance(Date.parse(afterRetry.nextAttemptAt) - clock.now().getTime() + 1);
    expect((await api.post('/v1/jobs/run')).body).toMatchObject({ webhookSucceeded: 1 });
    // Measured on a page already served once, as the overview is measured after sign-in lands on it.
    const renderMs = await visit(page, `${base}/dashboard/webhooks/${endpointId}`);
    expect(await stateOf(delivery.id)).toBe('Succeeded');
    expect(await row.locator('[data-attempts]').textContent()).toBe('3');
    expect(await row.getByRole('button', { name: /^Retry/ }).count()).toBe(0);
    expect(renderMs).toBeLessThan(300);
  });

  it('lists endpoints with the add form, fast and without serious accessibility violations', async () => {
    const renderMs = await visit(page, `${base}/dashboard/webhooks`);
    expect(renderMs).toBeLessThan(300);
    expect(await page.getByRole('link', { name: /^http:\/\/127\.0\.0\.1/ }).count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByLabel('Receiver URL').count()).toBe(1);
    await expectAccessible(page);

    // A refused URL comes back at the field, announced to assistive technology.
    await page.getByLabel('Receiver URL').fill('ftp://hooks.example.com/a');
    await page.getByLabel('points.earned').check();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.waitForLoadState();
    expect(await page.getByLabel('Receiver URL').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#url-error').textContent()).toContain('must use http or https');
    await expectAccessible(page);
  });

  it('filters the delivery log by state', async () => {
    const renderMs = await visit(page, `${base}/dashboard/webhooks/${endpointId}?status=succeeded`);
    expect(renderMs).toBeLessThan(300);
    expect(await page.locator('[data-delivery-state]').count()).toBe(1);
    expect(await page.getByLabel('Show').inputValue()).toBe('succeeded');
    await visit(page, `${base}/dashboard/webhooks/${endpointId}?status=failed`);
    expect(await page.locator('[data-delivery-state]').count()).toBe(0);
    expect(await page.getByText('No deliveries to show.').count()).toBe(1);
  });
});
