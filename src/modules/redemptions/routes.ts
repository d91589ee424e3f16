import { defineRoute, json, jsonBody } from '../../lib/openapi';
import { createRouter, verbContext } from '../../lib/router';
import { cancelRedemption } from './cancel-redemption';
import { commitRedemption } from './commit-redemption';
import { getRedemption, listRedemptions } from './read-redemptions';
import { redeemReward } from './redeem-reward';
import { releaseRedemption } from './release-redemption';
import {
  CouponParam,
  CouponValidation,
  ListRedemptionsQuery,
  RedeemInput,
  Redemption,
  RedemptionIdParam,
  RedemptionPage,
  UseRedemptionInput,
} from './schemas';
import { useRedemption } from './use-redemption';
import { validateCoupon } from './validate-coupon';
import { toRedemptionView } from './view';

const REFUSALS =
  'Refusals are 409 problems, each with its own type: `insufficient-points` (`available`, `needed`), ' +
  '`reward-unavailable` (inactive or outside its window), `out-of-stock`, `limit-reached` (`limit`), ' +
  '`tier-required` (`requiredTier`, `currentTier`). An unknown customer or reward is 404.';

const STATE =
  'A step that already happened or cannot happen in the current status is a 409 `invalid-state` naming ' +
  '`currentStatus`, with no side effect.';

export function redemptionRoutes() {
  const router = createRouter();

  router.openapi(
    defineRoute(['server'], {
      method: 'post',
      path: '/v1/redemptions',
      tags: ['Redemptions'],
      summary: 'Redeem a reward for points',
      description:
        'Deducts the cost atomically (lots soonest to expire first) and issues a coupon code — one from the ' +
        "reward's uploaded pool, else a generated one. `mode: reserve` only holds the points for `ttlSeconds` " +
        `(default 900, at most 3600): commit or release the hold before \`expiresAt\`.\n\n${REFUSALS}`,
      request: { body: jsonBody(RedeemInput) },
      responses: { 201: json(Redemption, 'Issued or reserved') },
    }),
    async (c) => c.json(toRedemptionView(await redeemReward(verbContext(c), c.req.valid('json'))), 201),
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'get',
      path: '/v1/redemptions',
      tags: ['Redemptions'],
      summary: 'List redemptions',
      request: { query: ListRedemptionsQuery },
      responses: { 200: json(RedemptionPage, 'A page, newest first') },
    }),
    async (c) => {
      const result = await listRedemptions(verbContext(c), c.req.valid('query'));
      return c.json({ data: result.data.map(toRedemptionView), nextCursor: result.nextCursor }, 200);
    },
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'get',
      path: '/v1/redemptions/{id}',
      tags: ['Redemptions'],
      summary: 'Read a redemption',
      request: { params: RedemptionIdParam },
      responses: { 200: json(Redemption, 'The redemption') },
    }),
    async (c) => c.json(toRedemptionView(await getRedemption(verbContext(c), c.req.valid('param').id)), 200),
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'post',
      path: '/v1/redemptions/{id}/commit',
      tags: ['Redemptions'],
      summary: 'Commit a reservation',
      description: `The held points are spent and the coupon is issued. A reservation past \`expiresAt\` cannot be committed (\`currentStatus: expired\`). ${STATE}`,
      request: { params: RedemptionIdParam },
      responses: { 200: json(Redemption, 'Issued') },
    }),
    async (c) =>
      c.json(toRedemptionView(await commitRedemption(verbContext(c), c.req.valid('param').id)), 200),
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'post',
      path: '/v1/redemptions/{id}/release',
      tags: ['Redemptions'],
      summary: 'Release a reservation',
      description: `The held points come back to the customer. ${STATE}`,
      request: { params: RedemptionIdParam },
      responses: { 200: json(Redemption, 'Released') },
    }),
    async (c) =>
      c.json(toRedemptionView(await releaseRedemption(verbContext(c), c.req.valid('param').id)), 200),
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'post',
      path: '/v1/redemptions/{id}/use',
      tags: ['Redemptions'],
      summary: 'Mark a coupon used on an order',
      description: `Once only. ${STATE}`,
      request: { params: RedemptionIdParam, body: jsonBody(UseRedemptionInput) },
      responses: { 200: json(Redemption, 'Used') },
    }),
    async (c) =>
      c.json(
        toRedemptionView(await useRedemption(verbContext(c), c.req.valid('param').id, c.req.valid('json'))),
        200,
      ),
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'post',
      path: '/v1/redemptions/{id}/cancel',
      tags: ['Redemptions'],
      summary: 'Cancel an unused coupon',
      description: `The coupon stops validating and its points come back to the customer. ${STATE}`,
      request: { params: RedemptionIdParam },
      responses: { 200: json(Redemption, 'Cancelled') },
    }),
    async (c) =>
      c.json(toRedemptionView(await cancelRedemption(verbContext(c), c.req.valid('param').id)), 200),
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'get',
      path: '/v1/coupons/{code}',
      tags: ['Redemptions'],
      summary: 'Validate a coupon at checkout',
      description:
        'An issued, unused coupon answers `valid: true` with what it gives and for whom. Any other code — unknown, ' +
        "used, cancelled, released, expired, another merchant's — answers `{valid: false}`, identically.",
      request: { params: CouponParam },
      responses: { 200: json(CouponValidation, 'The answer') },
    }),
    async (c) => c.json(await validateCoupon(verbContext(c), c.req.valid('param').code), 200),
  );

  return router;
}
