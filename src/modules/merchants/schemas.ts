import { z } from '@hono/zod-openapi';
import { Currency, Origin, TimeZone } from '../../lib/validators';

export const PointValue = z
  .strictObject({
    points: z.number().int().min(1).max(1_000_000),
    amount: z.number().int().min(0).max(1_000_000_000),
  })
  .openapi({ description: '`points` are worth `amount` minor units, e.g. 100 points = 100 cents.' });

export const Expiry = z
  .strictObject({
    mode: z.enum(['none', 'fixed', 'inactivity']),
    days: z.number().int().min(1).max(3650).optional(),
  })
  .refine((e) => e.mode === 'none' || e.days !== undefined, {
    message: 'is required unless mode is none',
    path: ['days'],
  })
  .openapi({
    description:
      '`fixed`: each lot expires `days` after it was earned; `inactivity`: all after `days` without activity.',
  });

export const MerchantSettings = z
  .object({
    id: z.string(),
    name: z.string(),
    currency: z.string(),
    timezone: z.string(),
    pointValue: z.object({ points: z.number().int(), amount: z.number().int() }),
    pendingDays: z.number().int(),
    expiry: z.object({ mode: z.enum(['none', 'fixed', 'inactivity']), days: z.number().int().nullable() }),
    refundPolicy: z.enum(['debt', 'forgive']),
    storefrontRedemption: z.boolean(),
    allowedOrigins: z.array(z.string()),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('Merchant');
export type MerchantSettings = z.infer<typeof MerchantSettings>;

export const CreateMerchantInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    currency: Currency,
    timezone: TimeZone,
  })
  .openapi('CreateMerchantInput');
export type CreateMerchantInput = z.infer<typeof CreateMerchantInput>;

export const CreatedMerchant = z
  .object({
    merchant: MerchantSettings,
    secretKey: z.string().openapi({ description: 'Shown once. Scopes `admin` and `server`.' }),
    publishableKey: z.string().openapi({ description: 'Shown once. Safe in the browser.' }),
  })
  .openapi('CreatedMerchant');

export const UpdateMerchantInput = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    currency: Currency,
    timezone: TimeZone,
    pointValue: PointValue,
    pendingDays: z.number().int().min(0).max(365),
    expiry: Expiry,
    refundPolicy: z.enum(['debt', 'forgive']),
    storefrontRedemption: z.boolean(),
    allowedOrigins: z.array(Origin).max(50),
  })
  .partial()
  .openapi('UpdateMerchantInput');
export type UpdateMerchantInput = z.infer<typeof UpdateMerchantInput>;
