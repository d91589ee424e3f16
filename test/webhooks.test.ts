import { and, eq, sql } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, events, merchants, webhookDeliveries } from '../db/schema';
import { createApp } from '../src/app';
import type { VerbContext } from '../src/deps';
import { eraseCustomer } from '../src/modules/customers/erase-customer';
import { runJobs } from '../src/modules/jobs/run-jobs';
import { claimDueDeliveries } from '../src/modules/webhooks/claim';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { Api, createMerchant, expectProblem, type TestMerchant } from './helpers/client';
import { usingPostgres } from './helpers/database';
import { type ReceivedHook, type Receiver, startReceiver } from './helpers/webhook-receiver';

const HOUR = 3600_000;
// A fixed clock: retry schedules are driven by it, never by real time.
const clock = new TestClock(new Date('2026-03-02T09:00:00Z'));
let t: TestApp; // PLAUDIT_ALLOW_PRIVATE_WEBHOOKS=true: delivers to the local receiver
let strict: TestApp; // the default policy
let rx: Receiver;

beforeAll(async () => {
  t = await createTestApp({ clock, env: { PLAUDIT_ALLOW_PRIVATE_WEBHOOKS: 'true' } });
  strict = await createTestApp({ clock });
  rx = await startReceiver();
});
afterAll(async () => {
  await rx?.close();
});

const paths = (problem: { errors: { path: string }[] }) => problem.errors.map((e) => e.path);

