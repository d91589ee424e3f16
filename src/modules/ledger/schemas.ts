import { z } from '@hono/zod-openapi';

export const LedgerEntry = z
  .object({
    id: z.string(),
    customerId: z.string(),
    points: z.number().int().openapi({ description: 'Signed: credits positive, debits negative.' }),
    kind: z.enum(['earn', 'redeem', 'expire', 'adjust', 'reverse', 'referral', 'import']),
    status: z.enum(['pending', 'available']),
    availableAt: z.string().datetime(),
    expiresAt: z.string().datetime().nullable(),
    source: z.object({ type: z.string(), id: z.string() }),
    ruleId: z.string().nullable(),
    reason: z.string().nullable(),
    correctsEntryId: z
      .string()
      .nullable()
      .openapi({ description: 'The entry this one reverses or corrects.' }),
    debtSettled: z.number().int().openapi({ description: 'Points of this credit that paid off debt.' }),
    forgiven: z
      .number()
      .int()
      .openapi({ description: 'Points of this reversal written off (refund policy `forgive`).' }),
    balanceAfter: z.number().int().openapi({ description: 'Available balance right after this entry.' }),
    occurredAt: z.string().datetime().openapi({ description: "The event's own time (e.g. `paidAt`)." }),
    createdAt: z.string().datetime(),
  })
  .openapi('LedgerEntry');
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const LedgerPage = z
  .object({ data: z.array(LedgerEntry), nextCursor: z.string().nullable() })
  .openapi('LedgerPage');
