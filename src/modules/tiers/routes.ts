import { defineRoute, json, jsonBody } from '../../lib/openapi';
import { createRouter, verbContext } from '../../lib/router';
import { type TierRow, tierLadder } from './ladder';
import { TierLadder, TierLadderInput } from './schemas';
import { setTierLadder } from './set-ladder';

const view = (t: TierRow) => ({
  id: t.id,
  name: t.name,
  rank: t.rank,
  threshold: t.threshold,
  window: t.window,
  earnMultiplier: t.earnMultiplier,
});

export function tierRoutes() {
  const router = createRouter();

  router.openapi(
    defineRoute(['admin'], {
      method: 'put',
      path: '/v1/tiers',
      tags: ['Tiers'],
      summary: 'Replace the tier ladder',
      description:
        '`threshold` is points earned (not spent, not balance) in the tier window. Upgrades apply at once (also to ' +
        'existing customers when the ladder changes); downgrades at the end of the qualifying period: a year after ' +
        'reaching a `rolling365` tier, and for `lifetime` tiers when refunds take the customer below the threshold.',
      request: { body: jsonBody(TierLadderInput) },
      responses: { 200: json(TierLadder, 'The new ladder') },
    }),
    async (c) => {
      const ladder = await setTierLadder(verbContext(c), c.req.valid('json'));
      c.get('keys').clear();
      return c.json({ data: ladder.map(view) }, 200);
    },
  );

  router.openapi(
    defineRoute(['admin', 'server'], {
      method: 'get',
      path: '/v1/tiers',
      tags: ['Tiers'],
      summary: 'The tier ladder, lowest first',
      responses: { 200: json(TierLadder, 'The ladder') },
    }),
    async (c) => {
      const ctx = verbContext(c);
      return c.json({ data: (await tierLadder(ctx.db, ctx.merchant)).map(view) }, 200);
    },
  );

  return router;
}
