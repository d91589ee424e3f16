import { z } from '@hono/zod-openapi';
import { PageQuery } from '../../lib/pagination';
import { ExternalId, Instant } from '../../lib/validators';

/** Every reason a referral can be rejected with (SPEC §14). */
export const REJECTION_REASONS = [
  'program_inactive',
  'code_inactive',
  'self_referral',
  'already_referred',
  'referee_not_new',
  'same_email',
  'same_device',
  'same_payment',
  'referrer_cap_reached',
] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

export const REFERRAL_STATUSES = ['pending', 'qualified', 'rewarded', 'rejected', 'reversed'] as const;

export const ReferralRewardInput = z
  .strictObject({
    points: z.number().int().min(0).max(1_000_000).optional(),
    rewardId: z.string().min(1).max(64).optional(),
  })
  .superRefine((r, ctx) => {
    if ((r.points === undefined) === (r.rewardId === undefined)) {
      ctx.addIssue({ code: 'custom', path: [], message: 'must be {points} or {rewardId}' });
    }
  })
  .openapi('ReferralReward', {
    description: '`{points}` (0 gives nothing) or `{rewardId}` of a reward in the catalog, issued for free.',
  });
export type ReferralRewardInput = z.infer<typeof ReferralRewardInput>;

const LinkTemplate = z
  .string()
  .trim()
  .max(2048)
  .refine((t) => t.includes('{code}'), 'must contain {code}')
  .refine((t) => {
    try {
      return /^https?:$/.test(new URL(t.replaceAll('{code}', 'CODE')).protocol);
    } catch {
      return false;
    }
  }, 'must be an http(s) URL once {code} is replaced')
  .openapi({ example: 'https://shop.example/r/{code}' });

export const ReferralProgramInput = z
  .strictObject({
    active: z.boolean(),
    referrerReward: ReferralRewardInput,
    refereeReward: ReferralRewardInput,
    minOrderTotal: z
      .number()
      .int()
      .min(0)
      .max(2_000_000_000)
      .openapi({ description: 'Minor units the qualifying order must reach.' }),
    holdDays: z.number().int().min(0).max(365).openapi({ description: 'Return window before rewarding.' }),
    attributionWindowDays: z.number().int().min(1).max(3650),
    maxRewardedPerReferrer: z
      .strictObject({
        count: z.number().int().min(1).max(1_000_000),
        period: z.enum(['month', 'year', 'lifetime']),
      })
      .nullable()
      .optional()
      .openapi({ description: "Rewarded referrals per referrer per period (merchant's time zone)." }),
    linkTemplate: LinkTemplate,
  })
  .openapi('ReferralProgramInput');
export type ReferralProgramInput = z.infer<typeof ReferralProgramInput>;

const RewardView = z.union([z.object({ points: z.number().int() }), z.object({ rewardId: z.string() })]);

export const ReferralProgram = z
  .object({
    active: z.boolean(),
    referrerReward: RewardView,
    refereeReward: RewardView,
    minOrderTotal: z.number().int(),
    holdDays: z.number().int(),
    attributionWindowDays: z.number().int(),
    maxRewardedPerReferrer: z
      .object({ count: z.number().int(), period: z.enum(['month', 'year', 'lifetime']) })
      .nullable(),
    linkTemplate: z.string(),
    updatedAt: z.string().datetime().nullable().openapi({ description: 'Null while never configured.' }),
  })
  .openapi('ReferralProgram');
export type ReferralProgram = z.infer<typeof ReferralProgram>;

/** Stored upper-cased; lookups are case-insensitive. */
export const VanityCode = z
  .string()
  .trim()
  .min(4)
  .max(32)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be 4–32 letters, digits, - or _');

const Hash = z.string().trim().min(1).max(256);

export const ReferralCodeInput = z
  .strictObject({
    code: VanityCode.optional().openapi({ description: 'A vanity code; without it one is generated.' }),
  })
  .openapi('ReferralCodeInput');

export const ReferralCodeResult = z
  .object({ code: z.string(), link: z.string() })
  .openapi('ReferralCodeResult');
export type ReferralCodeResult = z.infer<typeof ReferralCodeResult>;

export const CodeParam = z.object({
  code: z
    .string()
    .min(1)
    .max(256)
    .openapi({ param: { name: 'code', in: 'path' }, example: 'K7QX4M2P' }),
});

export const CodeLookup = z
  .union([
    z.object({
      valid: z.literal(true),
      code: z.string(),
      referrer: z.object({ firstName: z.string().optional() }),
      link: z.string(),
      refereeReward: RewardView,
    }),
    z.object({ valid: z.literal(false) }),
  ])
  .openapi('ReferralCodeLookup', {
    description: 'Unknown, inactive and other merchants’ codes all answer `{valid: false}`.',
  });
export type CodeLookup = z.infer<typeof CodeLookup>;

export const ClickInput = z
  .strictObject({ code: z.string().trim().min(1).max(256), channel: z.string().trim().max(64).optional() })
  .openapi('ReferralClickInput');

export const ClickResult = z.object({ recorded: z.literal(true) }).openapi('ReferralClickResult');

export const AttributeInput = z
  .strictObject({
    code: z.string().trim().min(1).max(256),
    refereeId: ExternalId,
    refereeEmail: z.string().trim().max(254).pipe(z.email()).optional(),
    ipHash: Hash.optional().openapi({
      description: "A hash of the referee's IP address (never the address).",
    }),
    deviceHash: Hash.optional(),
    paymentFingerprint: Hash.optional(),
    referrerIpHash: Hash.optional().openapi({
      description: "The referrer's IP hash, if the shop knows it: compared for `same_device`.",
    }),
    referrerDeviceHash: Hash.optional(),
    referrerPaymentFingerprint: Hash.optional(),
    occurredAt: Instant.optional().openapi({ description: 'When the referee signed up; defaults to now.' }),
  })
  .openapi('AttributeReferralInput');
export type AttributeInput = z.infer<typeof AttributeInput>;

export const Referral = z
  .object({
    id: z.string(),
    code: z.string(),
    referrerId: z.string().nullable().openapi({ description: 'Null when the code matched no customer.' }),
    refereeId: z.string(),
    status: z.enum(REFERRAL_STATUSES),
    reason: z.enum(REJECTION_REASONS).nullable().openapi({
      description:
        'Why it was rejected; on a `rewarded` referral, `referrer_cap_reached` means only the referee was rewarded.',
    }),
    orderId: z.string().nullable().openapi({ description: 'The qualifying order.' }),
    attributedOrderId: z
      .string()
      .nullable()
      .openapi({ description: 'The order whose `referralCode` made the attribution.' }),
    attributedAt: z.string().datetime(),
    qualifiedAt: z.string().datetime().nullable(),
    holdUntil: z.string().datetime().nullable(),
    rewardedAt: z.string().datetime().nullable(),
    reversedAt: z.string().datetime().nullable(),
    createdAt: z.string().datetime(),
  })
  .openapi('Referral');
export type Referral = z.infer<typeof Referral>;

export const ReferralIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'ref_0abc' }),
});

export const ListReferralsQuery = PageQuery.extend({
  status: z.enum(REFERRAL_STATUSES).optional(),
  referrerId: ExternalId.optional(),
  refereeId: ExternalId.optional(),
});

export const ReferralPage = z
  .object({ data: z.array(Referral), nextCursor: z.string().nullable() })
  .openapi('ReferralPage');
