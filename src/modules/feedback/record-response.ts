import { and, eq, sql } from 'drizzle-orm';
import { surveyResponses } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { query, type Tx, withTransaction } from '../../lib/db';
import { Conflict } from '../../lib/errors';
import { contentHash } from '../../lib/hash';
import { recordEvent } from '../../lib/outbox';
import { awardForEvent } from '../earning/award';
import { entriesOfSource } from '../ledger/entries-of-source';
import { lockCustomer } from '../ledger/lock-customer';
import type { LedgerEntry } from '../ledger/schemas';
import { toEntryView, viewNew } from '../ledger/view';
import { referralInviteFor } from './invite';
import type { ReferralInvite, Segment, SurveyResponse, SurveyResponseInput } from './schemas';
import { segmentOf, toSurveyResponseView } from './view';

export interface SurveyOutcome {
  created: boolean;
  response: SurveyResponse;
  segment: Segment;
  awarded: LedgerEntry[];
  referralInvite?: ReferralInvite;
}

/**
 * Records a survey answer, awards what the `survey.submitted` rules give, keeps the customer's
 * latest NPS, and tells webhooks about promoters (with their referral invite) and detractors
 * (for service recovery) — all in one transaction. Idempotent on the answer's id: the same
 * content replays the first result, different content is a 409.
 */
export async function recordSurveyResponse(
  ctx: VerbContext,
  input: SurveyResponseInput,
): Promise<SurveyOutcome> {
  const hash = await contentHash(input);
  const now = ctx.clock.now();
  const respondedAt = input.respondedAt ?? now;
  const m = ctx.merchant.id;
  return withTransaction(ctx.db, async (tx) => {
    const [inserted] = await tx
      .insert(surveyResponses)
      .values({
        merchantId: m,
        id: input.id,
        customerId: input.customerId,
        kind: input.kind,
        score: input.score,
        comment: input.comment ?? null,
        orderId: input.orderId ?? null,
        channel: input.channel ?? null,
        respondedAt,
        requestHash: hash,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (!inserted) return replay(tx, ctx, input.id, hash);

    const customer = await lockCustomer(tx, ctx, input.customerId);
    const { entries } = await awardForEvent(tx, ctx, customer, {
      event: {
        type: 'survey.submitted',
        id: input.id,
        customerId: input.customerId,
        kind: input.kind,
        score: input.score,
        comment: input.comment ?? null,
        orderId: input.orderId ?? null,
        channel: input.channel ?? null,
      },
      amount: null,
      occurredAt: respondedAt,
      source: { type: 'survey', id: input.id },
      defaultPendingDays: 0,
      also: (earned) =>
        earned > 0
          ? [
              sql`update survey_responses set points_earned = ${earned} where merchant_id = ${m} and id = ${input.id}`,
            ]
          : [],
    });
    if (input.kind === 'nps') await refreshLatestNps(tx, m, input.customerId, now);

    const response = toSurveyResponseView({
      ...inserted,
      pointsEarned: entries.reduce((s, e) => s + e.points, 0),
    });
    const segment = segmentOf(input.kind, input.score);
    const invite = segment === 'promoter' ? await referralInviteFor(tx, ctx, input.customerId) : undefined;
    if (segment === 'promoter') {
      await recordEvent(
        tx,
        m,
        'customer.promoter',
        {
          customerId: input.customerId,
          responseId: input.id,
          score: input.score,
          referralInvite: invite ?? null,
        },
        now,
      );
    } else if (segment === 'detractor') {
      await recordEvent(
        tx,
        m,
        'feedback.detractor',
        {
          customerId: input.customerId,
          responseId: input.id,
          score: input.score,
          comment: response.comment,
          orderId: response.orderId,
          channel: response.channel,
          respondedAt: response.respondedAt,
        },
        now,
      );
    }
    return {
      created: true,
      response,
      segment,
      awarded: entries.map(viewNew(input.customerId, now)),
      ...(invite && { referralInvite: invite }),
    };
  });
}

/**
 * The customer's latest NPS is their answer with the greatest `respondedAt` (ties: greatest
 * id), recomputed from the answers so a backdated answer never overwrites a newer one. The
 * insights use the same order, so the two always agree.
 */
async function refreshLatestNps(tx: Tx, merchantId: string, customerId: string, now: Date) {
  await query(
    tx,
    sql`update customers c set latest_nps = l.score, latest_nps_at = l.responded_at, updated_at = ${now.toISOString()}::timestamptz
        from (select score, responded_at from survey_responses
              where merchant_id = ${merchantId} and customer_id = ${customerId} and kind = 'nps'
              order by responded_at desc, id desc limit 1) l
        where c.merchant_id = ${merchantId} and c.id = ${customerId}`,
  );
}

async function replay(tx: Tx, ctx: VerbContext, id: string, hash: string): Promise<SurveyOutcome> {
  const m = ctx.merchant.id;
  const [row] = await tx
    .select()
    .from(surveyResponses)
    .where(and(eq(surveyResponses.merchantId, m), eq(surveyResponses.id, id)));
  if (!row) throw new Conflict('The survey answer is being recorded by another request; retry.');
  if (row.requestHash !== hash) {
    throw new Conflict(`Survey answer ${id} was already recorded with different content.`, { id });
  }
  const entries = await entriesOfSource(tx, m, { type: 'survey', id }, { kind: 'earn' });
  const segment = segmentOf(row.kind, row.score);
  const invite = segment === 'promoter' ? await referralInviteFor(tx, ctx, row.customerId) : undefined;
  const now = ctx.clock.now();
  return {
    created: false,
    response: toSurveyResponseView(row),
    segment,
    awarded: entries.map((e) => toEntryView(e, now)),
    ...(invite && { referralInvite: invite }),
  };
}
