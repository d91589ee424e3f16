import { z } from '@hono/zod-openapi';
import { ExternalId, Instant } from '../../lib/validators';
import { conditionIssues } from './condition';

export const BUILT_IN_EVENTS = [
  'order.paid',
  'review.created',
  'share.created',
  'signup',
  'birthday',
  'survey.submitted',
] as const;

/** A built-in event or a custom one named by the merchant; the built-ins match the pattern too. */
export const EventType = z
  .string()
  .regex(
    /^[a-z][a-z0-9_.-]{0,63}$/,
    `must be one of ${BUILT_IN_EVENTS.join(', ')} or a custom name matching ^[a-z][a-z0-9_.-]{0,63}$`,
  )
  .openapi({ example: 'order.paid', description: `${BUILT_IN_EVENTS.join(', ')} or a custom event name.` });

export const Condition = z
  .unknown()
  .superRefine((logic, ctx) => {
    for (const issue of conditionIssues(logic)) {
      ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    }
  })
  .openapi({
    description:
      'JsonLogic (jsonlogic.com) over `{event, customer: {tier, tags, ordersCount, lifetimeEarned}}`; ' +
      '`ordersCount` counts paid orders before this one. Standard operators except `log`, nested at most 32 deep.',
    example: { and: [{ '>=': [{ var: 'event.total' }, 5000] }, { in: ['vip', { var: 'customer.tags' }] }] },
  });

const MAX_POINTS = 1_000_000;
const MAX_INT = 2_147_483_647;

// Multipliers are exact to 4 decimal places so the points they give are exact too.
const factor = (max: number) =>
  z
    .number()
    .gt(1)
    .max(max)
    .refine((f) => Math.abs(Math.round(f * 10_000) - f * 10_000) < 1e-6, 'has at most 4 decimal places');

export const RuleReward = z
  .discriminatedUnion('type', [
    z
      .strictObject({
        type: z.literal('points_per_amount'),
        points: z.number().int().min(1).max(MAX_POINTS),
        per: z
          .number()
          .int()
          .min(1)
          .max(1_000_000_000_000)
          .openapi({ description: 'Minor units of the amount that earn `points`.' }),
        rounding: z.enum(['floor', 'round', 'ceil']).default('floor'),
      })
      .openapi({ description: '`rounding(amount × points / per)`, exact; `round` rounds halves up.' }),
    z.strictObject({ type: z.literal('fixed'), points: z.number().int().min(1).max(MAX_POINTS) }),
    z
      .strictObject({ type: z.literal('multiplier'), factor: factor(100) })
      .openapi({ description: 'Adds `floor(base points × (factor − 1))` after the base rules.' }),
  ])
  .openapi('RuleReward');
export type RuleReward = z.infer<typeof RuleReward>;

export const RuleLimits = z
  .strictObject({
    perCustomer: z
      .strictObject({
        count: z.number().int().min(1).max(1_000_000),
        period: z.enum(['day', 'week', 'month', 'lifetime']),
      })
      .optional()
      .openapi({
        description: "Awards per customer per period; periods start at the merchant's local midnight.",
      }),
    budget: z
      .number()
      .int()
      .min(1)
      .max(MAX_INT)
      .optional()
      .openapi({ description: 'Total points this rule may ever award; the last award is trimmed to fit.' }),
  })
  .openapi('RuleLimits');
export type RuleLimits = z.infer<typeof RuleLimits>;

/** The writable fields, without defaults, so a PATCH leaves unsent fields alone. */
const ruleFields = {
  name: z.string().trim().min(1).max(200),
  event: EventType,
  condition: Condition.nullable(),
  reward: RuleReward,
  limits: RuleLimits.nullable(),
  startsAt: Instant.nullable(),
  endsAt: Instant.nullable().openapi({ description: 'Exclusive: the rule applies in [startsAt, endsAt).' }),
  priority: z.number().int().min(-1_000_000).max(1_000_000),
  stackable: z.boolean(),
  pendingDays: z.number().int().min(0).max(365).nullable(),
  applyTierMultiplier: z.boolean(),
  active: z.boolean(),
};

export const CreateRuleInput = z
  .strictObject({
    ...ruleFields,
    condition: ruleFields.condition.optional(),
    limits: ruleFields.limits.optional(),
    startsAt: ruleFields.startsAt.optional(),
    endsAt: ruleFields.endsAt.optional(),
    priority: ruleFields.priority.default(0),
    stackable: ruleFields.stackable
      .default(true)
      .openapi({ description: '`false`: exclusive, see the preview route for the semantics.' }),
    pendingDays: ruleFields.pendingDays
      .optional()
      .openapi({ description: "Days before the points become available; default the merchant's." }),
    applyTierMultiplier: ruleFields.applyTierMultiplier.default(true),
    active: ruleFields.active.default(true),
  })
  .openapi('CreateRuleInput');
