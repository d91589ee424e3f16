import { sql } from 'drizzle-orm';
import { type Executor, query } from '../../lib/db';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from './event-types';

/**
 * How long after its timestamp an event may still become visible: a transaction reads the
 * clock, then commits. The fan-out cursor trails the newest event it saw by this much, so
 * such latecomers are still picked up; the unique (endpoint, event) pair makes the overlap
 * harmless.
 */
export const FAN_OUT_LAG = '5 minutes';

const subscribableTypes = sql`array[${sql.join(
  WEBHOOK_EVENT_TYPES.map((t) => sql`${t}`),
  sql`, `,
)}]::text[]`;

const merchantScope = (merchantId: string | undefined) =>
  merchantId ? sql`and merchant_id = ${merchantId}` : sql``;

/**
 * Turns outbox events into pending deliveries, one per (event, subscribed endpoint), set-based.
 * Each merchant's cursor row is claimed with FOR UPDATE SKIP LOCKED, so one runner at a time
 * fans a merchant out; it scans that merchant's events after the cursor (and, per endpoint,
 * from `receiving_since`), inserts the missing pairs, and moves the cursor — all in one
 * statement, one short transaction. The unique (merchant, endpoint, event) index is the last
 * guard: a pair can never get two deliveries. A delivery's id is `whd_` + its event id's body +
 * a hash of the endpoint id, so deliveries sort like their events (by time) and name them.
 */
export async function fanOutEvents(db: Executor, now: Date, merchantId?: string): Promise<number> {
  const at = now.toISOString();
  await query(
    db,
    sql`insert into webhook_outbox_cursors (merchant_id, fanned_out_until, updated_at)
        select distinct merchant_id, '1970-01-01T00:00:00Z'::timestamptz, ${at}::timestamptz
        from webhook_endpoints where enabled and deleted_at is null ${merchantScope(merchantId)}
        on conflict (merchant_id) do nothing`,
  );
  const [row] = await query<{ n: number }>(
    db,
    sql`with claimed as (
          select merchant_id, fanned_out_until from webhook_outbox_cursors
          where true ${merchantScope(merchantId)}
          for update skip locked),
        scanned as (
          select ep.merchant_id, ep.id as endpoint_id, e.id as event_id, e.type, e.created_at
          from claimed c
          join webhook_endpoints ep on ep.merchant_id = c.merchant_id and ep.enabled and ep.deleted_at is null
          join events e on e.merchant_id = ep.merchant_id
            and e.created_at > c.fanned_out_until
            and e.created_at >= ep.receiving_since
            and e.type = any(case when ${ALL_EVENTS} = any(ep.events) then ${subscribableTypes} else ep.events end)),
        inserted as (
          insert into webhook_deliveries
            (merchant_id, id, event_id, event_type, endpoint_id, status, next_attempt_at, created_at, updated_at)
          select s.merchant_id, 'whd_' || substr(s.event_id, strpos(s.event_id, '_') + 1) || substr(md5(s.endpoint_id), 1, 12),
            s.event_id, s.type, s.endpoint_id, 'pending', ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
          from scanned s
          where not exists (
            select 1 from webhook_deliveries d
            where d.merchant_id = s.merchant_id and d.endpoint_id = s.endpoint_id and d.event_id = s.event_id)
          on conflict (merchant_id, endpoint_id, event_id) do nothing
          returning 1),
        advanced as (
          update webhook_outbox_cursors c
          set fanned_out_until = greatest(c.fanned_out_until, s.newest - interval '${sql.raw(FAN_OUT_LAG)}'),
              updated_at = ${at}::timestamptz
          from (select merchant_id, max(created_at) as newest from scanned group by merchant_id) s
          where c.merchant_id = s.merchant_id)
        select count(*)::int as n from inserted`,
  );
  return Number(row?.n ?? 0);
}
