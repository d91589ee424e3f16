import { and, eq, ne } from 'drizzle-orm';
import { customers, referrals } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { Tx } from '../../lib/db';
import { normalizeEmail } from '../../lib/email';
import { newId } from '../../lib/ids';
import { recordEvent } from '../../lib/outbox';
import { lockCustomer } from '../ledger/lock-customer';
import type { CustomerRow } from '../ledger/types';
import { referrerCapReached } from './cap';
import { canonicalCode } from './ensure-code';
import { type CodeOwner, codeUsable, findCode } from './find-code';
import { loadProgram, type Program } from './program';
import type { RejectionReason } from './schemas';
import { type ReferralRow, toReferralView } from './view';

/** Hashes only, never raw addresses or card numbers. */
export interface Evidence {
  ipHash?: string | undefined;
  deviceHash?: string | undefined;
  paymentFingerprint?: string | undefined;
}

export interface Attribution extends Evidence {
  code: string;
  refereeId: string;
  refereeEmail?: string | undefined;
  /** What the shop knows of the referrer's own device and payment, if anything. */
  referrer?: Evidence;
  attributedAt: Date;
  /** The order whose `referralCode` attributes (checked as the referee's first paid order). */
  order?: { id: string; ordersBefore: number };
}

/**
 * Attributes a referee to the owner of `code`, or records why not. First valid touch wins: under
 * the referee's row lock, a referee with a live (not rejected) referral is `already_referred`,
 * and the partial unique index `referrals_live_referee_key` is the last guard. Every decision —
 * accepted or rejected with its reason — is a referral row and an event. The same code sent
 * again for an already attributed referee returns that referral (`created: false`).
 */
export async function attributeReferral(
  tx: Tx,
  ctx: VerbContext,
  input: Attribution,
): Promise<{ referral: ReferralRow; created: boolean }> {
  const m = ctx.merchant.id;
  const now = ctx.clock.now();
  const referee = await lockCustomer(tx, ctx, input.refereeId);
  if (input.refereeEmail && !referee.email && !referee.erasedAt) {
    await tx
      .update(customers)
      .set({ email: input.refereeEmail, emailNormalized: normalizeEmail(input.refereeEmail), updatedAt: now })
      .where(and(eq(customers.merchantId, m), eq(customers.id, referee.id)));
  }
  const program = await loadProgram(tx, m);
  const owner = await findCode(tx, m, input.code);
  const [live] = await tx
    .select()
    .from(referrals)
    .where(
      and(eq(referrals.merchantId, m), eq(referrals.refereeId, referee.id), ne(referrals.status, 'rejected')),
    );
  if (live && owner && live.referrerId === owner.customerId && live.code === owner.code) {
    return { referral: live, created: false };
  }

  const reason = await rejectionReason(tx, ctx, { input, program, owner, referee, live, now });
  const values = {
    merchantId: m,
    id: newId('referral', now),
    code: owner?.code ?? canonicalCode(input.code),
    referrerId: owner?.customerId ?? null,
    refereeId: referee.id,
    status: reason ? ('rejected' as const) : ('pending' as const),
    reason,
    refereeEmailNormalized: input.refereeEmail ? normalizeEmail(input.refereeEmail) : referee.emailNormalized,
    ipHash: input.ipHash ?? null,
    deviceHash: input.deviceHash ?? null,
    paymentFingerprint: input.paymentFingerprint ?? null,
    attributedOrderId: input.order?.id ?? null,
    attributedAt: input.attributedAt,
    createdAt: now,
  };
  let [row] = await tx.insert(referrals).values(values).onConflictDoNothing().returning();
  if (!row) {
    // Only the live-referee index can refuse a fresh id: someone attributed this referee first.
    [row] = await tx
      .insert(referrals)
      .values({ ...values, status: 'rejected', reason: 'already_referred' })
      .returning();
  }
  if (row!.status === 'pending') {
    await tx
      .update(customers)
      .set({ referredBy: row!.referrerId, updatedAt: now })
      .where(and(eq(customers.merchantId, m), eq(customers.id, referee.id)));
  }
  await recordEvent(
    tx,
    m,
    row!.status === 'pending' ? 'referral.attributed' : 'referral.rejected',
    toReferralView(row!),
    now,
  );
  return { referral: row!, created: true };
}

interface Facts {
  input: Attribution;
  program: Program;
  owner: CodeOwner | undefined;
  referee: CustomerRow;
  live: ReferralRow | undefined;
  now: Date;
}

/** The first check that fails, in a fixed order, or null when the attribution stands. */
async function rejectionReason(tx: Tx, ctx: VerbContext, f: Facts): Promise<RejectionReason | null> {
  if (!f.program.active) return 'program_inactive';
  if (!codeUsable(f.owner)) return 'code_inactive';
  const referrerId = f.owner.customerId;
  if (referrerId === f.referee.id) return 'self_referral';
  if (f.live) return 'already_referred';
  if ((f.input.order?.ordersBefore ?? f.referee.ordersCount) > 0) return 'referee_not_new';

  const refereeEmails = [
    f.referee.emailNormalized,
    f.input.refereeEmail && normalizeEmail(f.input.refereeEmail),
  ];
  if (f.owner.emailNormalized && refereeEmails.includes(f.owner.emailNormalized)) return 'same_email';

  const known = await referrerEvidence(tx, ctx.merchant.id, referrerId, f.input.referrer);
  const seen = (value: string | undefined, set: Set<string>) => value !== undefined && set.has(value);
  if (seen(f.input.ipHash, known.ip) || seen(f.input.deviceHash, known.device)) return 'same_device';
  if (seen(f.input.paymentFingerprint, known.payment)) return 'same_payment';

  if (await referrerCapReached(tx, ctx.merchant, f.program, referrerId, f.now)) return 'referrer_cap_reached';
  return null;
}

/**
 * What is known of the referrer's own devices and payments: the evidence recorded when the
 * referrer was attributed as a referee, plus what this request says about the referrer.
 * Hashes are compared as given: the same hash of the same input, nothing fuzzy.
 */
async function referrerEvidence(tx: Tx, merchantId: string, referrerId: string, given: Evidence = {}) {
  const rows = await tx
    .select({ ip: referrals.ipHash, device: referrals.deviceHash, payment: referrals.paymentFingerprint })
    .from(referrals)
    .where(and(eq(referrals.merchantId, merchantId), eq(referrals.refereeId, referrerId)));
  const collect = (values: (string | null | undefined)[]) =>
    new Set(values.filter((v): v is string => typeof v === 'string'));
  return {
    ip: collect([given.ipHash, ...rows.map((r) => r.ip)]),
    device: collect([given.deviceHash, ...rows.map((r) => r.device)]),
    payment: collect([given.paymentFingerprint, ...rows.map((r) => r.payment)]),
  };
}
