import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../src/app';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { createMerchant, type TestMerchant } from './helpers/client';
import { DashboardClient, decode, type Page } from './helpers/dashboard';
import { type Receiver, startReceiver } from './helpers/webhook-receiver';

const clock = new TestClock(new Date('2026-03-02T09:00:00Z'));
let t: TestApp; // PLAUDIT_ALLOW_PRIVATE_WEBHOOKS=true: delivers to local receivers
let strict: TestApp; // the default URL policy
let rx: Receiver;

beforeAll(async () => {
  t = await createTestApp({ clock, env: { PLAUDIT_ALLOW_PRIVATE_WEBHOOKS: 'true' } });
  strict = await createTestApp({ clock });
  rx = await startReceiver();
});
afterAll(async () => {
  await rx?.close();
});

/** Posts a form whose fields may repeat (checkboxes), with the session's CSRF token. */
async function postForm(
  app: TestApp,
  client: DashboardClient,
  path: string,
  fields: [string, string][],
  opts: { csrf?: boolean } = {},
): Promise<Page> {
  const body = new URLSearchParams(fields);
  if (opts.csrf !== false) body.set('_csrf', client.csrf());
  const res = await app.app.request(path, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'http://localhost',
      cookie: client.cookie!,
    },
    body: body.toString(),
  });
  return {
    status: res.status,
    headers: res.headers,
    html: await res.text(),
    location: res.headers.get('location'),
  };
}

const endpointFields = (url: string, events: string[], description = ''): [string, string][] => [
  ['url', url],
  ...events.map((e): [string, string] => ['events', e]),
  ['description', description],
];

async function endpoints(m: TestMerchant) {
  const res = await m.api.get('/v1/webhook-endpoints');
  expect(res.status).toBe(200);
  return res.body.data as Record<string, any>[];
}

async function deliveries(m: TestMerchant) {
  const res = await m.api.get('/v1/webhook-deliveries');
  expect(res.status).toBe(200);
  return res.body.data as Record<string, any>[];
}

async function runJobs(m: TestMerchant) {
  expect((await m.api.post('/v1/jobs/run')).status).toBe(200);
}

/** Emits `customer.erased` for a new customer. */
async function erase(m: TestMerchant, customerId: string) {
  expect((await m.api.put(`/v1/customers/${customerId}`, {})).status).toBe(200);
  expect((await m.api.delete(`/v1/customers/${customerId}`)).status).toBe(204);
}

/** A URL on 127.0.0.1 where nothing listens: every delivery attempt is refused. */
async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}

async function addEndpoint(m: TestMerchant, url: string) {
  const res = await m.api.post('/v1/webhook-endpoints', { url, events: ['customer.erased'] });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
}

