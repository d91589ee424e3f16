import type { Clock } from '../../lib/clock';
import type { Db } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import { purgeExpired } from './maintenance';

export interface JobDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
}

export type JobCounts = Record<string, number>;

/**
 * Runs all due scheduled work once. Each step claims its rows itself (SKIP LOCKED or a
 * conditional update), so several runners at once never do the same work twice.
 */
export async function runJobs(deps: JobDeps): Promise<JobCounts> {
  const now = deps.clock.now();
  const purged = await purgeExpired(deps.db, now);
  const counts: JobCounts = {
    purgedIdempotencyKeys: purged.idempotencyKeys,
    purgedRateLimitWindows: purged.rateLimitWindows,
  };
  deps.logger.debug('jobs run', counts);
  return counts;
}