async function addEndpoint(m: TestMerchant, url: string, events: string[] = ['*']) {
  const res = await m.api.post('/v1/webhook-endpoints', { url, events });
  if (res.status !== 201)
    throw new Error(`endpoint creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; secret: string } & Record<string, unknown>;
}

/** Emits `customer.erased` for a new customer; returns the event id. */
async function erase(m: TestMerchant, customerId: string): Promise<string> {
  expect((await m.api.put(`/v1/customers/${customerId}`, {})).status).toBe(200);
  expect((await m.api.delete(`/v1/customers/${customerId}`)).status).toBe(204);
  const [row] = await t.db
    .select({ id: events.id })
    .from(events)
    .where(
      and(
        eq(events.merchantId, m.id),
        eq(events.type, 'customer.erased'),
        sql`${events.data}->>'customerId' = ${customerId}`,
      ),
    );
  return row!.id;
}

async function run(m: TestMerchant) {
  const res = await m.api.post('/v1/jobs/run');
  expect(res.status).toBe(200);
  return res.body as Record<string, number>;
}

async function deliveries(m: TestMerchant, query = '') {
  const res = await m.api.get(`/v1/webhook-deliveries${query}`);
  expect(res.status).toBe(200);
  return res.body.data as any[];
}

const verify = (secret: string, hit: ReceivedHook) => new Webhook(secret).verify(hit.body, hit.headers);

describe('webhook endpoints', () => {
  it('registration answers 201 with a Standard Webhooks secret that is never shown again', async () => {
    const m = await createMerchant(t);
    const res = await m.api.post('/v1/webhook-endpoints', {
      url: 'https://hooks.example.com/plaudit',
      events: ['points.earned', 'customer.erased', 'points.earned'],
      description: 'CRM sync',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      url: 'https://hooks.example.com/plaudit',
      events: ['points.earned', 'customer.erased'],
      description: 'CRM sync',
      enabled: true,
      disabledReason: null,
    });
    expect(res.body.id).toMatch(/^whe_/);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(atob(res.body.secret.slice(6)).length).toBeGreaterThanOrEqual(24);

    const one = await m.api.get(`/v1/webhook-endpoints/${res.body.id}`);
    const list = await m.api.get('/v1/webhook-endpoints');
    expect(one.status).toBe(200);
    expect(list.body.data).toHaveLength(1);
    for (const body of [one.body, list.body]) {
      expect(JSON.stringify(body)).not.toContain('whsec_');
      expect(JSON.stringify(body)).not.toContain('"secret"');
    }
  });

  it('`*` anywhere subscribes to every event type', async () => {
    const m = await createMerchant(t);
    const res = await m.api.post('/v1/webhook-endpoints', {
      url: 'https://hooks.example.com/all',
      events: ['points.earned', '*'],
    });
    expect(res.body.events).toEqual(['*']);
  });

  it('PATCH changes only the fields sent, and enables or disables the endpoint', async () => {
    const m = await createMerchant(t);
    const ep = await addEndpoint(m, 'https://hooks.example.com/a', ['points.earned']);
    const patched = await m.api.patch(`/v1/webhook-endpoints/${ep.id}`, {
      url: 'https://hooks.example.com/b',
      events: ['customer.erased'],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ url: 'https://hooks.example.com/b', events: ['customer.erased'] });
    const off = await m.api.patch(`/v1/webhook-endpoints/${ep.id}`, { enabled: false });
    expect(off.body).toMatchObject({
      enabled: false,
      disabledReason: 'manual',
      url: 'https://hooks.example.com/b',
    });
    const on = await m.api.patch(`/v1/webhook-endpoints/${ep.id}`, { enabled: true, description: 'again' });
    expect(on.body).toMatchObject({ enabled: true, disabledReason: null, description: 'again' });
  });

  it('DELETE answers 204; the endpoint then reads as 404 and is no longer listed', async () => {
    const m = await createMerchant(t);
    const ep = await addEndpoint(m, 'https://hooks.example.com/a');
    expect((await m.api.delete(`/v1/webhook-endpoints/${ep.id}`)).status).toBe(204);
    expectProblem(await m.api.get(`/v1/webhook-endpoints/${ep.id}`), 404, 'not-found');
    expectProblem(await m.api.delete(`/v1/webhook-endpoints/${ep.id}`), 404, 'not-found');
    expect((await m.api.get('/v1/webhook-endpoints')).body.data).toEqual([]);
  });

  it('lists endpoints oldest first, a page at a time', async () => {
    const m = await createMerchant(t);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      clock.advance(1);
      ids.push((await addEndpoint(m, `https://hooks.example.com/${i}`)).id);
    }
    const first = await m.api.get('/v1/webhook-endpoints?limit=2');
    const second = await m.api.get(`/v1/webhook-endpoints?limit=2&cursor=${first.body.nextCursor}`);
    expect([...first.body.data, ...second.body.data].map((e: { id: string }) => e.id)).toEqual(ids);
    expect(second.body.nextCursor).toBeNull();
  });

  it('config changes are audited, never with a secret', async () => {
    const m = await createMerchant(t);
    const ep = await addEndpoint(m, 'https://hooks.example.com/a');
    await m.api.patch(`/v1/webhook-endpoints/${ep.id}`, { events: ['points.earned'] });
    await m.api.post(`/v1/webhook-endpoints/${ep.id}/rotate-secret`);
    await m.api.delete(`/v1/webhook-endpoints/${ep.id}`);
    const rows = await t.db.select().from(auditLog).where(eq(auditLog.merchantId, m.id));
    const actions = rows.filter((r) => r.targetId === ep.id).map((r) => r.action);
    expect(actions.sort()).toEqual([
      'webhook_endpoint.created',
      'webhook_endpoint.deleted',
      'webhook_endpoint.secret_rotated',
      'webhook_endpoint.updated',
    ]);
    expect(JSON.stringify(rows)).not.toContain('whsec_');
  });

  describe.each([
    ['no url', { events: ['*'] }, ['url']],
    ['no events', { url: 'https://hooks.example.com/a' }, ['events']],
    ['empty events', { url: 'https://hooks.example.com/a', events: [] }, ['events']],
    [
      'an unknown event type',
      { url: 'https://hooks.example.com/a', events: ['*', 'points.stolen'] },
      ['events.1'],
    ],
    [
      'a rule event, not a webhook event',
      { url: 'https://hooks.example.com/a', events: ['order.paid'] },
      ['events.0'],
    ],
    [
      'an unknown field',
      { url: 'https://hooks.example.com/a', events: ['*'], secret: 'whsec_x' },
      ['secret'],
    ],
    [
      'a long description',
      { url: 'https://hooks.example.com/a', events: ['*'], description: 'x'.repeat(501) },
      ['description'],
    ],
    ['a non-URL', { url: 'hooks', events: ['*'] }, ['url']],
  ])('POST with %s', (_name, body, expected) => {
    it('is refused with 400 naming the field', async () => {
      const m = await createMerchant(t);
      const problem = expectProblem(
        await m.api.post('/v1/webhook-endpoints', body),
        400,
        'validation-failed',
      );
      expect(paths(problem)).toEqual(expected);
    });
  });

  describe.each([
    ['an unknown event type', { events: ['nope'] }, ['events.0']],
    ['enabled as a string', { enabled: 'yes' }, ['enabled']],
    ['a private URL', { url: 'https://10.1.2.3/hook' }, ['url']],
    ['an unknown field', { secret: 'whsec_x' }, ['secret']],
  ])('PATCH with %s', (_name, body, expected) => {
    it('is refused with 400 naming the field', async () => {
      const m = await createMerchant(strict);
      const ep = await addEndpoint(m, 'https://hooks.example.com/a');
      const res = await m.api.patch(`/v1/webhook-endpoints/${ep.id}`, body);
      expect(paths(expectProblem(res, 400, 'validation-failed'))).toEqual(expected);
    });
  });

  describe('security', () => {
    let m: TestMerchant;
    let other: TestMerchant;
    let epId: string;
    let deliveryId: string;
    beforeAll(async () => {
      m = await createMerchant(t);
      other = await createMerchant(t);
      epId = (await addEndpoint(m, rx.url())).id;
      await erase(m, 'sec-1');
      await run(m);
      deliveryId = (await deliveries(m))[0].id;
    });

    const routes = (): [string, string, unknown?][] => [
      ['POST', '/v1/webhook-endpoints', { url: 'https://hooks.example.com/a', events: ['*'] }],
      ['GET', '/v1/webhook-endpoints'],
      ['GET', `/v1/webhook-endpoints/${epId}`],
      ['PATCH', `/v1/webhook-endpoints/${epId}`, { enabled: false }],
      ['DELETE', `/v1/webhook-endpoints/${epId}`],
      ['POST', `/v1/webhook-endpoints/${epId}/rotate-secret`, {}],
      ['GET', '/v1/webhook-deliveries'],
      ['POST', `/v1/webhook-deliveries/${deliveryId}/retry`, {}],
    ];

    it('every route refuses a request without credentials (401)', async () => {
      for (const [method, path, body] of routes()) {
        expectProblem(await m.anon.request(method, path, body), 401, 'unauthorized');
      }
    });

    it('every route refuses a server-scoped key and a publishable key (403)', async () => {
      const key = await m.api.post('/v1/api-keys', { kind: 'secret', scopes: ['server'] });
      const server = new Api(t.app, key.body.key);
      const publishable = new Api(t.app, m.publishableKey);
      for (const [method, path, body] of routes()) {
        expectProblem(await server.request(method, path, body), 403, 'forbidden');
        expectProblem(await publishable.request(method, path, body), 403, 'forbidden');
      }
    });

    it("another merchant's endpoint and delivery read as 404 and are not listed", async () => {
      for (const [method, path, body] of routes().slice(2, 6)) {
        expectProblem(await other.api.request(method, path, body), 404, 'not-found');
      }
      expectProblem(await other.api.post(`/v1/webhook-deliveries/${deliveryId}/retry`), 404, 'not-found');
      expect((await other.api.get('/v1/webhook-endpoints')).body.data).toEqual([]);
      expect(await deliveries(other, `?endpointId=${epId}`)).toEqual([]);
      expect((await m.api.get(`/v1/webhook-endpoints/${epId}`)).body.enabled).toBe(true);
    });
  });
});

