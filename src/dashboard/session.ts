import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import { apiKeys, dashboardSessions, merchants } from '../../db/schema';
import type { Merchant } from '../deps';
import { hmacHex, randomToken } from '../lib/crypto';
import type { Executor } from '../lib/db';
import { newId } from '../lib/ids';

/** A session ends this long after sign-in, whatever happens. */
export const SESSION_LIFETIME_MS = 8 * 60 * 60 * 1000;
/** … or after this long without a request. */
export const SESSION_IDLE_MS = 30 * 60 * 1000;
// Refreshing `last_seen_at` on every page view would be a write per view; a minute is precise enough.
const TOUCH_EVERY_MS = 60 * 1000;

export interface DashboardSession {
  id: string;
  merchant: Merchant;
  apiKeyId: string;
  /** Sent back with every form; derived from the session, so it needs no storage. */
  csrfToken: string;
}

/** Opens a session for an admin key and returns the cookie value `merchant.session.secret`. */
export async function openSession(
  db: Executor,
  pepper: string,
  input: { merchantId: string; apiKeyId: string; now: Date },
): Promise<string> {
  const id = newId('session', input.now);
  const secret = randomToken();
  await db.insert(dashboardSessions).values({
    merchantId: input.merchantId,
    id,
    secretHash: await hmacHex(pepper, `session:${secret}`),
    apiKeyId: input.apiKeyId,
    createdAt: input.now,
    lastSeenAt: input.now,
    expiresAt: new Date(input.now.getTime() + SESSION_LIFETIME_MS),
  });
  // Expired sessions of this merchant go as new ones come: the table never grows without bound.
  await db
    .delete(dashboardSessions)
    .where(
      and(eq(dashboardSessions.merchantId, input.merchantId), lt(dashboardSessions.expiresAt, input.now)),
    );
  return `${input.merchantId}.${id}.${secret}`;
}

/**
 * The live session a cookie names, or null: unknown, wrong secret, expired, idle too long, or
 * opened with an admin key that has since been revoked.
 */
export async function readSession(
  db: Executor,
  pepper: string,
  cookie: string | undefined,
  now: Date,
): Promise<DashboardSession | null> {
  const parts = cookie?.split('.') ?? [];
  if (parts.length !== 3 || parts.some((p) => p.length === 0 || p.length > 100)) return null;
  const [merchantId, id, secret] = parts as [string, string, string];
  const [row] = await db
    .select({ session: dashboardSessions, merchant: merchants })
    .from(dashboardSessions)
    .innerJoin(merchants, eq(merchants.id, dashboardSessions.merchantId))
    .innerJoin(
      apiKeys,
      and(eq(apiKeys.merchantId, dashboardSessions.merchantId), eq(apiKeys.id, dashboardSessions.apiKeyId)),
    )
    .where(
      and(
        eq(dashboardSessions.merchantId, merchantId),
        eq(dashboardSessions.id, id),
        gt(dashboardSessions.expiresAt, now),
        gt(dashboardSessions.lastSeenAt, new Date(now.getTime() - SESSION_IDLE_MS)),
        isNull(apiKeys.revokedAt),
      ),
    )
    .limit(1);
  if (!row || row.session.secretHash !== (await hmacHex(pepper, `session:${secret}`))) return null;
  if (now.getTime() - row.session.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await db
      .update(dashboardSessions)
      .set({ lastSeenAt: now })
      .where(and(eq(dashboardSessions.merchantId, merchantId), eq(dashboardSessions.id, id)));
  }
  return {
    id,
    merchant: row.merchant,
    apiKeyId: row.session.apiKeyId,
    csrfToken: await hmacHex(pepper, `csrf:${merchantId}.${id}`),
  };
}

export async function closeSession(db: Executor, session: Pick<DashboardSession, 'id' | 'merchant'>) {
  await db
    .delete(dashboardSessions)
    .where(and(eq(dashboardSessions.merchantId, session.merchant.id), eq(dashboardSessions.id, session.id)));
}
