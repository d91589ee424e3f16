import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * A local webhook receiver on 127.0.0.1 (port chosen by the OS). Each test takes its own
 * path; a path answers the statuses planned for it in order, then 200.
 */
export async function startReceiver() {
  const hits: ReceivedHook[] = [];
  const plans = new Map<string, number[]>();
  let delayMs = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = req.url ?? '/';
      hits.push({ path, headers: flatten(req.headers), body: Buffer.concat(chunks).toString('utf8') });
      const status = plans.get(path)?.shift() ?? 200;
      const headers = status >= 300 && status < 400 ? { location: `${base}${path}/redirected` } : {};
      setTimeout(() => res.writeHead(status, headers).end('ok'), delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    /** A fresh path on this receiver, answering `statuses` first. */
    url(statuses: number[] = []) {
      const path = `/hooks/${randomUUID()}`;
      plans.set(path, [...statuses]);
      return `${base}${path}`;
    },
    hitsFor(url: string) {
      const path = new URL(url).pathname;
      return hits.filter((h) => h.path === path);
    },
    hitsUnder(url: string) {
      const path = new URL(url).pathname;
      return hits.filter((h) => h.path.startsWith(path));
    },
    setDelay(ms: number) {
      delayMs = ms;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