describe('SSRF guard at registration (private webhooks not allowed)', () => {
  const refused: [string, string][] = [
    ['plain http', 'http://hooks.example.com/a'],
    ['another scheme', 'ftp://hooks.example.com/a'],
    ['credentials in the URL', 'https://user:pass@hooks.example.com/a'],
    ['loopback', 'https://127.0.0.1/a'],
    ['loopback with a port', 'https://127.0.0.1:8443/a'],
    ['loopback, trailing dot', 'https://127.0.0.1./a'],
    ['loopback as a decimal integer', 'https://2130706433/a'],
    ['loopback in hex', 'https://0x7f000001/a'],
    ['loopback in dotted hex', 'https://0x7f.0.0.1/a'],
    ['loopback in octal', 'https://0177.0.0.1/a'],
    ['loopback shortened', 'https://127.1/a'],
    ['private 10/8', 'https://10.0.0.1/a'],
    ['private 172.16/12', 'https://172.16.5.4/a'],
    ['private 192.168/16', 'https://192.168.1.1/a'],
    ['private 192.168/16 in octal', 'https://0300.0250.0.1/a'],
    ['CGNAT 100.64/10', 'https://100.64.0.1/a'],
    ['link-local metadata address', 'https://169.254.169.254/latest/meta-data/'],
    ['0.0.0.0', 'https://0.0.0.0/a'],
    ['0.0.0.0/8 as a bare zero', 'https://0/a'],
    ['multicast', 'https://224.0.0.1/a'],
    ['broadcast', 'https://255.255.255.255/a'],
    ['reserved 240/4', 'https://240.0.0.1/a'],
    ['documentation range', 'https://192.0.2.10/a'],
    ['IPv6 loopback', 'https://[::1]/a'],
    ['IPv6 unspecified', 'https://[::]/a'],
    ['IPv6 unique local fc00::/7', 'https://[fd12:3456::1]/a'],
    ['IPv6 link-local fe80::/10', 'https://[fe80::1]/a'],
    ['IPv6 multicast', 'https://[ff02::1]/a'],
    ['IPv4-mapped loopback', 'https://[::ffff:127.0.0.1]/a'],
    ['IPv4-mapped metadata address', 'https://[::ffff:a9fe:a9fe]/a'],
    ['NAT64 of a private address', 'https://[64:ff9b::10.0.0.1]/a'],
    ['local-use NAT64', 'https://[64:ff9b:1::808:808]/a'],
    ['6to4 of loopback', 'https://[2002:7f00:1::]/a'],
    ['localhost', 'https://localhost/a'],
    ['LOCALHOST with a trailing dot', 'https://LOCALHOST./a'],
    ['a .localhost name', 'https://api.localhost/a'],
    ['a .internal name', 'https://metadata.google.internal/a'],
    ['a single-label name', 'https://intranet/a'],
  ];

  it.each(refused)('refuses %s (%s) with a 400 naming url', async (_name, url) => {
    const m = await createMerchant(strict);
    const res = await m.api.post('/v1/webhook-endpoints', { url, events: ['*'] });
    expect(paths(expectProblem(res, 400, 'validation-failed'))).toEqual(['url']);
  });

  it.each([
    'https://hooks.example.com/plaudit',
    'https://93.184.216.34/hook',
    'https://[2606:4700:4700::1111]/hook',
    'https://[64:ff9b::808:808]/hook',
  ])('accepts %s', async (url) => {
    const m = await createMerchant(strict);
    expect((await m.api.post('/v1/webhook-endpoints', { url, events: ['*'] })).status).toBe(201);
  });

  it('with a resolver, refuses hosts that resolve to any private address', async () => {
    const dns: Record<string, string[]> = {
      'public.example.com': ['93.184.216.34'],
      'rebind.example.com': ['127.0.0.1'],
      'mixed.example.com': ['93.184.216.34', '10.0.0.7'],
      'mapped.example.com': ['::ffff:192.168.0.1'],
    };
    const app = createApp({
      ...strict.deps,
      resolveHost: async (host) => {
        const found = dns[host];
        if (!found) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
        return found;
      },
    });
    const m = await createMerchant(strict);
    const api = new Api(app, m.secretKey);
    const post = (host: string) =>
      api.post('/v1/webhook-endpoints', { url: `https://${host}/h`, events: ['*'] });
    expect((await post('public.example.com')).status).toBe(201);
    for (const host of [
      'rebind.example.com',
      'mixed.example.com',
      'mapped.example.com',
      'nowhere.example.com',
    ]) {
      const problem = expectProblem(await post(host), 400, 'validation-failed');
      expect(paths(problem)).toEqual(['url']);
      expect(problem.errors[0].message).toContain(host);
    }
  });

  it('re-resolves at delivery: a host that now resolves to a private address is not contacted', async () => {
    let answer = ['93.184.216.34'];
    const app = createApp({ ...strict.deps, resolveHost: async () => answer });
    const m = await createMerchant(strict);
    const api = new Api(app, m.secretKey);
    const ep = await api.post('/v1/webhook-endpoints', { url: 'https://hooks.example.com/h', events: ['*'] });
    expect(ep.status).toBe(201);
    answer = ['127.0.0.1'];
    await api.put('/v1/customers/c1', {});
    await api.delete('/v1/customers/c1');
    const counts = (await api.post('/v1/jobs/run')).body;
    expect(counts).toMatchObject({ webhookDeliveriesCreated: 1, webhookAttempts: 1, webhookSucceeded: 0 });
    const [d] = (await api.get('/v1/webhook-deliveries')).body.data;
    expect(d.status).toBe('pending');
    expect(d.attempts[0]).toMatchObject({ statusCode: null });
    expect(d.attempts[0].error).toMatch(/^url refused: .*127\.0\.0\.1 is a loopback address/);
  });

  it('PLAUDIT_ALLOW_PRIVATE_WEBHOOKS=true allows http and loopback (development)', async () => {
    const m = await createMerchant(t);
    expect((await m.api.post('/v1/webhook-endpoints', { url: rx.url(), events: ['*'] })).status).toBe(201);
  });
});

