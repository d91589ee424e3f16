import type { VerbContext } from '../../deps';
import { codeUsable, findCode } from './find-code';
import { linkFor, loadProgram } from './program';
import type { CodeLookup } from './schemas';

/**
 * Is this a code a visitor can use? Unknown codes, other merchants' codes, deactivated codes,
 * codes of erased customers and every code while the program is inactive all answer the same
 * `{valid: false}`, so the answer reveals nothing about which codes exist.
 */
export async function lookupReferralCode(ctx: VerbContext, code: string): Promise<CodeLookup> {
  const program = await loadProgram(ctx.db, ctx.merchant.id);
  const owner = await findCode(ctx.db, ctx.merchant.id, code);
  if (!program.active || !codeUsable(owner)) return { valid: false };
  const firstName = owner.name?.trim().split(/\s+/)[0];
  return {
    valid: true,
    code: owner.code,
    referrer: firstName ? { firstName } : {},
    link: linkFor(program, owner.code),
    refereeReward: program.refereeReward,
  };
}
