import { z } from '@hono/zod-openapi';
import { REDEMPTION_STATUSES } from '../../../db/schema';
import { PageQuery } from '../../lib/pagination';
import { ExternalId } from '../../lib/validators';
import { RewardKind } from '../rewards/schemas';

export const MAX_TTL_SECONDS = 3_600;
export const DEFAULT_TTL_SECONDS = 900;

export const RedemptionStatus = z.enum(REDEMPTION_STATUSES).openapi({
  description:
    '`reserved` (points held until `expiresAt`) → `issued` (commit) | `released` (release) | `expired` (TTL passed); ' +
    '`issued` → `used` (with the order id) | `cancelled` (points returned).',
});

export const RedeemInput = z
  .strictObject({
    customerId: ExternalId,
    rewardId: z.string().min(1).max(64),
    mode: z.enum(['issue', 'reserve']).default('issue').openapi({
      description: '`reserve` holds the points for a checkout: commit or release it before `expiresAt`.',
    }),
    ttlSeconds: z
      .number()
      .int()
      .min(1)
      .max(MAX_TTL_SECONDS)
      .optional()
      .openapi({
        description: `Reservations only: how long the hold lasts (default ${DEFAULT_TTL_SECONDS}).`,
      }),
  })
  .superRefine((r, ctx) => {
    if (r.ttlSeconds !== undefined && r.mode !== 'reserve') {
      ctx.addIssue({ code: 'custom', path: ['ttlSeconds'], message: 'is only used with mode reserve' });
    }
  })
  .openapi('RedeemInput');
export type RedeemInput = z.infer<typeof RedeemInput>;

export const UseRedemptionInput = z
  .strictObject({ orderId: ExternalId.openapi({ description: 'The order the coupon was used on.' }) })
  .openapi('UseRedemptionInput');
export type UseRedemptionInput = z.infer<typeof UseRedemptionInput>;

/** What a coupon gives: the reward's terms when it was redeemed. */
export const RedemptionReward = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: RewardKind,
    value: z.number().int().nullable(),
    currency: z.string().nullable(),
    productId: z.string().nullable(),
  })
  .openapi('RedemptionReward');
export type RedemptionReward = z.infer<typeof RedemptionReward>;

export const Redemption = z
  .object({
    id: z.string().openapi({ example: 'rdm_0kT3bQ1x7d2YhQJk3mZpA9' }),
    customerId: z.string(),
    rewardId: z.string(),
    status: RedemptionStatus,
    couponCode: z
      .string()
      .nullable()
      .openapi({ description: 'Shown once issued; a reservation gets its code when committed.' }),
    pointsSpent: z.number().int(),
    expiresAt: z.string().datetime().nullable().openapi({ description: 'When a reservation lapses.' }),
    orderId: z.string().nullable(),
    reward: RedemptionReward,
    source: z
      .object({ type: z.string(), id: z.string() })
      .nullable()
      .openapi({ description: 'Set for rewards granted for free (e.g. by a referral).' }),
    issuedAt: z.string().datetime().nullable(),
    usedAt: z.string().datetime().nullable(),
    resolvedAt: z
      .string()
      .datetime()
      .nullable()
      .openapi({ description: 'When the points went back (released, expired, cancelled).' }),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('Redemption');
export type Redemption = z.infer<typeof Redemption>;

export const RedemptionIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'rdm_0kT3bQ1x7d2YhQJk3mZpA9' }),
});

export const ListRedemptionsQuery = PageQuery.extend({
  customerId: ExternalId.optional(),
  status: RedemptionStatus.optional(),
});
export type ListRedemptionsQuery = z.infer<typeof ListRedemptionsQuery>;

export const RedemptionPage = z
  .object({ data: z.array(Redemption), nextCursor: z.string().nullable() })
  .openapi('RedemptionPage');

export const CouponParam = z.object({
  code: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'code', in: 'path' }, example: 'K7QX4M-9PZT2H' }),
});

export const CouponValidation = z
  .object({
    valid: z.boolean(),
    reward: RedemptionReward.optional(),
    customerId: z.string().optional(),
    redemptionId: z.string().optional(),
  })
  .openapi('CouponValidation', {
    description:
      'A usable coupon: what it gives and for whom. Any other code answers `{valid: false}` alike.',
  });
export type CouponValidation = z.infer<typeof CouponValidation>;
