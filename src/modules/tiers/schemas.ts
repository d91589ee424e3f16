import { z } from '@hono/zod-openapi';

export const TierInput = z.strictObject({
  name: z.string().trim().min(1).max(64),
  threshold: z
    .number()
    .int()
    .min(0)
    .max(1_000_000_000)
    .openapi({ description: 'Points earned in the window.' }),
  window: z.enum(['lifetime', 'rolling365']),
  earnMultiplier: z.number().min(0).max(100).default(1),
});

export const TierLadderInput = z
  .array(TierInput)
  .max(20)
  .superRefine((tiers, ctx) => {
    const names = new Set<string>();
    tiers.forEach((t, i) => {
      if (names.has(t.name.toLowerCase()))
        ctx.addIssue({ code: 'custom', message: 'duplicate tier name', path: [i, 'name'] });
      names.add(t.name.toLowerCase());
      const prev = tiers[i - 1];
      if (prev && t.threshold <= prev.threshold) {
        ctx.addIssue({
          code: 'custom',
          message: 'thresholds must increase up the ladder',
          path: [i, 'threshold'],
        });
      }
    });
  })
  .openapi('TierLadderInput', { description: 'The whole ladder, lowest tier first.' });
export type TierLadderInput = z.infer<typeof TierLadderInput>;

export const Tier = z
  .object({
    id: z.string(),
    name: z.string(),
    rank: z.number().int(),
    threshold: z.number().int(),
    window: z.enum(['lifetime', 'rolling365']),
    earnMultiplier: z.number(),
  })
  .openapi('Tier');

export const TierLadder = z.object({ data: z.array(Tier) }).openapi('TierLadder');
