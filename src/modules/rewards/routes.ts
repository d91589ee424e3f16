import { defineRoute, json, jsonBody } from '../../lib/openapi';
import { createRouter, verbContext } from '../../lib/router';
import { createReward } from './create-reward';
import { deleteReward } from './delete-reward';
import { getReward } from './find-reward';
import { listRewards } from './list-rewards';
import {
  CreateRewardInput,
  ListRewardsQuery,
  Reward,
  RewardIdParam,
  RewardPage,
  UpdateRewardInput,
  UploadCodesInput,
  UploadCodesResult,
} from './schemas';
import { updateReward } from './update-reward';
import { uploadCodes } from './upload-codes';
import { toRewardView } from './view';

export function rewardRoutes() {
  const router = createRouter();

  router.openapi(
    defineRoute(['admin'], {
      method: 'post',
      path: '/v1/rewards',
      tags: ['Rewards'],
      summary: 'Create a catalog reward',
      description:
        'Validation errors name the field: `value` (required by `discount_fixed`, `discount_percent` 1–100, ' +
        '`store_credit`), `currency` (the merchant currency, with a money value), `productId` (`product`), ' +
        '`minTier` (a tier of the ladder), `endsAt` (after `startsAt`).',
      request: { body: jsonBody(CreateRewardInput) },
      responses: { 201: json(Reward, 'Created') },
    }),
    async (c) => {
      const row = await createReward(verbContext(c), c.req.valid('json'));
      c.get('keys').clear();
      return c.json(toRewardView(row), 201);
    },
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'get',
      path: '/v1/rewards',
      tags: ['Rewards'],
      summary: 'List catalog rewards',
      request: { query: ListRewardsQuery },
      responses: { 200: json(RewardPage, 'A page, oldest first') },
    }),
    async (c) => {
      const result = await listRewards(verbContext(c), c.req.valid('query'));
      return c.json({ data: result.data.map(toRewardView), nextCursor: result.nextCursor }, 200);
    },
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'get',
      path: '/v1/rewards/{id}',
      tags: ['Rewards'],
      summary: 'Read a catalog reward',
      request: { params: RewardIdParam },
      responses: { 200: json(Reward, 'The reward') },
    }),
    async (c) => c.json(toRewardView(await getReward(verbContext(c), c.req.valid('param').id)), 200),
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'patch',
      path: '/v1/rewards/{id}',
      tags: ['Rewards'],
      summary: 'Change a catalog reward',
      description:
        'Only the fields sent change; the merged reward is validated again. Issued coupons keep their terms.',
      request: { params: RewardIdParam, body: jsonBody(UpdateRewardInput) },
      responses: { 200: json(Reward, 'The updated reward') },
    }),
    async (c) => {
      const row = await updateReward(verbContext(c), c.req.valid('param').id, c.req.valid('json'));
      c.get('keys').clear();
      return c.json(toRewardView(row), 200);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'delete',
      path: '/v1/rewards/{id}',
      tags: ['Rewards'],
      summary: 'Delete a catalog reward',
      description:
        'The reward can no longer be redeemed. While redemptions of it are open (reserved, or issued and unused) ' +
        'it is only deactivated (`active: false`, still readable); otherwise it reads as 404 from now on.',
      request: { params: RewardIdParam },
      responses: { 204: { description: 'Deleted or deactivated' } },
    }),
    async (c) => {
      await deleteReward(verbContext(c), c.req.valid('param').id);
      c.get('keys').clear();
      return c.body(null, 204);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'post',
      path: '/v1/rewards/{id}/codes',
      tags: ['Rewards'],
      summary: 'Upload coupon codes for a reward',
      description:
        'Up to 10,000 codes per request. From then on the reward hands out only these codes, and is out of stock ' +
        'when none is left. Codes are unique per merchant: duplicates are skipped and listed.',
      request: { params: RewardIdParam, body: jsonBody(UploadCodesInput) },
      responses: { 201: json(UploadCodesResult, 'Codes added') },
    }),
    async (c) => c.json(await uploadCodes(verbContext(c), c.req.valid('param').id, c.req.valid('json')), 201),
  );

  return router;
}
