import type { TestApp } from './app';

export interface Page {
  status: number;
  headers: Headers;
  html: string;
  /** Where a redirect points, if it is one. */
  location: string | null;
}

const ORIGIN = 'http://localhost';

/**
 * A cookie-keeping client for the dashboard over `app.request()`, sending what a same-origin
 * browser sends with a form (`Origin`). `csrf()` reads the token from the last page, as a
 * browser submitting that page's form would.
 */
export class DashboardClient {
  cookie: string | null = null;
  last: Page | null = null;

  constructor(private t: TestApp) {}

  static async signedIn(t: TestApp, key: string): Promise<DashboardClient> {
    const client = new DashboardClient(t);
    const res = await client.post('/dashboard/sign-in', { key }, { csrf: false });
    if (res.status !== 303) throw new Error(`sign-in failed: ${res.status} ${res.html.slice(0, 300)}`);
    await client.get('/dashboard'); // a page with the CSRF token for later posts
    return client;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Page> {
    return this.send(path, { method: 'GET', headers });
  }

  /** Posts a form; `_csrf` is taken from the last page unless given or `csrf: false`. */
  async post(
    path: string,
    form: Record<string, string>,
    opts: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Page> {
    const body = new URLSearchParams(form);
    if (opts.csrf !== false && !body.has('_csrf')) body.set('_csrf', this.csrf());
    return this.send(path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, ...opts.headers },
      body: body.toString(),
    });
  }

  csrf(): string {
    const m = /name="_csrf" value="([^"]+)"/.exec(this.last?.html ?? '');
    if (!m) throw new Error('no CSRF token on the last page');
    return m[1]!;
  }

  private async send(path: string, init: { method: string; headers: Record<string, string>; body?: string }) {
    const headers: Record<string, string> = { ...init.headers };
    if (this.cookie) headers.cookie = this.cookie;
    const res = await this.t.app.request(path, { ...init, headers });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0]!;
      this.cookie = /=$/.test(pair) || /Max-Age=0/i.test(setCookie) ? null : pair;
    }
    const page = {
      status: res.status,
      headers: res.headers,
      html: await res.text(),
      location: res.headers.get('location'),
    };
    if (page.status === 200) this.last = page;
    return page;
  }
}

/** The text of the element carrying `data-figure="name"`. */
export function figure(html: string, name: string): string | null {
  const m = new RegExp(`data-figure="${name}"[^>]*>([^<]*)<`).exec(html);
  return m ? decode(m[1]!) : null;
}

export function decode(s: string): string {
  return s
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}
