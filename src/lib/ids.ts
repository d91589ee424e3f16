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
  adjustment: 'adj',
  session: 'ses',
} as const;

export type IdKind = keyof typeof idPrefixes;

// Digits and lower-case letters only: they sort the same way under every collation
// (C, en_US.UTF-8, ICU), so ids sort by creation time as plain strings in any database.
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const randomPart = customAlphabet(BASE36, 16);

function encodeTime(ms: number): string {
  return Math.floor(ms).toString(36).padStart(9, '0');
}

let last = { time: '', random: '' };

/**
 * A prefixed id: `ent_` + 9 base-36 chars of millisecond time + 16 random chars (~83 bits).
 * Within one millisecond the random part counts up from the previous id's, so ids minted
 * by this process sort in the order they were made (lists are "newest first" by id).
 */
export function newId(kind: IdKind, now: Date = new Date()): string {
  const time = encodeTime(now.getTime());
  const random = time === last.time ? (increment(last.random) ?? randomPart()) : randomPart();
  last = { time, random };
  return `${idPrefixes[kind]}_${time}${random}`;
}

/** The next base-36 string of the same length, or undefined when it would overflow. */
function increment(s: string): string | undefined {
  const digits = s.split('');
  for (let i = digits.length - 1; i >= 0; i--) {
    const d = BASE36.indexOf(digits[i]!);
    if (d < BASE36.length - 1) {
      digits[i] = BASE36[d + 1]!;
      return digits.join('');
    }
    digits[i] = BASE36[0]!;
  }
  return undefined;
}
