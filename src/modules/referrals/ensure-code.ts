import { and, eq } from 'drizzle-orm';
import { customAlphabet } from 'nanoid';
import { customers, referralCodes } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { type Tx, withTransaction } from '../../lib/db';
import { Conflict, InvalidState } from '../../lib/errors';
import { lockCustomer } from '../ledger/lock-customer';
import { linkFor, loadProgram } from './program';
import type { ReferralCodeResult } from './schemas';

/** No 0/O, 1/I/L: a code read aloud or copied by hand is not mistaken for another. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
const generateCode = customAlphabet(CODE_ALPHABET, 8);
const ATTEMPTS = 5;

/** Codes compare case-insensitively: they are stored and looked up upper-cased. */
export const canonicalCode = (code: string) => code.trim().toUpperCase();

/**
 * The customer's referral code, created on first request (get-or-create, one per customer).
 * Creates the customer if unknown. Runs under the customer's row lock, so concurrent requests
 * for one customer serialise and all get the same code; the unique indexes are the last guard.
 * A generated code that collides with another customer's is drawn again; a vanity code that is
 * taken is a 409 `conflict`. Keeps `customers.referral_code` in sync.
 */
export async function ensureReferralCode(
  tx: Tx,
  ctx: VerbContext,
  customerId: string,
  vanity?: string,
): Promise<ReferralCodeResult> {
  const { code, link } = await getOrCreateCode(tx, ctx, customerId, vanity);
  return { code, link };
}

async function getOrCreateCode(
  tx: Tx,
  ctx: VerbContext,
  customerId: string,
  vanity: string | undefined,
): Promise<ReferralCodeResult & { created: boolean }> {
  const m = ctx.merchant.id;
  const customer = await lockCustomer(tx, ctx, customerId);
  if (customer.erasedAt) throw new InvalidState('customer', 'erased');
  const program = await loadProgram(tx, m);
  const wanted = vanity === undefined ? undefined : canonicalCode(vanity);

  const [existing] = await tx
    .select()
    .from(referralCodes)
    .where(and(eq(referralCodes.merchantId, m), eq(referralCodes.customerId, customerId)));
  if (existing) {
    if (!existing.active) {
      throw new InvalidState(
        'referral code',
        'deactivated',
        `The customer's code ${existing.code} was deactivated.`,
      );
    }
    if (wanted !== undefined && wanted !== existing.code) {
      throw new Conflict(`The customer already has the referral code ${existing.code}.`, {
        code: existing.code,
      });
    }
    return { code: existing.code, link: linkFor(program, existing.code), created: false };
  }

  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const code = wanted ?? generateCode();
    const [inserted] = await tx
      .insert(referralCodes)
      .values({ merchantId: m, code, customerId, vanity: wanted !== undefined, createdAt: ctx.clock.now() })
      .onConflictDoNothing()
      .returning({ code: referralCodes.code });
    if (inserted) {
      await tx
        .update(customers)
        .set({ referralCode: code })
        .where(and(eq(customers.merchantId, m), eq(customers.id, customerId)));
      return { code, link: linkFor(program, code), created: true };
    }
    // We hold the customer's lock and it has no code, so the conflict is another customer's code.
    if (wanted !== undefined) throw new Conflict(`The referral code ${wanted} is taken.`, { code: wanted });
  }
  throw new Error(`no free referral code after ${ATTEMPTS} attempts`);
}

/** `POST /v1/customers/{id}/referral-code`: `created` tells a new code (201) from the existing one (200). */
export function requestReferralCode(
  ctx: VerbContext,
  customerId: string,
  input: { code?: string | undefined },
) {
  return withTransaction(ctx.db, (tx) => getOrCreateCode(tx, ctx, customerId, input.code));
}
