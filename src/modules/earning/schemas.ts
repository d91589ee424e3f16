import { z } from '@hono/zod-openapi';
import { Currency, ExternalId, Instant } from '../../lib/validators';
import { LedgerEntry } from '../ledger/schemas';
import { Referral } from '../referrals/schemas';

const Amount = z
  .number()
  .int()
  .min(0)
  .max(1_000_000_000_000)
  .openapi({ description: 'Minor units (cents).' });

export const OrderItem = z.strictObject({
  sku: z.string().min(1).max(128),
  category: z.string().max(128).optional(),
  quantity: z.number().int().min(1).max(100_000),
  unitPrice: Amount,
});

export const OrderInput = z
  .strictObject({
    id: ExternalId,
    customerId: ExternalId,
    total: Amount,
    currency: Currency,
    items: z.array(OrderItem).max(500).optional(),
    discounts: z
      .array(z.strictObject({ code: z.string().max(128).optional(), amount: Amount }))
      .max(50)
      .optional(),
    referralCode: z.string().max(64).optional(),
    channel: z.string().max(64).optional(),
    paidAt: Instant.optional().openapi({
      description: 'Defaults to now; may be in the past (imports, backfills).',
    }),
  })
  .openapi('OrderInput');
export type OrderInput = z.infer<typeof OrderInput>;

export const Order = z
  .object({
    id: z.string(),
    customerId: z.string(),
    total: z.number().int(),
    currency: z.string(),
    items: z.array(
      z.object({
        sku: z.string(),
        category: z.string().optional(),
        quantity: z.number(),
        unitPrice: z.number(),
      }),
    ),
    channel: z.string().nullable(),
    referralCode: z.string().nullable(),
    paidAt: z.string().datetime(),
    pointsEarned: z.number().int(),
    refundedAmount: z.number().int(),
    pointsReversed: z.number().int(),
    createdAt: z.string().datetime(),
  })
  .openapi('Order');

export const OrderResult = z
  .object({
    order: Order,
    awarded: z.array(LedgerEntry),
    referral: Referral.optional().openapi({
      description: 'The referral this order attributed (`referralCode`) or qualified, if any.',
    }),
  })
  .openapi('OrderResult');

export const RefundInput = z
  .strictObject({
    id: ExternalId,
    amount: Amount.optional(),
    items: z
      .array(z.strictObject({ sku: z.string().min(1).max(128), quantity: z.number().int().min(1) }))
      .min(1)
      .max(500)
      .optional(),
  })
  .refine((r) => r.amount === undefined || r.items === undefined, {
    message: 'send either amount or items, not both',
    path: ['items'],
  })
  .openapi('RefundInput', { description: 'No amount and no items: a full refund.' });
export type RefundInput = z.infer<typeof RefundInput>;

export const RefundResult = z
  .object({
    refund: z.object({
      id: z.string(),
      orderId: z.string(),
      amount: z.number().int(),
      pointsReversed: z.number().int(),
      createdAt: z.string().datetime(),
    }),
    reversed: z.array(LedgerEntry),
  })
  .openapi('RefundResult');

export const ReviewInput = z
  .strictObject({
    id: ExternalId,
    customerId: ExternalId,
    productId: z.string().max(128).optional(),
    rating: z.number().int().min(1).max(5),
    hasPhoto: z.boolean().optional(),
    verifiedPurchase: z.boolean().optional(),
    text: z.string().max(10_000).optional(),
    createdAt: Instant.optional(),
  })
  .openapi('ReviewInput');

export const ShareInput = z
  .strictObject({
    id: ExternalId.optional().openapi({
      description: 'Your id for the share; without it a retry records a second share.',
    }),
    customerId: ExternalId,
    channel: z.string().min(1).max(64),
    url: z.string().url().max(2048).optional(),
    createdAt: Instant.optional(),
  })
  .openapi('ShareInput');

const RESERVED_TYPES = [
  'order.paid',
  'order.refunded',
  'review.created',
  'share.created',
  'survey.submitted',
];

export const EventInput = z
  .strictObject({
    id: ExternalId,
    type: z
      .string()
      .regex(/^[a-z][a-z0-9_.-]{0,63}$/, 'must be lower-case letters, digits, dot, dash or underscore')
      .refine((t) => !RESERVED_TYPES.includes(t), 'has its own endpoint'),
    customerId: ExternalId,
    occurredAt: Instant.optional(),
    properties: z.record(z.string(), z.unknown()).optional(),
  })
  .openapi('EventInput', { description: '`signup`, `birthday`, or a custom event named by the merchant.' });

export const ActivityResult = (name: string) =>
  z.object({
    [name]: z.record(z.string(), z.unknown()),
    awarded: z.array(LedgerEntry),
  });
