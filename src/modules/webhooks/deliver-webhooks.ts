import type { Clock } from '../../lib/clock';
import type { Executor } from '../../lib/db';
import type { Logger } from '../../lib/logger';
import { attemptDeliveries } from './attempt';
import { claimDueDeliveries } from './claim';
import { fanOutEvents } from './fan-out';
import type { UrlPolicy } from './ssrf';

const BATCH = 25;
// 25 sends in parallel, each at most 15 s, fit well inside the 60 s lease of their claim.
const MAX_BATCHES_PER_RUN = 20;

/**
 * The jobs step: fan new outbox events out to deliveries, then send the deliveries that
 * are due, batch by batch (claim → send outside any transaction → record). Only work due
 * when the run started is taken, so a delivery rescheduled during the run waits for the next.
 */
export async function deliverWebhooks(job: {
  db: Executor;
  clock: Clock;
  logger: Logger;
  merchantId?: string | undefined;
  webhooks?: UrlPolicy | undefined;
}): Promise<{ webhookDeliveriesCreated: number; webhookAttempts: number; webhookSucceeded: number }> {
  const policy = job.webhooks ?? { allowPrivate: false };
  const started = job.clock.now();
  const created = await fanOutEvents(job.db, started, job.merchantId);
  let attempts = 0;
  let succeeded = 0;
  for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) {
    const claimed = await claimDueDeliveries(job.db, {
      dueBy: started,
      now: job.clock.now(),
      limit: BATCH,
      merchantId: job.merchantId,
    });
    const recorded = await attemptDeliveries({ db: job.db, clock: job.clock, policy }, claimed, {
      manual: false,
    });
    attempts += recorded.length;
    succeeded += recorded.filter((r) => r.status === 'succeeded').length;
    if (claimed.length < BATCH) break;
  }
  if (attempts > 0) job.logger.debug('webhooks sent', { attempts, succeeded });
  return { webhookDeliveriesCreated: created, webhookAttempts: attempts, webhookSucceeded: succeeded };
}
