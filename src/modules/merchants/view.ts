import type { Merchant } from '../../deps';
import type { MerchantSettings } from './schemas';

export function toMerchantView(m: Merchant): MerchantSettings {
  return {
    id: m.id,
    name: m.name,
    currency: m.currency,
    timezone: m.timezone,
    pointValue: { points: m.pointValuePoints, amount: m.pointValueAmount },
    pendingDays: m.pendingDays,
    expiry: { mode: m.expiryMode, days: m.expiryDays },
    refundPolicy: m.refundPolicy,
    storefrontRedemption: m.storefrontRedemption,
    allowedOrigins: m.allowedOrigins,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}
