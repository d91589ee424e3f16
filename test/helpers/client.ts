import { OPERATOR_TOKEN, type TestApp } from './app';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

type Headers_ = Record<string, string>;

/** A small HTTP client over `app.request()`, bound to one credential. */
export class Api {
  constructor(
    private app: TestApp['app'],
    private token?: string,
    private extraHeaders: Headers_ = {},
  ) {}

  as(token: string | undefined, headers: Headers_ = {}) {
    return new Api(this.app, token, { ...this.extraHeaders, ...headers });
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Headers_ = {},
  ): Promise<ApiResponse<T>> {
    const h: Headers_ = { ...this.extraHeaders, ...headers };
    if (this.token) h.authorization = `Bearer ${this.token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await this.app.request(path, { method, headers: h, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    if (text && /^application\/(problem\+)?json/.test(res.headers.get('content-type') ?? ''))
      parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, body: parsed as T };
  }

  get<T = any>(path: string, headers?: Headers_) {
    return this.request<T>('GET', path, undefined, headers);
  }
  post<T = any>(path: string, body?: unknown, headers?: Headers_) {
    return this.request<T>('POST', path, body ?? {}, headers);
  }
  put<T = any>(path: string, body?: unknown, headers?: Headers_) {
    return this.request<T>('PUT', path, body ?? {}, headers);
  }
  patch<T = any>(path: string, body?: unknown, headers?: Headers_) {
    return this.request<T>('PATCH', path, body ?? {}, headers);
  }
  delete<T = any>(path: string, headers?: Headers_) {
    return this.request<T>('DELETE', path, undefined, headers);
  }
}

export interface TestMerchant {
  id: string;
  secretKey: string;
  publishableKey: string;
  /** Client with the merchant's admin secret key. */
  api: Api;
  /** Client with no credentials. */
  anon: Api;
}

let counter = 0;

/** A fresh merchant for one test: no shared fixtures, no order dependence. */
export async function createMerchant(
  t: TestApp,
  input: { name?: string; currency?: string; timezone?: string } = {},
): Promise<TestMerchant> {
  const operator = new Api(t.app, OPERATOR_TOKEN);
  const res = await operator.post('/v1/merchants', {
    name: input.name ?? `Shop ${++counter}`,
    currency: input.currency ?? 'EUR',
    timezone: input.timezone ?? 'UTC',
  });
  if (res.status !== 201)
    throw new Error(`merchant creation failed: ${res.status} ${JSON.stringify(res.body)}`);
  return {
    id: res.body.merchant.id,
    secretKey: res.body.secretKey,
    publishableKey: res.body.publishableKey,
    api: new Api(t.app, res.body.secretKey),
    anon: new Api(t.app),
  };
}

export function operatorApi(t: TestApp) {
  return new Api(t.app, OPERATOR_TOKEN);
}

/** Asserts the response is a problem+json of the given status and type; returns its body. */
export function expectProblem(res: ApiResponse, status: number, type?: string) {
  const ct = res.headers.get('content-type') ?? '';
  if (res.status !== status || !ct.startsWith('application/problem+json')) {
    throw new Error(
      `expected problem ${status}${type ? ` ${type}` : ''}, got ${res.status} ${ct} ${JSON.stringify(res.body)}`,
    );
  }
  if (type && res.body.type !== `/problems/${type}`) {
    throw new Error(`expected problem type ${type}, got ${res.body.type}: ${JSON.stringify(res.body)}`);
  }
  return res.body;
}
