import { hmacHex, randomToken } from '../../lib/crypto';

export type KeyKind = 'secret' | 'publishable';

/** A new key: shown to the caller once; only its HMAC (peppered with PLAUDIT_SECRET) is stored. */
export async function mintKey(kind: KeyKind, pepper: string) {
  const key = `${kind === 'secret' ? 'sk' : 'pk'}_${randomToken()}`;
  return { key, prefix: key.slice(0, 11), hash: await hashKey(key, pepper) };
}

export function hashKey(key: string, pepper: string): Promise<string> {
  return hmacHex(pepper, key);
}
