import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app';
import { createMerchant, type TestMerchant } from './helpers/client';

// Every documented route, fed malformed input, must answer a problem+json 4xx — never a 5xx.
let t: TestApp;
let m: TestMerchant;
let routes: { method: string; path: string }[] = [];

beforeAll(async () => {
  t = await createTestApp();
  m = await createMerchant(t);
  const doc = (await m.anon.get('/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
  routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
    Object.keys(ops)
      .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map((method) => ({ method: method.toUpperCase(), path })),
  );
});

const weirdIds = ['%00', "x'; drop table customers; --", 'a'.repeat(300), '%F0%9F%92%A9', '..%2F..%2Fetc'];
const badBodies: unknown[] = [
  'not json',
  '[]',
  'null',
  '{"id": 1, "customerId": {}, "total": "many"}',
  '{"points": 1e309}',
];

describe('malformed input never causes a 5xx', () => {
  it('covers the documented routes', () => {
    expect(routes.length).toBeGreaterThan(20);
  });

  it('answers every route with odd path parameters and bodies with a problem, not a crash', async () => {
    const failures: string[] = [];
    for (const r of routes) {
      const paths = r.path.includes('{') ? weirdIds.map((id) => r.path.replace(/\{[^}]+\}/g, id)) : [r.path];
      const bodies = ['POST', 'PUT', 'PATCH'].includes(r.method) ? badBodies : [undefined];
      for (const path of paths) {
        for (const body of bodies) {
          const res = await m.api.request(
            r.method,
            `${path}${r.method === 'GET' ? '?limit=abc&cursor=%%%' : ''}`,
            body,
          );
          if (res.status >= 500) failures.push(`${r.method} ${path} ${String(body)} → ${res.status}`);
          else if (
            res.status >= 400 &&
            !(res.headers.get('content-type') ?? '').startsWith('application/problem+json')
          ) {
            failures.push(`${r.method} ${path} → ${res.status} without problem+json`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
