import { sql } from 'drizzle-orm';
import type { VerbContext } from '../../deps';
import { query } from '../../lib/db';
import { DAY_MS } from '../../lib/time';
import type { CustomerRead } from '../customers/read-customers';

export const EXPIRY_HORIZON_DAYS = 30;

export interface ExpiringPoints {
  points: number;
  /** The first expiry within the horizon. */
  at: Date;
}

/**
 * Points that will lapse within the next 30 days under the merchant's policy: `fixed` sums the
 * lots whose `expiresAt` falls in the window (a lot already due counts, expiring at the next
 * jobs run); `inactivity` takes the whole balance when its deadline falls in the window.
 */
export async function expiringPoints(
  ctx: VerbContext,
  customer: CustomerRead,
  available: number,
): Promise<ExpiringPoints | null> {
  const { merchant } = ctx;
  const now = ctx.clock.now();
  const horizon = new Date(now.getTime() + EXPIRY_HORIZON_DAYS * DAY_MS);
  if (merchant.expiryMode === 'inactivity' && merchant.expiryDays) {
    const at = new Date(
      (customer.lastActivityAt ?? customer.createdAt).getTime() + merchant.expiryDays * DAY_MS,
    );
    return available > 0 && at <= horizon ? { points: available, at: at < now ? now : at } : null;
  }
  if (merchant.expiryMode !== 'fixed') return null;
  const [row] = await query<{ points: number | string; at: Date | string | null }>(
    ctx.db,
    sql`select coalesce(sum(remaining), 0)::int as points, min(expires_at) as at
        from lots
        where merchant_id = ${merchant.id} and customer_id = ${customer.id}
          and remaining > 0 and expires_at <= ${horizon.toISOString()}::timestamptz`,
  );
  const points = Number(row?.points ?? 0);
  if (points <= 0 || !row?.at) return null;
  const at = new Date(row.at);
  return { points, at: at < now ? now : at };
}