describe('delivery', () => {
  it('POSTs {id, type, createdAt, data} signed per Standard Webhooks, with the event id as webhook-id', async () => {
    const m = await createMerchant(t);
    const url = rx.url();
    const ep = await addEndpoint(m, url);
    const eventId = await erase(m, 'cust-1');
    expect(await run(m)).toMatchObject({
      webhookDeliveriesCreated: 1,
      webhookAttempts: 1,
      webhookSucceeded: 1,
    });

    const [hit] = rx.hitsFor(url);
    expect(hit!.headers['webhook-id']).toBe(eventId);
    expect(hit!.headers['content-type']).toBe('application/json');
    expect(Math.abs(Number(hit!.headers['webhook-timestamp']) - Date.now() / 1000)).toBeLessThan(60);
    const payload = verify(ep.secret, hit!) as Record<string, unknown>;
    expect(payload).toEqual({
      id: eventId,
      type: 'customer.erased',
      createdAt: expect.any(String),
      data: { customerId: 'cust-1' },
    });
    expect(() =>
      new Webhook(`whsec_${btoa('another secret, 24 bytes+')}`).verify(hit!.body, hit!.headers),
    ).toThrow();
    expect(() => verify(ep.secret, { ...hit!, body: hit!.body.replace('cust-1', 'cust-2') })).toThrow();

    const [d] = await deliveries(m);
    expect(d).toMatchObject({
      eventId,
      eventType: 'customer.erased',
      endpointId: ep.id,
      status: 'succeeded',
      attemptCount: 1,
      nextAttemptAt: null,
      attempts: [{ statusCode: 200, error: null, durationMs: expect.any(Number) }],
    });
    // Nothing more to send on the next run.
    expect(await run(m)).toMatchObject({ webhookDeliveriesCreated: 0, webhookAttempts: 0 });
  });

  it('points.earned from an order reaches the endpoints subscribed to it, and only those', async () => {
    const m = await createMerchant(t);
    const earnedUrl = rx.url();
    const erasedUrl = rx.url();
    await addEndpoint(m, earnedUrl, ['points.earned']);
    await addEndpoint(m, erasedUrl, ['customer.erased']);
    expect(
      (
        await m.api.post('/v1/rules', {
          name: 'Ten',
          event: 'order.paid',
          reward: { type: 'fixed', points: 10 },
        })
      ).status,
    ).toBe(201);
    const order = await m.api.post('/v1/orders', {
      id: 'o-1',
      customerId: 'buyer',
      total: 5000,
      currency: 'EUR',
    });
    expect(order.status).toBe(201);
    await run(m);
    const [hit] = rx.hitsFor(earnedUrl);
    expect(JSON.parse(hit!.body)).toMatchObject({
      type: 'points.earned',
      data: { customerId: 'buyer', points: 10 },
    });
    expect(rx.hitsFor(erasedUrl)).toHaveLength(0);
  });

  it('retries a failing receiver with backoff: 500, 500, then 200 is three attempts with the same webhook-id', async () => {
    const m = await createMerchant(t);
    const url = rx.url([500, 500]);
    const ep = await addEndpoint(m, url);
    const eventId = await erase(m, 'flaky');

    expect(await run(m)).toMatchObject({ webhookAttempts: 1, webhookSucceeded: 0 });
    let [d] = await deliveries(m);
    expect(d).toMatchObject({
      status: 'pending',
      attemptCount: 1,
      attempts: [{ statusCode: 500, error: 'HTTP 500' }],
    });
    const firstWait = Date.parse(d.nextAttemptAt) - Date.parse(d.attempts[0].at);
    expect(firstWait).toBeGreaterThanOrEqual(1000);
    expect(firstWait).toBeLessThanOrEqual(30_000);

    // Not due yet: a run now sends nothing.
    expect(await run(m)).toMatchObject({ webhookAttempts: 0 });

    clock.advance(Date.parse(d.nextAttemptAt) - clock.now().getTime());
    expect(await run(m)).toMatchObject({ webhookAttempts: 1, webhookSucceeded: 0 });
    [d] = await deliveries(m);
    const secondWait = Date.parse(d.nextAttemptAt) - Date.parse(d.attempts[1].at);
    expect(secondWait).toBeLessThanOrEqual(60_000);

    clock.advance(Date.parse(d.nextAttemptAt) - clock.now().getTime());
    expect(await run(m)).toMatchObject({ webhookAttempts: 1, webhookSucceeded: 1 });
    [d] = await deliveries(m);
    expect(d).toMatchObject({ status: 'succeeded', attemptCount: 3, nextAttemptAt: null });
    expect(d.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 200]);

    const hits = rx.hitsFor(url);
    expect(hits).toHaveLength(3);
    expect(new Set(hits.map((h) => h.headers['webhook-id']))).toEqual(new Set([eventId]));
    expect(new Set(hits.map((h) => h.body)).size).toBe(1);
    for (const hit of hits) expect(() => verify(ep.secret, hit)).not.toThrow();
  });

  it('a redirect is a failed attempt and is never followed', async () => {
    const m = await createMerchant(t);
    const url = rx.url([302]);
    await addEndpoint(m, url);
    await erase(m, 'redirected');
    await run(m);
    const [d] = await deliveries(m);
    expect(d).toMatchObject({ status: 'pending', attempts: [{ statusCode: 302 }] });
    expect(d.attempts[0].error).toContain('not followed');
    expect(rx.hitsUnder(url)).toHaveLength(1);
  });

  it('410 Gone disables the endpoint and fails its pending deliveries', async () => {
    const m = await createMerchant(t);
    const url = rx.url([500, 410]);
    const ep = await addEndpoint(m, url);
    await erase(m, 'g-1');
    await run(m); // 500: pending
    await erase(m, 'g-2');
    clock.advance(HOUR);
    await run(m); // both due: one answer is 410, the other 200 or 410 — the endpoint ends disabled

    const endpoint = (await m.api.get(`/v1/webhook-endpoints/${ep.id}`)).body;
    expect(endpoint).toMatchObject({ enabled: false, disabledReason: 'gone' });
    const all = await deliveries(m);
    expect(all.some((d) => d.attempts.some((a: { statusCode: number }) => a.statusCode === 410))).toBe(true);
    expect(all.filter((d) => d.status === 'pending')).toEqual([]);
    expect(all.every((d) => d.nextAttemptAt === null)).toBe(true);

    // A disabled endpoint receives nothing more, and its deliveries are not retried.
    await erase(m, 'g-3');
    clock.advance(HOUR);
    expect(await run(m)).toMatchObject({ webhookDeliveriesCreated: 0, webhookAttempts: 0 });
  });

  it('gives up a day after the first attempt; no wait is longer than an hour', async () => {
    const m = await createMerchant(t);
    const url = rx.url(Array.from({ length: 500 }, () => 503));
    await addEndpoint(m, url);
    await erase(m, 'doomed');
    let d: any;
    for (let i = 0; i < 500; i++) {
      await run(m);
      [d] = await deliveries(m);
      if (d.status !== 'pending') break;
      clock.advance(Date.parse(d.nextAttemptAt) - clock.now().getTime());
    }
    expect(d.status).toBe('failed');
    expect(d.nextAttemptAt).toBeNull();
    const times = d.attempts.map((a: { at: string }) => Date.parse(a.at));
    const span = times.at(-1) - times[0];
    expect(span).toBeGreaterThanOrEqual(24 * HOUR);
    expect(span).toBeLessThanOrEqual(25 * HOUR);
    for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeLessThanOrEqual(HOUR);
    expect(rx.hitsFor(url)).toHaveLength(d.attemptCount);
    expect(new Set(rx.hitsFor(url).map((h) => h.headers['webhook-id'])).size).toBe(1);
  });

  it('POST /v1/webhook-deliveries/{id}/retry sends now, whatever the schedule, and returns the delivery', async () => {
    const m = await createMerchant(t);
    const url = rx.url([500]);
    await addEndpoint(m, url);
    await erase(m, 'manual');
    await run(m);
    const [before] = await deliveries(m);
    expect(before.status).toBe('pending');
    expect(Date.parse(before.nextAttemptAt)).toBeGreaterThan(clock.now().getTime());

    const res = await m.api.post(`/v1/webhook-deliveries/${before.id}/retry`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      id: before.id,
      status: 'succeeded',
      attemptCount: 2,
      nextAttemptAt: null,
    });
    expect(res.body.attempts.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 200]);
    // A succeeded delivery can be sent again on request (manual redelivery).
    const again = await m.api.post(`/v1/webhook-deliveries/${before.id}/retry`);
    expect(again.body).toMatchObject({ status: 'succeeded', attemptCount: 3 });
    expect(rx.hitsFor(url)).toHaveLength(3);
    expectProblem(await m.api.post('/v1/webhook-deliveries/whd_nope/retry'), 404, 'not-found');
  });

  it('retry refuses a delivery of a disabled or deleted endpoint with 409 invalid-state', async () => {
    const m = await createMerchant(t);
    const ep = await addEndpoint(m, rx.url());
    await erase(m, 'x');
    await run(m);
    const [d] = await deliveries(m);
    await m.api.patch(`/v1/webhook-endpoints/${ep.id}`, { enabled: false });
    const disabled = expectProblem(
      await m.api.post(`/v1/webhook-deliveries/${d.id}/retry`),
      409,
      'invalid-state',
    );
    expect(disabled.currentStatus).toBe('disabled');
    await m.api.delete(`/v1/webhook-endpoints/${ep.id}`);
    const deleted = expectProblem(
      await m.api.post(`/v1/webhook-deliveries/${d.id}/retry`),
      409,
      'invalid-state',
    );
    expect(deleted.currentStatus).toBe('deleted');
    expect(await deliveries(m, `?endpointId=${ep.id}`)).toHaveLength(1);
  });

  it('disabling fails pending deliveries; re-enabling delivers only events created from then on', async () => {
    const m = await createMerchant(t);
    const url = rx.url([500]);
    const ep = await addEndpoint(m, url);
    await erase(m, 'before-disable');
    await run(m);
    await m.api.patch(`/v1/webhook-endpoints/${ep.id}`, { enabled: false });
    expect((await deliveries(m))[0]).toMatchObject({ status: 'failed', nextAttemptAt: null });
    await erase(m, 'while-disabled');
    clock.advance(1000);
    await m.api.patch(`/v1/webhook-endpoints/${ep.id}`, { enabled: true });
    clock.advance(1000);
    await erase(m, 'after-enable');
    expect(await run(m)).toMatchObject({ webhookDeliveriesCreated: 1, webhookSucceeded: 1 });
    const customers = rx.hitsFor(url).map((h) => JSON.parse(h.body).data.customerId);
    expect(customers).toEqual(['before-disable', 'after-enable']);
  });

  it('an endpoint receives no events from before its registration', async () => {
    const m = await createMerchant(t);
    await erase(m, 'early');
    clock.advance(1000);
    const url = rx.url();
    await addEndpoint(m, url);
    expect(await run(m)).toMatchObject({ webhookDeliveriesCreated: 0 });
    expect(rx.hitsFor(url)).toHaveLength(0);
  });

  it('an event from a transaction that rolled back produces no delivery', async () => {
    const m = await createMerchant(t);
    const url = rx.url();
    await addEndpoint(m, url);
    await m.api.put('/v1/customers/kept', {});
    await m.api.put('/v1/customers/rolled-back', {});
    const merchant = (await t.db.select().from(merchants).where(eq(merchants.id, m.id)))[0]!;
    class Abort extends Error {}
    await expect(
      t.db.transaction(async (tx) => {
        const ctx: VerbContext = {
          db: tx,
          merchant,
          clock,
          logger: t.deps.logger,
          actor: 'test',
          requestId: undefined,
        };
        await eraseCustomer(ctx, 'rolled-back');
        throw new Abort();
      }),
    ).rejects.toBeInstanceOf(Abort);
    await m.api.delete('/v1/customers/kept');
    await run(m);
    clock.advance(HOUR);
    await run(m);
    const hits = rx.hitsFor(url).map((h) => JSON.parse(h.body).data.customerId);
    expect(hits).toEqual(['kept']);
    expect(await deliveries(m)).toHaveLength(1);
  });

  it('rotation: both secrets sign for 24 h, then only the new one', async () => {
    const m = await createMerchant(t);
    const url = rx.url();
    const ep = await addEndpoint(m, url);
    const rotated = await m.api.post(`/v1/webhook-endpoints/${ep.id}/rotate-secret`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(ep.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - clock.now().getTime()).toBe(24 * HOUR);

    await erase(m, 'during');
    await run(m);
    const [during] = rx.hitsFor(url);
    expect(during!.headers['webhook-signature']!.split(' ')).toHaveLength(2);
    expect(() => verify(ep.secret, during!)).not.toThrow();
    expect(() => verify(rotated.body.secret, during!)).not.toThrow();

    clock.advance(24 * HOUR + 1000);
    await erase(m, 'after');
    await run(m);
    const after = rx.hitsFor(url)[1]!;
    expect(after.headers['webhook-signature']!.split(' ')).toHaveLength(1);
    expect(() => verify(rotated.body.secret, after)).not.toThrow();
    expect(() => verify(ep.secret, after)).toThrow();
  });

  it('the delivery log filters by endpoint, status and event type, newest first, a page at a time', async () => {
    const m = await createMerchant(t);
    const ok = await addEndpoint(m, rx.url());
    const failing = await addEndpoint(m, rx.url([500, 500, 500]));
    for (const c of ['l-1', 'l-2', 'l-3']) {
      clock.advance(1);
      await erase(m, c);
    }
    await run(m);
    expect(await deliveries(m)).toHaveLength(6);
    const mine = await deliveries(m, `?endpointId=${failing.id}`);
    expect(mine.map((d) => d.status)).toEqual(['pending', 'pending', 'pending']);
    expect(await deliveries(m, `?status=succeeded&endpointId=${ok.id}`)).toHaveLength(3);
    expect(await deliveries(m, '?eventType=points.earned')).toHaveLength(0);
    expect(await deliveries(m, '?eventType=customer.erased')).toHaveLength(6);
    const page1 = await m.api.get(`/v1/webhook-deliveries?endpointId=${ok.id}&limit=2`);
    const page2 = await m.api.get(
      `/v1/webhook-deliveries?endpointId=${ok.id}&limit=2&cursor=${page1.body.nextCursor}`,
    );
    const ids = [...page1.body.data, ...page2.body.data].map((d: { eventId: string }) => d.eventId);
    expect(ids).toEqual([...ids].sort().reverse());
    expect(new Set(ids).size).toBe(3);
    const bad = expectProblem(await m.api.get('/v1/webhook-deliveries?status=lost&eventType=x'), 400);
    expect(paths(bad).sort()).toEqual(['eventType', 'status']);
  });

  it('a jobs run sent with an Idempotency-Key delivers inside its transaction, and a replay sends nothing', async () => {
    const m = await createMerchant(t);
    const url = rx.url([500]);
    await addEndpoint(m, url);
    for (const c of ['i-1', 'i-2', 'i-3']) await erase(m, c);
    const first = await m.api.post('/v1/jobs/run', {}, { 'idempotency-key': 'run-1' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      webhookDeliveriesCreated: 3,
      webhookAttempts: 3,
      webhookSucceeded: 2,
    });
    const replay = await m.api.post('/v1/jobs/run', {}, { 'idempotency-key': 'run-1' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(rx.hitsFor(url)).toHaveLength(3);
    expect((await deliveries(m)).map((d) => d.status).sort()).toEqual(['pending', 'succeeded', 'succeeded']);
  });

  it('a delivery claimed by a runner that died is sent again once its lease runs out', async () => {
    const m = await createMerchant(t);
    const url = rx.url();
    await addEndpoint(m, url);
    await erase(m, 'orphan');
    await run(m); // fans out and delivers; make a second event to orphan
    await erase(m, 'orphan-2');
    const { fanOutEvents } = await import('../src/modules/webhooks/fan-out');
    await fanOutEvents(t.db, clock.now(), m.id);
    const claimed = await claimDueDeliveries(t.db, {
      dueBy: clock.now(),
      now: clock.now(),
      limit: 10,
      merchantId: m.id,
    });
    expect(claimed).toHaveLength(1);
    // The claimer "crashes" here. While the lease holds, nobody sends it.
    clock.advance(30_000);
    expect(await run(m)).toMatchObject({ webhookAttempts: 0 });
    clock.advance(31_000);
    expect(await run(m)).toMatchObject({ webhookAttempts: 1, webhookSucceeded: 1 });
    expect(rx.hitsFor(url).map((h) => JSON.parse(h.body).data.customerId)).toEqual(['orphan', 'orphan-2']);
  });
});

describe(`concurrent runners (${usingPostgres() ? 'Postgres' : 'PGlite'})`, () => {
  it('four runJobs in parallel fan out and deliver each event exactly once', async () => {
    const m = await createMerchant(t);
    const urls = [rx.url(), rx.url()];
    for (const url of urls) await addEndpoint(m, url);
    const eventIds: string[] = [];
    for (let i = 0; i < 12; i++) eventIds.push(await erase(m, `par-${i}`));
    rx.setDelay(25);
    try {
      const job = {
        db: t.db,
        clock,
        logger: t.deps.logger,
        merchantId: m.id,
        webhooks: { allowPrivate: true },
      };
      const results = await Promise.all([runJobs(job), runJobs(job), runJobs(job), runJobs(job)]);
      expect(results.reduce((s, r) => s + (r.webhookDeliveriesCreated ?? 0), 0)).toBe(24);
      expect(results.reduce((s, r) => s + (r.webhookAttempts ?? 0), 0)).toBe(24);
    } finally {
      rx.setDelay(0);
    }
    for (const url of urls) {
      const ids = rx.hitsFor(url).map((h) => h.headers['webhook-id']);
      expect(ids.sort()).toEqual([...eventIds].sort());
    }
    const rows = await t.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.merchantId, m.id));
    expect(rows).toHaveLength(24);
    expect(rows.every((r) => r.status === 'succeeded' && r.attemptCount === 1)).toBe(true);
  });
});
