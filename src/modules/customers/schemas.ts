import { z } from '@hono/zod-openapi';
import { ExternalId, Instant } from '../../lib/validators';

export const CustomerIdParam = z.object({
  customerId: ExternalId.openapi({ param: { name: 'customerId', in: 'path' }, example: 'cust_1001' }),
});

export const UpsertCustomerInput = z
  .strictObject({
    email: z.string().trim().max(254).pipe(z.email()).nullable().optional(),
    name: z.string().trim().max(200).nullable().optional(),
    birthday: z.iso.date().nullable().optional().openapi({ description: 'YYYY-MM-DD' }),
    tags: z.array(z.string().trim().min(1).max(64)).max(50).optional(),
    createdAt: Instant.optional().openapi({ description: 'When the customer signed up at the shop.' }),
    marketingConsent: z.boolean().optional(),
  })
  .openapi('UpsertCustomerInput', {
    description: 'Only the fields sent change. Balances are never writable: use ledger adjustments.',
  });
export type UpsertCustomerInput = z.infer<typeof UpsertCustomerInput>;

export const Points = z
  .object({
    available: z.number().int(),
    pending: z.number().int(),
    reserved: z.number().int().openapi({ description: 'Held by open two-phase redemptions.' }),
    lifetimeEarned: z.number().int(),
    lifetimeRedeemed: z.number().int(),
    lifetimeExpired: z.number().int(),
    debt: z
      .number()
      .int()
      .openapi({ description: 'Points owed after a refund of spent points; settled from future earnings.' }),
  })
  .openapi('Points');

export const Customer = z
  .object({
    id: z.string(),
    email: z.string().nullable(),
    name: z.string().nullable(),
    birthday: z.string().nullable(),
    tags: z.array(z.string()),
    marketingConsent: z.boolean(),
    points: Points,
    tier: z.object({ id: z.string(), name: z.string() }).nullable(),
    nextTier: z
      .object({
        name: z.string(),
        threshold: z.number().int(),
        window: z.enum(['lifetime', 'rolling365']),
        pointsNeeded: z.number().int(),
      })
      .nullable()
      .openapi({
        description: 'The next tier up and the points still to earn in its window; null at the top.',
      }),
    referralCode: z.string().nullable(),
    referredBy: z.string().nullable(),
    latestNps: z.number().int().nullable(),
    erased: z.boolean(),
    createdAt: z
      .string()
      .datetime()
      .openapi({ description: 'Sign-up at the shop if sent, else first seen by Plaudit.' }),
    updatedAt: z.string().datetime(),
  })
  .openapi('Customer');
export type Customer = z.infer<typeof Customer>;

export const ListCustomersQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
  email: z.string().max(254).optional().openapi({ description: 'Matches the normalised address.' }),
  tier: z
    .string()
    .max(64)
    .optional()
    .openapi({ description: 'A tier name, or `none` for customers without a tier.' }),
});

export const CustomerPage = z
  .object({ data: z.array(Customer), nextCursor: z.string().nullable() })
  .openapi('CustomerPage');
