/** The event types merchants can subscribe to (SPEC §14). `*` subscribes to all of them. */
export const WEBHOOK_EVENT_TYPES = [
  'points.earned',
  'points.matured',
  'points.reversed',
  'points.expired',
  'points.adjusted',
  'redemption.issued',
  'redemption.reserved',
  'redemption.released',
  'redemption.used',
  'redemption.cancelled',
  'tier.changed',
  'referral.attributed',
  'referral.qualified',
  'referral.rewarded',
  'referral.rejected',
  'referral.reversed',
  'customer.promoter',
  'feedback.detractor',
  'customer.erased',
] as const;

export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export const ALL_EVENTS = '*';
