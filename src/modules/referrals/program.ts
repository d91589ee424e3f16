import { eq } from 'drizzle-orm';
import { type ReferralReward, referralPrograms } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import type { Executor } from '../../lib/db';

export type ProgramRow = typeof referralPrograms.$inferSelect;

/** The program's settings; a merchant who never configured one has an inactive program. */
export interface Program {
  active: boolean;
  referrerReward: ReferralReward;
  refereeReward: ReferralReward;
  minOrderTotal: number;
  holdDays: number;
  attributionWindowDays: number;
  maxRewardedPerReferrer: ProgramRow['maxRewardedPerReferrer'];
  linkTemplate: string;
  updatedAt: Date | null;
}

export const DEFAULT_PROGRAM: Program = {
  active: false,
  referrerReward: { points: 0 },
  refereeReward: { points: 0 },
  minOrderTotal: 0,
  holdDays: 14,
  attributionWindowDays: 30,
  maxRewardedPerReferrer: null,
  linkTemplate: 'https://example.com/?ref={code}',
  updatedAt: null,
};

/** Reads the merchant's program (defaults when never set). */
export async function loadProgram(db: Executor, merchantId: string): Promise<Program> {
  const [row] = await db.select().from(referralPrograms).where(eq(referralPrograms.merchantId, merchantId));
  if (!row) return DEFAULT_PROGRAM;
  return {
    active: row.active,
    referrerReward: row.referrerReward ?? { points: 0 },
    refereeReward: row.refereeReward ?? { points: 0 },
    minOrderTotal: row.minOrderTotal,
    holdDays: row.holdDays,
    attributionWindowDays: row.attributionWindowDays,
    maxRewardedPerReferrer: row.maxRewardedPerReferrer,
    linkTemplate: row.linkTemplate,
    updatedAt: row.updatedAt,
  };
}

export const getReferralProgram = (ctx: VerbContext) => loadProgram(ctx.db, ctx.merchant.id);

/** The referral link of a code under the program's template. */
export const linkFor = (program: Pick<Program, 'linkTemplate'>, code: string) =>
  program.linkTemplate.replaceAll('{code}', encodeURIComponent(code));
