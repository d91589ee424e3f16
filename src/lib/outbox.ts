import { events } from '../../db/schema';
import type { Executor } from './db';
import { newId } from './ids';

/**
 * Writes a domain event to the outbox. Call it with the transaction that makes the change,
 * so an event exists exactly when its change committed.
 */
export async function recordEvent(
  db: Executor,
  merchantId: string,
  type: string,
  data: Record<string, unknown>,
  now: Date,
): Promise<string> {
  const id = newId('event', now);
  await db.insert(events).values({ merchantId, id, type, data, createdAt: now });
  return id;
}
