import { and, eq, sql } from 'drizzle-orm';
import { activities } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { type Tx, withTransaction } from '../../lib/db';
import { Conflict } from '../../lib/errors';
import { contentHash } from '../../lib/hash';
import { entriesOfSource } from '../ledger/entries-of-source';
import { lockCustomer } from '../ledger/lock-customer';
import type { LedgerEntry } from '../ledger/schemas';
import { toEntryView, viewNew } from '../ledger/view';
import { awardForEvent } from './award';

export type ActivityKind = 'review' | 'share' | 'event';

export interface ActivityInput {
  kind: ActivityKind;
  /** The rule event: `review.created`, `share.created`, `signup`, `birthday` or a custom name. */
  eventType: string;
  id: string;
  customerId: string;
  occurredAt: Date;
  payload: Record<string, unknown>;
  amount?: number | null;
}

export interface ActivityOutcome {
  created: boolean;
  activity: Record<string, unknown>;
  awarded: LedgerEntry[];
}

/**
 * Records a review, share or custom event and awards what the rules give. Idempotent on
 * (kind, id): the same content replays the first result, different content is a 409.
 * Points are available at once unless the rule sets pending days.
 */
export async function recordActivity(ctx: VerbContext, input: ActivityInput): Promise<ActivityOutcome> {
  const hash = await contentHash({ type: input.eventType, ...input.payload });
  const now = ctx.clock.now();
  return withTransaction(ctx.db, async (tx) => {
    const [inserted] = await tx
      .insert(activities)
      .values({
        merchantId: ctx.merchant.id,
        type: input.kind,
        id: input.id,
        customerId: input.customerId,
        payload: JSON.stringify({ ...input.payload, type: input.eventType }),
        requestHash: hash,
        occurredAt: input.occurredAt,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!inserted) return replay(tx, ctx, input, hash);

    const customer = await lockCustomer(tx, ctx, input.customerId);
    const { entries } = await awardForEvent(tx, ctx, customer, {
      event: { ...input.payload, id: input.id, customerId: input.customerId, type: input.eventType },
      amount: input.amount ?? null,
      occurredAt: input.occurredAt,
      source: { type: input.kind, id: input.id },
      defaultPendingDays: 0,
      also: (earned) =>
        earned > 0
          ? [
              sql`update activities set points_earned = ${earned}
                  where merchant_id = ${ctx.merchant.id} and type = ${input.kind} and id = ${input.id}`,
            ]
          : [],
    });
    const pointsEarned = entries.reduce((s, e) => s + e.points, 0);
    return {
      created: true,
      activity: view(input.kind, { ...inserted, pointsEarned }),
      awarded: entries.map(viewNew(input.customerId, now)),
    };
  });
}

async function replay(
  tx: Tx,
  ctx: VerbContext,
  input: ActivityInput,
  hash: string,
): Promise<ActivityOutcome> {
  const [row] = await tx
    .select()
    .from(activities)
    .where(
      and(
        eq(activities.merchantId, ctx.merchant.id),
        eq(activities.type, input.kind),
        eq(activities.id, input.id),
      ),
    );
  if (!row) throw new Conflict('Being recorded by another request; retry.');
  if (row.requestHash !== hash) {
    throw new Conflict(`${input.kind} ${input.id} was already recorded with different content.`, {
      id: input.id,
    });
  }
  const entries = await entriesOfSource(
    tx,
    ctx.merchant.id,
    { type: input.kind, id: input.id },
    { kind: 'earn' },
  );
  const now = ctx.clock.now();
  return {
    created: false,
    activity: view(input.kind, row),
    awarded: entries.map((e) => toEntryView(e, now)),
  };
}

function view(kind: ActivityKind, row: typeof activities.$inferSelect): Record<string, unknown> {
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  return {
    ...payload,
    ...(kind !== 'event' && { type: undefined }),
    id: row.id,
    customerId: row.customerId,
    occurredAt: row.occurredAt.toISOString(),
    pointsEarned: row.pointsEarned,
    createdAt: row.createdAt.toISOString(),
  };
}
