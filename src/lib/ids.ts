import { customAlphabet } from 'nanoid';

/** Every id Plaudit mints, by object. One map, so a prefix is never reused. */
export const idPrefixes = {
  merchant: 'mer',
  apiKey: 'key',
  entry: 'ent',
  lot: 'lot',
  rule: 'rul',
  tier: 'tie',
  referral: 'ref',
  reward: 'rwd',
  redemption: 'rdm',
  event: 'evt',
  audit: 'aud',
  endpoint: 'whe',
  delivery: 'whd',
  share: 'shr',
  click: 'clk',
  refund: 'rfd',
} as const;

export type IdKind = keyof typeof idPrefixes;

// ASCII-ordered base62, so ids sort by creation time as plain strings.
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const randomPart = customAlphabet(BASE62, 14);

function encodeTime(ms: number): string {
  let out = '';
  let n = ms;
  for (let i = 0; i < 8; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** A prefixed id: `ent_` + 8 chars of millisecond time + 14 random chars (~83 bits). */
export function newId(kind: IdKind, now: Date = new Date()): string {
  return `${idPrefixes[kind]}_${encodeTime(now.getTime())}${randomPart()}`;
}