/** The table row of one delivery. */
function deliveryRow(html: string, id: string): string {
  const m = new RegExp(`<tr data-delivery="${id}">([\\s\\S]*?)</tr>`).exec(html);
  if (!m) throw new Error(`no row for delivery ${id}`);
  return decode(m[1]!);
}
const stateIn = (row: string) => /data-delivery-state[^>]*>([^<]*)</.exec(row)?.[1];
const secretIn = (html: string) =>
  /id="secret"[^>]*value="(whsec_[^"]+)"|value="(whsec_[^"]+)"[^>]*id="secret"/.exec(html);

describe('dashboard webhook endpoints', () => {
  it('adds an endpoint from the form: the API lists it and the secret shown once signs its deliveries', async () => {
    const m = await createMerchant(t);
    const client = await DashboardClient.signedIn(t, m.secretKey);
    expect((await client.get('/dashboard/webhooks')).status).toBe(200);
    const url = rx.url();
    const res = await postForm(
      t,
      client,
      '/dashboard/webhooks',
      endpointFields(url, ['customer.erased'], 'CRM'),
    );
    expect(res.status).toBe(201);
    const found = secretIn(res.html);
    const secret = found?.[1] ?? found?.[2];
    expect(secret).toMatch(/^whsec_/);
    expect(res.html).toContain('shown only this once');

    const [listed, ...more] = await endpoints(m);
    expect(more).toEqual([]);
    expect(listed).toMatchObject({ url, events: ['customer.erased'], description: 'CRM', enabled: true });

    await erase(m, 'signed');
    await runJobs(m);
    const [hit] = rx.hitsFor(url);
    expect(() => new Webhook(secret!).verify(hit!.body, hit!.headers)).not.toThrow();

    for (const path of ['/dashboard/webhooks', `/dashboard/webhooks/${listed!.id}`]) {
      const page = await client.get(path);
      expect(page.status).toBe(200);
      expect(page.html).toContain(url);
      expect(page.html).not.toContain(secret);
      expect(page.html).not.toContain('whsec_');
    }
  });

  describe.each([
    ['no URL', '', ['points.earned'], '', 'url', 'Enter the URL'],
    ['a non-URL', 'hooks', ['points.earned'], '', 'url', 'absolute URL'],
    ['plain http', 'http://hooks.example.com/a', ['points.earned'], '', 'url', 'must use https'],
    ['a loopback address (SSRF guard)', 'https://127.0.0.1:8443/a', ['*'], '', 'url', 'loopback'],
    ['a private address (SSRF guard)', 'https://10.0.0.1/a', ['*'], '', 'url', 'private'],
    ['a private name', 'https://printer.local/a', ['*'], '', 'url', 'private name'],
    ['no event type', 'https://hooks.example.com/a', [], '', 'events', 'at least one event type'],
    ['an unknown event type', 'https://hooks.example.com/a', ['points.stolen'], '', 'events', 'Invalid'],
    ['a long description', 'https://hooks.example.com/a', ['*'], 'x'.repeat(501), 'description', ''],
  ])('a form with %s', (_name, url, events, description, field, message) => {
    it('is answered 422 with the error at the field, the input kept and nothing written', async () => {
      const m = await createMerchant(strict);
      const client = await DashboardClient.signedIn(strict, m.secretKey);
      await client.get('/dashboard/webhooks');
      const res = await postForm(
        strict,
        client,
        '/dashboard/webhooks',
        endpointFields(url, events, description),
      );
      expect(res.status).toBe(422);
      const error = new RegExp(`<p class="field-error" id="${field}-error">([^<]*)</p>`).exec(res.html);
      expect(error).not.toBeNull();
      expect(decode(error![1]!)).toContain(message);
      expect(res.html).toMatch(new RegExp(`aria-describedby="${field}-error[^"]*"`));
      expect(res.html).toMatch(
        new RegExp(`(id="${field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*${field}-error)`),
      );
      if (url) expect(res.html).toContain(`value="${url}"`);
      for (const e of events.filter((x) => x !== 'points.stolen')) {
        expect(res.html).toMatch(new RegExp(`value="${e.replace('*', '\\*')}" checked`));
      }
      expect(await endpoints(m)).toEqual([]);
    });
  });

  it('refuses a host that resolves to a private address when the app resolves names, like the API', async () => {
    const resolving = {
      ...strict,
      app: createApp({ ...strict.deps, resolveHost: async () => ['10.1.2.3'] }),
    };
    const m = await createMerchant(resolving);
    const client = await DashboardClient.signedIn(resolving, m.secretKey);
    await client.get('/dashboard/webhooks');
    const url = 'https://hooks.internal-looking.example/a';
    const api = await m.api.post('/v1/webhook-endpoints', { url, events: ['*'] });
    const res = await postForm(resolving, client, '/dashboard/webhooks', endpointFields(url, ['*']));
    expect(res.status).toBe(422);
    expect(decode(res.html)).toContain(api.body.errors[0].message);
    expect(api.body.errors[0].message).toContain('must resolve to public addresses only');
  });

  it('lists endpoints with their state and failing deliveries of the last 7 days', async () => {
    const m = await createMerchant(t);
    const dead = await addEndpoint(m, await closedPortUrl());
    const fine = await addEndpoint(m, rx.url());
    await erase(m, 'c-1');
    await runJobs(m);
    const page = await (await DashboardClient.signedIn(t, m.secretKey)).get('/dashboard/webhooks');
    const failing = (id: string) =>
      new RegExp(`data-endpoint="${id}"[\\s\\S]*?data-failing[^>]*>([^<]*)<`).exec(page.html)?.[1];
    expect(failing(dead.id)).toBe('1');
    expect(failing(fine.id)).toBe('0');
    expect(page.html).toContain('<caption>Webhook endpoints</caption>');
  });

  it('rotating shows the new secret once; the API then reports the overlap of the previous one', async () => {
    const m = await createMerchant(t);
    const ep = await addEndpoint(m, rx.url());
    const client = await DashboardClient.signedIn(t, m.secretKey);
    const before = await client.get(`/dashboard/webhooks/${ep.id}`);
    expect(before.html).toMatch(/data-confirm="Issue a new signing secret/);
    const res = await postForm(t, client, `/dashboard/webhooks/${ep.id}/rotate-secret`, []);
    expect(res.status).toBe(200);
    const found = secretIn(res.html);
    const secret = found?.[1] ?? found?.[2];
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(ep.secret);
    expect((await m.api.get(`/v1/webhook-endpoints/${ep.id}`)).body.previousSecretExpiresAt).not.toBeNull();
    const later = await client.get(`/dashboard/webhooks/${ep.id}`);
    expect(later.html).not.toContain(secret);
    expect(later.html).toContain('Also signs until');
  });

  it('disables, enables and deletes an endpoint (delete asks first)', async () => {
    const m = await createMerchant(t);
    const ep = await addEndpoint(m, rx.url());
    const client = await DashboardClient.signedIn(t, m.secretKey);
    const page = await client.get(`/dashboard/webhooks/${ep.id}`);
    expect(page.html).toMatch(/data-confirm="Delete this endpoint\?/);

    const off = await postForm(t, client, `/dashboard/webhooks/${ep.id}/disable`, []);
    expect(off).toMatchObject({ status: 303, location: `/dashboard/webhooks/${ep.id}?notice=disabled` });
    expect((await m.api.get(`/v1/webhook-endpoints/${ep.id}`)).body).toMatchObject({
      enabled: false,
      disabledReason: 'manual',
    });
    expect((await client.get(off.location!)).html).toContain('The endpoint is disabled');

    await postForm(t, client, `/dashboard/webhooks/${ep.id}/enable`, []);
    expect((await m.api.get(`/v1/webhook-endpoints/${ep.id}`)).body.enabled).toBe(true);

    const gone = await postForm(t, client, `/dashboard/webhooks/${ep.id}/delete`, []);
    expect(gone).toMatchObject({ status: 303, location: '/dashboard/webhooks?notice=deleted' });
    expect((await m.api.get(`/v1/webhook-endpoints/${ep.id}`)).status).toBe(404);
    expect((await client.get(`/dashboard/webhooks/${ep.id}`)).status).toBe(404);
  });
});

describe('dashboard webhook deliveries', () => {
  it('shows a failing delivery; once failed, Retry sends it now and puts it back on the retry schedule', async () => {
    const m = await createMerchant(t);
    const ep = await addEndpoint(m, await closedPortUrl());
    await erase(m, 'unreachable');
    await runJobs(m);
    const [d] = await deliveries(m);
    expect(d).toMatchObject({ status: 'pending', attemptCount: 1, attempts: [{ statusCode: null }] });

    const client = await DashboardClient.signedIn(t, m.secretKey);
    let page = await client.get(`/dashboard/webhooks/${ep.id}`);
    let row = deliveryRow(page.html, d!.id);
    expect(stateIn(row)).toBe('Retrying');
    expect(row).toContain(d!.attempts[0].error);
    expect(row).toContain(`/dashboard/webhooks/${ep.id}/deliveries/${d!.id}/retry`);

    // Disabling fails what is pending; a retry is refused until the endpoint is enabled again.
    await postForm(t, client, `/dashboard/webhooks/${ep.id}/disable`, []);
    expect((await deliveries(m))[0]).toMatchObject({ status: 'failed', nextAttemptAt: null });
    page = await client.get(`/dashboard/webhooks/${ep.id}`);
    expect(deliveryRow(page.html, d!.id)).not.toContain('/retry');
    const refused = await postForm(t, client, `/dashboard/webhooks/${ep.id}/deliveries/${d!.id}/retry`, []);
    expect(refused.location).toBe(`/dashboard/webhooks/${ep.id}?notice=retry-refused`);
    expect((await deliveries(m))[0]!.attemptCount).toBe(1);
    await postForm(t, client, `/dashboard/webhooks/${ep.id}/enable`, []);

    page = await client.get(`/dashboard/webhooks/${ep.id}?status=failed`);
    row = deliveryRow(page.html, d!.id);
    expect(stateIn(row)).toBe('Failed');
    const retried = await postForm(t, client, `/dashboard/webhooks/${ep.id}/deliveries/${d!.id}/retry`, []);
    expect(retried.status).toBe(303);
    expect(retried.location).toBe(`/dashboard/webhooks/${ep.id}?notice=retry-pending`);
    const [after] = await deliveries(m);
    expect(after).toMatchObject({ id: d!.id, status: 'pending', attemptCount: 2 });
    expect(Date.parse(after!.nextAttemptAt)).toBeGreaterThan(clock.now().getTime());

    page = await client.get(retried.location!);
    expect(page.html).toContain('sent again but the receiver did not accept it (no response)');
    expect(stateIn(deliveryRow(page.html, d!.id))).toBe('Retrying');
    // The failed-only filter no longer lists it.
    expect((await client.get(`/dashboard/webhooks/${ep.id}?status=failed`)).html).not.toContain(d!.id);
  });

  it('Retry of a delivery the receiver now accepts marks it succeeded and says so', async () => {
    const m = await createMerchant(t);
    const url = rx.url([500]);
    const ep = await addEndpoint(m, url);
    await erase(m, 'flaky');
    await runJobs(m);
    const [d] = await deliveries(m);
    const client = await DashboardClient.signedIn(t, m.secretKey);
    const page = await client.get(`/dashboard/webhooks/${ep.id}`);
    expect(deliveryRow(page.html, d!.id)).toContain('HTTP 500');

    const res = await postForm(t, client, `/dashboard/webhooks/${ep.id}/deliveries/${d!.id}/retry`, []);
    expect(res.location).toBe(`/dashboard/webhooks/${ep.id}?notice=retry-succeeded`);
    expect((await deliveries(m))[0]).toMatchObject({ status: 'succeeded', attemptCount: 2 });
    expect(rx.hitsFor(url)).toHaveLength(2);
    const shown = await client.get(res.location!);
    expect(shown.html).toContain('the receiver accepted it');
    expect(stateIn(deliveryRow(shown.html, d!.id))).toBe('Succeeded');
  });
});

describe('dashboard webhooks security', () => {
  it("another merchant's endpoint and delivery give the 404 page and change nothing", async () => {
    const owner = await createMerchant(t);
    const theirs = await addEndpoint(owner, await closedPortUrl());
    await erase(owner, 'private');
    await runJobs(owner);
    const [delivery] = await deliveries(owner);

    const intruder = await createMerchant(t);
    const mine = await addEndpoint(intruder, rx.url());
    const client = await DashboardClient.signedIn(t, intruder.secretKey);
    const seen = await client.get(`/dashboard/webhooks/${theirs.id}`);
    expect(seen.status).toBe(404);
    expect(seen.html).toContain('Not found');
    for (const action of ['disable', 'enable', 'delete', 'rotate-secret']) {
      expect((await postForm(t, client, `/dashboard/webhooks/${theirs.id}/${action}`, [])).status).toBe(404);
    }
    for (const path of [
      `/dashboard/webhooks/${theirs.id}/deliveries/${delivery!.id}/retry`,
      `/dashboard/webhooks/${mine.id}/deliveries/${delivery!.id}/retry`,
    ]) {
      expect((await postForm(t, client, path, [])).status).toBe(404);
    }
    expect((await owner.api.get(`/v1/webhook-endpoints/${theirs.id}`)).body).toMatchObject({
      enabled: true,
      previousSecretExpiresAt: null,
    });
    expect((await deliveries(owner))[0]).toMatchObject({ attemptCount: 1 });
  });

  it('refuses form posts without the CSRF token (403) and writes nothing', async () => {
    const m = await createMerchant(t);
    const ep = await addEndpoint(m, rx.url());
    const client = await DashboardClient.signedIn(t, m.secretKey);
    await client.get('/dashboard/webhooks');
    const add = await postForm(t, client, '/dashboard/webhooks', endpointFields(rx.url(), ['*']), {
      csrf: false,
    });
    expect(add.status).toBe(403);
    const off = await postForm(t, client, `/dashboard/webhooks/${ep.id}/disable`, [], { csrf: false });
    expect(off.status).toBe(403);
    const [only, ...more] = await endpoints(m);
    expect(more).toEqual([]);
    expect(only).toMatchObject({ id: ep.id, enabled: true });
  });
});
