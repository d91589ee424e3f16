import { z } from '@hono/zod-openapi';
import { REWARD_KINDS } from '../../../db/schema';
import { PageQuery } from '../../lib/pagination';
import { Currency, ExternalId, Instant } from '../../lib/validators';

export const RewardKind = z.enum(REWARD_KINDS).openapi({
  description:
    '`discount_fixed` and `store_credit`: `value` minor units in the merchant currency; `discount_percent`: ' +
    '`value` 1–100; `free_shipping`: optional `value` cap; `product`: `productId`, optional `value` (price).',
});

/** The writable fields, without defaults, so a PATCH leaves unsent fields alone. */
const rewardFields = {
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).nullable(),
  kind: RewardKind,
  value: z.number().int().min(1).max(1_000_000_000_000).nullable(),
  currency: Currency.nullable().openapi({
    description: 'Required with a money `value`: the merchant currency.',
  }),
  productId: ExternalId.nullable().openapi({
    description: "`product` rewards: the shop's product or SKU id.",
  }),
  costPoints: z.number().int().min(1).max(100_000_000),
  minTier: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .nullable()
    .openapi({ description: 'A tier name or id; customers of that tier or higher may redeem.' }),
  stock: z
    .number()
    .int()
    .min(0)
    .max(1_000_000_000)
    .nullable()
    .openapi({ description: 'Units left; `null` is unlimited. Each redemption takes one.' }),
  perCustomerLimit: z
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .nullable()
    .openapi({ description: 'Redemptions per customer, not counting released, expired or cancelled ones.' }),
  startsAt: Instant.nullable(),
  endsAt: Instant.nullable().openapi({ description: 'Exclusive: redeemable in [startsAt, endsAt).' }),
  active: z.boolean(),
};

export const CreateRewardInput = z
  .strictObject({
    ...rewardFields,
    description: rewardFields.description.optional(),
    value: rewardFields.value.optional(),
    currency: rewardFields.currency.optional(),
    productId: rewardFields.productId.optional(),
    minTier: rewardFields.minTier.optional(),
    stock: rewardFields.stock.optional(),
    perCustomerLimit: rewardFields.perCustomerLimit.optional(),
    startsAt: rewardFields.startsAt.optional(),
    endsAt: rewardFields.endsAt.optional(),
    active: rewardFields.active.default(true),
  })
  .openapi('CreateRewardInput');
export type CreateRewardInput = z.infer<typeof CreateRewardInput>;

export const UpdateRewardInput = z.strictObject(rewardFields).partial().openapi('UpdateRewardInput', {
  description:
    'Only the fields sent change; `null` clears an optional field. Issued coupons keep their terms.',
});
export type UpdateRewardInput = z.infer<typeof UpdateRewardInput>;

export const Reward = z
  .object({
    id: z.string().openapi({ example: 'rwd_0kT3bQ1x7d2YhQJk3mZpA9' }),
    name: z.string(),
    description: z.string().nullable(),
    kind: RewardKind,
    value: z.number().int().nullable(),
    currency: z.string().nullable(),
    productId: z.string().nullable(),
    costPoints: z.number().int(),
    minTier: z.string().nullable(),
    stock: z.number().int().nullable(),
    perCustomerLimit: z.number().int().nullable(),
    startsAt: z.string().datetime().nullable(),
    endsAt: z.string().datetime().nullable(),
    active: z.boolean(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('Reward');
export type Reward = z.infer<typeof Reward>;

export const RewardIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'rwd_0kT3bQ1x7d2YhQJk3mZpA9' }),
});

export const ListRewardsQuery = PageQuery.extend({
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export type ListRewardsQuery = z.infer<typeof ListRewardsQuery>;

export const RewardPage = z
  .object({ data: z.array(Reward), nextCursor: z.string().nullable() })
  .openapi('RewardPage');

export const CouponCode = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

export const UploadCodesInput = z
  .strictObject({ codes: z.array(CouponCode).min(1).max(10_000) })
  .openapi('UploadCodesInput');
export type UploadCodesInput = z.infer<typeof UploadCodesInput>;

export const UploadCodesResult = z
  .object({
    added: z.number().int(),
    duplicates: z
      .array(z.string())
      .openapi({ description: 'Codes not added: repeated in the upload or already known to this merchant.' }),
    available: z.number().int().openapi({ description: 'Codes of this reward not yet handed out.' }),
  })
  .openapi('UploadCodesResult');
export type UploadCodesResult = z.infer<typeof UploadCodesResult>;
