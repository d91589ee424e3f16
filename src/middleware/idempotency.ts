import { sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler, Next } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { AppEnv } from '../deps';
import { sha256Hex } from '../lib/crypto';
import { type Executor, query } from '../lib/db';
import { IdempotencyKeyInFlight, IdempotencyKeyReused, ValidationFailed } from '../lib/errors';

/** A marker older than this belongs to a request that died; its write never committed. */
const ABANDONED_AFTER_SECONDS = 60;

interface KeyRow {
  request_hash: string;
  status: 'in_flight' | 'done';
  response_status: number | null;
  response_body: string | null;
  response_content_type: string | null;
  claimed: boolean;
}

class Rollback extends Error {}

/**
 * Answers given before the request did anything (invalid input, credentials, rate limit)
 * are not remembered: a corrected retry with the same key runs for real.
 */
const NOT_EXECUTED = new Set([400, 401, 403, 413, 429]);

/** Members that carry a credential shown once: never stored, so a replay cannot show it again. */
const SECRET_MEMBERS = new Set(['key', 'secretKey', 'publishableKey', 'secret', 'token']);
export const REDACTED = '(shown once; not replayed)';

function redactSecrets(body: string): string {
  if (!body.startsWith('{')) return body;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown>;
    let changed = false;
    for (const member of Object.keys(parsed)) {
      if (SECRET_MEMBERS.has(member) && typeof parsed[member] === 'string') {
        parsed[member] = REDACTED;
        changed = true;
      }
    }
    return changed ? JSON.stringify(parsed) : body;
  } catch {
    return body;
  }
}

/**
 * `Idempotency-Key` on POST. Phase one commits an `in_flight` marker on its own, so a
 * concurrent retry sees it (409). Phase two runs the handler in a transaction that also
 * stores the response and marks the key `done`: the key and the write it protects commit
 * or roll back together. A 5xx rolls everything back and frees the key for a retry.
 */
export function idempotency(): MiddlewareHandler<AppEnv> {
  // Not async and no header read before the method check: GETs pass straight through.
  return (c, next) => {
    if (c.req.method !== 'POST') return next();
    const key = c.req.header('idempotency-key');
    if (key === undefined) return next();
    return remembered(c, next, key);
  };
}

async function remembered(c: Context<AppEnv>, next: Next, key: string) {
  if (key.length < 1 || key.length > 255) {
    throw new ValidationFailed([{ path: 'Idempotency-Key', message: 'must be 1 to 255 characters' }]);
  }
  const p = c.get('principal');
  // Unauthenticated requests are refused by the route guard; nothing to remember for them.
  if (!p) return next();
  const scope = p.kind === 'operator' ? '_operator' : p.merchant.id;
  const body = await c.req.raw.clone().text();
  // A storefront request is bound to its customer: another customer (or a bare publishable
  // key) reusing the key gets 422, never the first customer's response.
  const caller = p.kind === 'publishable' ? ` pk:${c.get('customerId') ?? '-'}` : '';
  const hash = await sha256Hex(`${c.req.method} ${c.req.path}${caller}\n${body}`);
  const db = c.get('db');

  const row = await claim(db, scope, key, hash);
  if (!row.claimed) {
    if (row.request_hash !== hash) throw new IdempotencyKeyReused();
    if (row.status === 'in_flight') throw new IdempotencyKeyInFlight();
    // Through the context, so this request's own headers (X-Request-Id, RateLimit-*) are kept.
    const status = (row.response_status ?? 200) as ContentfulStatusCode;
    const headers = {
      'Content-Type': row.response_content_type ?? 'application/json',
      'Idempotent-Replayed': 'true',
    };
    return row.response_body === null
      ? c.body(null, status, headers)
      : c.body(row.response_body, status, headers);
  }

  try {
    await db.transaction(async (tx) => {
      c.set('db', tx);
      await next();
      if (c.res.status >= 500 || NOT_EXECUTED.has(c.res.status)) throw new Rollback();
      await query(
        tx,
        sql`update idempotency_keys
            set status = 'done', response_status = ${c.res.status}, response_body = ${redactSecrets(await c.res.clone().text())},
                response_content_type = ${c.res.headers.get('content-type')}
            where merchant_id = ${scope} and key = ${key}`,
      );
    });
  } catch (error) {
    await release(db, scope, key);
    if (!(error instanceof Rollback)) throw error;
  } finally {
    c.set('db', db);
  }
}

async function claim(db: Executor, scope: string, key: string, hash: string): Promise<KeyRow> {
  const [inserted] = await query<KeyRow>(
    db,
    sql`insert into idempotency_keys (merchant_id, key, request_hash, status)
        values (${scope}, ${key}, ${hash}, 'in_flight')
        on conflict (merchant_id, key) do update
          set locked_at = now(), request_hash = excluded.request_hash
          where idempotency_keys.status = 'in_flight'
            and idempotency_keys.locked_at < now() - make_interval(secs => ${ABANDONED_AFTER_SECONDS})
        returning request_hash, status, response_status, response_body, response_content_type, true as claimed`,
  );
  if (inserted) return inserted;
  const [existing] = await query<KeyRow>(
    db,
    sql`select request_hash, status, response_status, response_body, response_content_type, false as claimed
        from idempotency_keys where merchant_id = ${scope} and key = ${key}`,
  );
  // Deleted between the two statements (its request failed just now): answer as in flight.
  return (
    existing ?? {
      request_hash: hash,
      status: 'in_flight',
      response_status: null,
      response_body: null,
      response_content_type: null,
      claimed: false,
    }
  );
}

async function release(db: Executor, scope: string, key: string) {
  await query(
    db,
    sql`delete from idempotency_keys where merchant_id = ${scope} and key = ${key} and status = 'in_flight'`,
  );
}
