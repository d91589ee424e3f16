import { apiKeys, merchants } from '../../../db/schema';
import type { Clock } from '../../lib/clock';
import { type Executor, withTransaction } from '../../lib/db';
import { newId } from '../../lib/ids';
import { mintKey } from '../api-keys/key-material';
import type { CreateMerchantInput } from './schemas';

/** Creates a merchant with an admin secret key and a publishable key; the keys are returned once. */
export async function createMerchant(
  { db, clock, pepper }: { db: Executor; clock: Clock; pepper: string },
  input: CreateMerchantInput,
) {
  const now = clock.now();
  const secret = await mintKey('secret', pepper);
  const publishable = await mintKey('publishable', pepper);
  return withTransaction(db, async (tx) => {
    const [merchant] = await tx
      .insert(merchants)
      .values({ id: newId('merchant', now), ...input, createdAt: now, updatedAt: now })
      .returning();
    await tx.insert(apiKeys).values([
      {
        merchantId: merchant!.id,
        id: newId('apiKey', now),
        kind: 'secret',
        scopes: ['admin', 'server'],
        name: 'Default secret key',
        prefix: secret.prefix,
        hash: secret.hash,
        createdAt: now,
      },
      {
        merchantId: merchant!.id,
        id: newId('apiKey', now),
        kind: 'publishable',
        scopes: [],
        name: 'Default publishable key',
        prefix: publishable.prefix,
        hash: publishable.hash,
        createdAt: now,
      },
    ]);
    return { merchant: merchant!, secretKey: secret.key, publishableKey: publishable.key };
  });
}
