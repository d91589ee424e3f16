import { and, eq, sql } from 'drizzle-orm';
import { events, webhookDeliveries, webhookEndpoints } from '../../../db/schema';
import type { Clock } from '../../lib/clock';
import type { Executor } from '../../lib/db';
import type { DeliveryKey } from './claim';
import { type SendResult, sendWebhook } from './deliver';
import { type DeliveryRow, recordAttempt } from './record-attempt';
import { signingSecrets } from './secret';
import type { UrlPolicy } from './ssrf';

export interface AttemptDeps {
  db: Executor;
  clock: Clock;
  policy: UrlPolicy;
}

/**
 * Sends each given delivery once, in parallel and outside any database transaction (the
 * claim has committed), then records each result. Returns the deliveries as recorded.
 */
export async function attemptDeliveries(
  deps: AttemptDeps,
  keys: DeliveryKey[],
  opts: { manual: boolean },
): Promise<DeliveryRow[]> {
  if (keys.length === 0) return [];
  const d = webhookDeliveries;
  const ep = webhookEndpoints;
  const rows = await deps.db
    .select({ delivery: d, endpoint: ep, event: events })
    .from(d)
    .innerJoin(ep, and(eq(ep.merchantId, d.merchantId), eq(ep.id, d.endpointId)))
    .leftJoin(events, and(eq(events.merchantId, d.merchantId), eq(events.id, d.eventId)))
    .where(
      sql`(${d.merchantId}, ${d.id}) in (${sql.join(
        keys.map((k) => sql`(${k.merchantId}, ${k.id})`),
        sql`, `,
      )})`,
    );

  const sent = await Promise.all(
    rows.map(async ({ delivery, endpoint, event }) => {
      const at = deps.clock.now();
      let result: SendResult;
      if (!event) {
        result = { outcome: 'dropped', statusCode: null, durationMs: 0, error: 'the event no longer exists' };
      } else if (!endpoint.enabled || endpoint.deletedAt) {
        result = { outcome: 'dropped', statusCode: null, durationMs: 0, error: 'the endpoint is disabled' };
      } else {
        result = await sendWebhook(endpoint.url, event, signingSecrets(endpoint, at), deps.policy);
      }
      return { delivery, result, at };
    }),
  );
  // Recorded one after another: `db` may be a request's transaction, where concurrent
  // savepoints would interleave on its single connection.
  const recorded: DeliveryRow[] = [];
  for (const { delivery, result, at } of sent) {
    recorded.push(await recordAttempt(deps.db, deps.clock, delivery, result, at, { manual: opts.manual }));
  }
  return recorded;
}
