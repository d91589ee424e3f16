import { z } from '@hono/zod-openapi';
import { defineRoute, json } from '../../lib/openapi';
import { createRouter } from '../../lib/router';
import { urlPolicyOf } from '../webhooks/ssrf';
import { runJobs } from './run-jobs';

const JobCounts = z.record(z.string(), z.number().int()).openapi('JobCounts');

export function jobRoutes() {
  const router = createRouter();
  router.openapi(
    defineRoute(['operator', 'admin'], {
      method: 'post',
      path: '/v1/jobs/run',
      tags: ['Jobs'],
      summary: 'Run due scheduled work now',
      description:
        'Matures pending points, expires lots, downgrades tiers past their period, purges expired keys and sends due webhook deliveries — the same ' +
        'work the Node timer and the Workers cron run. With an admin key only that merchant’s work runs. Safe to call ' +
        'while other runners are active: each customer is claimed with SKIP LOCKED.',
      responses: { 200: json(JobCounts, 'What was done') },
    }),
    async (c) => {
      const p = c.get('principal');
      const counts = await runJobs({
        db: c.get('db'),
        clock: c.get('deps').clock,
        logger: c.get('deps').logger,
        merchantId: p && p.kind !== 'operator' ? p.merchant.id : undefined,
        webhooks: urlPolicyOf(c.get('deps')),
      });
      return c.json(counts, 200);
    },
  );
  return router;
}
