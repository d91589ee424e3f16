import type { Clock } from '../../lib/clock';
import type { Executor } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import { expirePoints, matureDuePoints } from '../ledger/jobs';
import { expireReservations } from '../redemptions/expire-reservations';
import { rewardDueReferrals } from '../referrals/reward-due';
import { downgradeTiers } from '../tiers/downgrade-job';
import { deliverWebhooks } from '../webhooks/deliver-webhooks';
import type { UrlPolicy } from '../webhooks/ssrf';
import { purgeExpired } from './maintenance';

export interface JobDeps {
  db: Executor;
  clock: Clock;
  logger: Logger;
  /** Only this merchant's work (an admin running jobs for their shop); all merchants when unset. */
  merchantId?: string | undefined;
  /** Where webhooks may be sent; without it only public https URLs, checked without DNS. */
  webhooks?: UrlPolicy | undefined;
}

export type JobCounts = Record<string, number>;

/**
 * Runs all due scheduled work once. Each step claims its rows itself (SKIP LOCKED or a
 * conditional update), so several runners at once never do the same work twice.
 */
export async function runJobs(deps: JobDeps): Promise<JobCounts> {
  const now = deps.clock.now();
  const matured = await matureDuePoints(deps);
  const expired = await expirePoints(deps);
  const reservations = await expireReservations(deps);
  const referralsRewarded = await rewardDueReferrals(deps);
  const downgraded = await downgradeTiers(deps);
  const purged = deps.merchantId
    ? { idempotencyKeys: 0, rateLimitWindows: 0 }
    : await purgeExpired(deps.db, now);
  // Last, so events the steps above wrote are sent in this same run.
  const webhooks = await deliverWebhooks(deps);
  const counts: JobCounts = {
    maturedPoints: matured,
    expiredPoints: expired,
    expiredReservations: reservations,
    referralsRewarded,
    tierDowngrades: downgraded,
    purgedIdempotencyKeys: purged.idempotencyKeys,
    purgedRateLimitWindows: purged.rateLimitWindows,
    ...webhooks,
  };
  deps.logger.debug('jobs run', counts);
  return counts;
}
