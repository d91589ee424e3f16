import { customAlphabet } from 'nanoid';

const encoder = new TextEncoder();
const keyCache = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
    ]);
    keyCache.set(secret, key);
  }
  return key;
}

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** HMAC-SHA256 (WebCrypto, so it runs on Node and Workers) as lower-case hex. */
export async function hmacHex(secret: string, message: string): Promise<string> {
  return hex(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(message)));
}

/**
 * Compares two secrets by their HMACs rather than as raw strings, so the time a comparison takes
 * reveals nothing about where they differ.
 */
export async function sameSecret(pepper: string, given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([hmacHex(pepper, given), hmacHex(pepper, expected)]);
  return a === b;
}

export async function sha256Hex(message: string): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', encoder.encode(message)));
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** 32 base62 characters: about 190 bits, far beyond guessing. */
export const randomToken = customAlphabet(BASE62, 32);
