import { z } from '@hono/zod-openapi';
import { Points } from '../customers/schemas';
import { RewardKind } from '../rewards/schemas';
import { DEFAULT_TOKEN_TTL_SECONDS, MAX_TOKEN_TTL_SECONDS, TOKEN_AUDIENCE } from './token-keys';

export const IssueTokenInput = z
  .strictObject({
    ttlSeconds: z
      .number()
      .int()
      .min(1)
      .max(MAX_TOKEN_TTL_SECONDS)
      .optional()
      .openapi({
        description: `Lifetime in seconds: 1 to ${MAX_TOKEN_TTL_SECONDS}, default ${DEFAULT_TOKEN_TTL_SECONDS}.`,
      }),
  })
  .openapi('IssueTokenInput');
export type IssueTokenInput = z.infer<typeof IssueTokenInput>;

export const CustomerToken = z
  .object({
    token: z
      .string()
      .openapi({ description: 'Send as `X-Customer-Token` with the publishable key. Shown once.' }),
    expiresAt: z.string().datetime(),
  })
  .openapi('CustomerToken');

export const RotatedTokenKey = z
  .object({
    kid: z.string().openapi({ example: 'v2', description: 'The key version now signing.' }),
    previousKid: z.string().openapi({
      description:
        'Still accepted for tokens issued before `rotatedAt`, until they expire (at most an hour).',
    }),
    rotatedAt: z.string().datetime(),
  })
  .openapi('RotatedTokenKey');

export const TokenSecret = RotatedTokenKey.extend({
  secret: z.string().openapi({ description: 'The HS256 key as a string (its UTF-8 bytes). Shown once.' }),
  algorithm: z.literal('HS256'),
  issuer: z.string().openapi({ description: 'The `iss` claim to set: your merchant id.' }),
  audience: z.literal(TOKEN_AUDIENCE).openapi({ description: 'The `aud` claim to set.' }),
  maxTtlSeconds: z.number().int(),
}).openapi('CustomerTokenSecret');

export const Me = z
  .object({
    id: z.string(),
    name: z.string().nullable(),
    points: Points,
    tier: z.object({ id: z.string(), name: z.string() }).nullable(),
    nextTier: z
      .object({
        name: z.string(),
        threshold: z.number().int(),
        window: z.enum(['lifetime', 'rolling365']),
        pointsNeeded: z.number().int(),
        progress: z.number().min(0).max(1).openapi({ description: 'Share of the threshold earned, 0–1.' }),
      })
      .nullable()
      .openapi({ description: 'The next tier up; null at the top or without tiers.' }),
    expiringSoon: z.object({ points: z.number().int(), at: z.string().datetime() }).nullable().openapi({
      description: 'Points that lapse within 30 days and the first date they do; null when none.',
    }),
    referralCode: z.string().nullable(),
    referralLink: z.string().nullable(),
    storefrontRedemption: z
      .boolean()
      .openapi({ description: 'Whether `POST /v1/me/redemptions` is allowed.' }),
    createdAt: z.string().datetime(),
  })
  .openapi('Me', {
    description:
      "The signed-in customer's own view. Merchant-internal fields (tags, NPS, email) are not shown.",
  });
export type Me = z.infer<typeof Me>;

export const MyReward = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string().nullable(),
    kind: RewardKind,
    value: z.number().int().nullable(),
    currency: z.string().nullable(),
    costPoints: z.number().int(),
    minTier: z.string().nullable(),
    affordable: z.boolean().openapi({ description: 'The available balance covers `costPoints`.' }),
    pointsNeeded: z.number().int().openapi({ description: 'Points still missing; 0 when affordable.' }),
    eligible: z.boolean().openapi({ description: "The customer's tier meets `minTier`." }),
    inStock: z.boolean(),
  })
  .openapi('MyReward');
export type MyReward = z.infer<typeof MyReward>;

export const MyRewards = z.object({ data: z.array(MyReward) }).openapi('MyRewards');

export const MyRedeemInput = z.strictObject({ rewardId: z.string().min(1).max(64) }).openapi('MyRedeemInput');