export type CreateRuleInput = z.infer<typeof CreateRuleInput>;

export const UpdateRuleInput = z.strictObject(ruleFields).partial().openapi('UpdateRuleInput', {
  description: 'Only the fields sent change; `null` clears an optional field. Points already awarded stay.',
});
export type UpdateRuleInput = z.infer<typeof UpdateRuleInput>;

export const Rule = z
  .object({
    id: z.string().openapi({ example: 'rul_0kT3bQ1x7d2YhQJk3mZpA9' }),
    name: z.string(),
    event: z.string(),
    condition: z.unknown().nullable(),
    reward: RuleReward,
    limits: RuleLimits.nullable(),
    startsAt: z.string().datetime().nullable(),
    endsAt: z.string().datetime().nullable(),
    priority: z.number().int(),
    stackable: z.boolean(),
    pendingDays: z.number().int().nullable(),
    applyTierMultiplier: z.boolean(),
    active: z.boolean(),
    budgetUsed: z.number().int(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('Rule');
export type Rule = z.infer<typeof Rule>;

export const RuleIdParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: 'id', in: 'path' }, example: 'rul_0kT3bQ1x7d2YhQJk3mZpA9' }),
});

export const ListRulesQuery = z.object({
  event: EventType.optional(),
  active: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(500).optional(),
});
export type ListRulesQuery = z.infer<typeof ListRulesQuery>;

export const RulePage = z
  .object({ data: z.array(Rule), nextCursor: z.string().nullable() })
  .openapi('RulePage');

const IsoInstant = z.iso.datetime({ offset: true });
const Amount = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const PreviewEvent = z
  .looseObject({
    type: EventType,
    customerId: ExternalId.optional(),
    total: Amount.optional().openapi({
      description: 'order.paid: the amount `points_per_amount` applies to.',
    }),
    amount: Amount.optional(),
    properties: z.looseObject({ amount: Amount.optional() }).optional(),
    // Kept as sent (not turned into Dates) so a condition sees the event exactly as ingest would.
    paidAt: IsoInstant.optional(),
    occurredAt: IsoInstant.optional(),
    respondedAt: IsoInstant.optional(),
  })
  .superRefine((e, ctx) => {
    if (e.type === 'order.paid' && e.total === undefined) {
      ctx.addIssue({ code: 'custom', path: ['total'], message: 'is required for order.paid' });
    }
  })
  .openapi({ description: 'The event as its ingest endpoint takes it, plus `type`.' });

export const PreviewInput = z
  .strictObject({
    event: PreviewEvent,
    customer: z
      .strictObject({
        tier: z.string().max(200).nullable().optional(),
        tags: z.array(z.string().max(64)).max(50).optional(),
        ordersCount: z.number().int().min(0).optional(),
        lifetimeEarned: z.number().int().min(0).optional(),
      })
      .optional()
      .openapi({ description: 'Facts for a hypothetical customer; they override a real customer’s.' }),
  })
  .openapi('RulePreviewInput');
export type PreviewInput = z.infer<typeof PreviewInput>;

export const SkipReason = z.enum([
  'inactive',
  'outside_window',
  'condition_false',
  'cap_reached',
  'budget_exhausted',
  'superseded',
  'no_amount',
  'zero_points',
]);

export const PreviewResult = z
  .object({
    matched: z.array(
      z.object({
        ruleId: z.string(),
        points: z.number().int(),
        pendingDays: z.number().int().nullable(),
        trace: z.record(z.string(), z.unknown()),
      }),
    ),
    skipped: z.array(z.object({ ruleId: z.string(), reason: SkipReason, detail: z.string() })),
    total: z.number().int(),
    facts: z.object({
      customer: z.object({
        tier: z.string().nullable(),
        tags: z.array(z.string()),
        ordersCount: z.number().int(),
        lifetimeEarned: z.number().int(),
      }),
      knownCustomer: z.boolean(),
      amount: z.number().int().nullable(),
      tierMultiplier: z.number(),
      at: z.string().datetime(),
    }),
  })
  .openapi('RulePreview');
export type PreviewResult = z.infer<typeof PreviewResult>;
