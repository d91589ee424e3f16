import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, TestClock } from './helpers/app';
import { createMerchant, type TestMerchant } from './helpers/client';
import { DashboardClient } from './helpers/dashboard';

let t: TestApp;
let clock: TestClock;

beforeAll(async () => {
  clock = new TestClock();
  t = await createTestApp({ clock });
});

async function newKey(m: TestMerchant, body: Record<string, unknown>) {
  const res = await m.api.post('/v1/api-keys', body);
  expect(res.status).toBe(201);
  return res.body as { id: string; key: string };
}

describe('dashboard sign-in', () => {
  it('shows a sign-in form that asks for the key in a password field', async () => {
    const page = await new DashboardClient(t).get('/dashboard/sign-in');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.html).toContain('type="password"');
    expect(page.html).toContain('action="/dashboard/sign-in"');
  });

  it('sends a visitor without a session to the sign-in page', async () => {
    const page = await new DashboardClient(t).get('/dashboard');
    expect(page.status).toBe(303);
    expect(page.location).toBe('/dashboard/sign-in');
  });

  it('exchanges an admin key for an HttpOnly, SameSite=Strict session cookie and never echoes the key', async () => {
    const m = await createMerchant(t);
    const client = new DashboardClient(t);
    const res = await client.post('/dashboard/sign-in', { key: m.secretKey }, { csrf: false });
    expect(res.status).toBe(303);
    expect(res.location).toBe('/dashboard');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^plaudit_session=/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/); // plain HTTP on localhost
    expect(cookie).not.toContain(m.secretKey);

    const overview = await client.get('/dashboard');
    expect(overview.status).toBe(200);
    expect(overview.html).not.toContain(m.secretKey);
    expect(res.location).not.toContain(m.secretKey);
  });

  it('marks the cookie Secure and __Host- over HTTPS', async () => {
    const m = await createMerchant(t);
    const res = await t.app.request('https://dash.example/dashboard/sign-in', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://dash.example' },
      body: new URLSearchParams({ key: m.secretKey }).toString(),
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^__Host-plaudit_session=/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/Path=\//);
  });

  describe.each([
    ['an unknown key', () => 'sk_live_not_a_key'],
    ['a publishable key', (m: TestMerchant) => m.publishableKey],
    ['nothing', () => ''],
  ])('refuses %s', (_label, key) => {
    it('with 401, the error at the field and no cookie', async () => {
      const m = await createMerchant(t);
      const res = await new DashboardClient(t).post('/dashboard/sign-in', { key: key(m) }, { csrf: false });
      expect(res.status).toBe(401);
      expect(res.headers.get('set-cookie')).toBeNull();
      expect(res.html).toContain('id="key-error"');
      expect(res.html).toContain('aria-invalid="true"');
    });
  });

  it('refuses a secret key without the admin scope', async () => {
    const m = await createMerchant(t);
    const server = await newKey(m, { kind: 'secret', scopes: ['server'] });
    const res = await new DashboardClient(t).post('/dashboard/sign-in', { key: server.key }, { csrf: false });
    expect(res.status).toBe(401);
  });

  it('refuses a sign-in form posted from another site', async () => {
    const m = await createMerchant(t);
    const res = await new DashboardClient(t).post(
      '/dashboard/sign-in',
      { key: m.secretKey },
      { csrf: false, headers: { origin: 'https://evil.example' } },
    );
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});

describe('dashboard sessions', () => {
  it('sign-out ends the session on the server: the old cookie no longer opens a page', async () => {
    const m = await createMerchant(t);
    const client = await DashboardClient.signedIn(t, m.secretKey);
    const stolen = client.cookie;
    const out = await client.post('/dashboard/sign-out', {});
    expect(out.status).toBe(303);
    expect(out.location).toBe('/dashboard/sign-in');
    expect(client.cookie).toBeNull();

    const replay = new DashboardClient(t);
    replay.cookie = stolen;
    expect((await replay.get('/dashboard')).status).toBe(303);
  });

  it('expires after 30 idle minutes, and activity keeps it alive', async () => {
    const m = await createMerchant(t);
    const client = await DashboardClient.signedIn(t, m.secretKey);
    clock.advance(25 * 60_000);
    expect((await client.get('/dashboard')).status).toBe(200);
    clock.advance(25 * 60_000);
    expect((await client.get('/dashboard')).status).toBe(200);
    clock.advance(31 * 60_000);
    expect((await client.get('/dashboard')).status).toBe(303);
  });

  it('expires 8 hours after sign-in even when in use', async () => {
    const m = await createMerchant(t);
    const client = await DashboardClient.signedIn(t, m.secretKey);
    const statuses: number[] = [];
    for (let i = 0; i < 17; i++) {
      clock.advance(29 * 60_000); // 17 × 29 min = 8 h 13 min, never idle for 30 min
      statuses.push((await client.get('/dashboard')).status);
    }
    expect(statuses.slice(0, 16).every((s) => s === 200)).toBe(true);
    expect(statuses[16]).toBe(303);
  });

  it('ends when the admin key it was opened with is revoked', async () => {
    const m = await createMerchant(t);
    const admin = await newKey(m, { kind: 'secret', scopes: ['admin'] });
    const client = await DashboardClient.signedIn(t, admin.key);
    expect((await m.api.delete(`/v1/api-keys/${admin.id}`)).status).toBeLessThan(300);
    expect((await client.get('/dashboard')).status).toBe(303);
  });

  it.each([
    ['a wrong secret', (c: string) => c.replace(/\.[^.]+$/, '.wrongsecretwrongsecretwrongsecre')],
    ['another merchant id', (c: string) => c.replace(/=[^.]+\./, '=mer_someoneelse.')],
    ['garbage', () => 'plaudit_session=garbage'],
  ])('refuses a cookie with %s', async (_label, tamper) => {
    const m = await createMerchant(t);
    const client = await DashboardClient.signedIn(t, m.secretKey);
    client.cookie = tamper(client.cookie!);
    expect((await client.get('/dashboard')).status).toBe(303);
  });

  it("a session of one merchant shows that merchant's name only", async () => {
    const a = await createMerchant(t, { name: 'Alpha Tea' });
    const b = await createMerchant(t, { name: 'Bravo Coffee' });
    const page = await (await DashboardClient.signedIn(t, a.secretKey)).get('/dashboard');
    expect(page.html).toContain('Alpha Tea');
    expect(page.html).not.toContain('Bravo Coffee');
    expect(b.id).not.toBe(a.id);
  });
});

describe('dashboard CSRF and headers', () => {
  it.each([
    ['no token', {}],
    ['a wrong token', { _csrf: 'f'.repeat(64) }],
  ])('refuses a form post with %s', async (_label, form) => {
    const m = await createMerchant(t);
    const client = await DashboardClient.signedIn(t, m.secretKey);
    const res = await client.post('/dashboard/sign-out', form, { csrf: false });
    expect(res.status).toBe(403);
    expect((await client.get('/dashboard')).status).toBe(200); // still signed in
  });

  it("refuses another session's token", async () => {
    const m = await createMerchant(t);
    const one = await DashboardClient.signedIn(t, m.secretKey);
    const two = await DashboardClient.signedIn(t, m.secretKey);
    const res = await one.post('/dashboard/sign-out', { _csrf: two.csrf() }, { csrf: false });
    expect(res.status).toBe(403);
  });

  it('refuses a form post from another origin even with the right token', async () => {
    const m = await createMerchant(t);
    const client = await DashboardClient.signedIn(t, m.secretKey);
    const res = await client.post('/dashboard/sign-out', {}, { headers: { origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
  });

  it('serves pages with a strict content security policy, no caching and no framing', async () => {
    const m = await createMerchant(t);
    const page = await (await DashboardClient.signedIn(t, m.secretKey)).get('/dashboard');
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(page.html).not.toMatch(/<script>(?!<\/script>)/); // no inline script
  });
});
