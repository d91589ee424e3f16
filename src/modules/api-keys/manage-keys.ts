import { and, desc, eq, isNull, lt } from 'drizzle-orm';
import { apiKeys } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { recordAudit } from '../../lib/audit';
import { withTransaction } from '../../lib/db';
import { NotFound } from '../../lib/errors';
import { newId } from '../../lib/ids';
import { decodeCursor, page } from '../../lib/pagination';
import { mintKey } from './key-material';
import type { CreateApiKeyInput } from './schemas';

export type ApiKeyRow = typeof apiKeys.$inferSelect;

export async function createApiKey(ctx: VerbContext, pepper: string, input: CreateApiKeyInput) {
  const minted = await mintKey(input.kind, pepper);
  const now = ctx.clock.now();
  return withTransaction(ctx.db, async (tx) => {
    const [row] = await tx
      .insert(apiKeys)
      .values({
        merchantId: ctx.merchant.id,
        id: newId('apiKey', now),
        kind: input.kind,
        scopes: input.kind === 'secret' ? (input.scopes ?? ['server']) : [],
        name: input.name ?? null,
        prefix: minted.prefix,
        hash: minted.hash,
        createdAt: now,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'api_key.created',
      targetType: 'api_key',
      targetId: row!.id,
      changes: { kind: row!.kind, scopes: row!.scopes, prefix: row!.prefix },
    });
    return { row: row!, key: minted.key };
  });
}

export async function listApiKeys(ctx: VerbContext, { limit, cursor }: { limit: number; cursor?: string }) {
  const after = decodeCursor(cursor, 1);
  const rows = await ctx.db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.merchantId, ctx.merchant.id), after ? lt(apiKeys.id, String(after[0])) : undefined))
    .orderBy(desc(apiKeys.id))
    .limit(limit + 1);
  return page(rows, limit, (r) => [r.id]);
}

/** Revokes a key at once. Revoking an already revoked key changes nothing. */
export async function revokeApiKey(ctx: VerbContext, id: string) {
  await withTransaction(ctx.db, async (tx) => {
    const [row] = await tx
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.merchantId, ctx.merchant.id), eq(apiKeys.id, id)));
    if (!row) throw new NotFound('API key');
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: ctx.clock.now() })
      .where(and(eq(apiKeys.merchantId, ctx.merchant.id), eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    if (revoked) {
      await recordAudit(tx, ctx, { action: 'api_key.revoked', targetType: 'api_key', targetId: id });
    }
  });
}

export function toApiKeyView(r: ApiKeyRow) {
  return {
    id: r.id,
    kind: r.kind,
    scopes: r.scopes,
    name: r.name,
    prefix: r.prefix,
    createdAt: r.createdAt.toISOString(),
    revokedAt: r.revokedAt?.toISOString() ?? null,
  };
}
