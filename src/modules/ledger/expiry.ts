import type { Merchant } from '../../deps';
import { localMidnightAfter } from '../../lib/time';

/**
 * When a lot earned at `occurredAt` expires under the merchant's policy: with `fixed`, at local
 * midnight `days` after the day it was earned; `none` and `inactivity` lots carry no date
 * (inactivity expiry looks at the customer's last activity instead).
 */
export function lotExpiry(merchant: Merchant, occurredAt: Date): Date | null {
  if (merchant.expiryMode !== 'fixed' || !merchant.expiryDays) return null;
  return localMidnightAfter(occurredAt, merchant.expiryDays, merchant.timezone);
}
