import { z } from '@hono/zod-openapi';

const currencies = new Set(Intl.supportedValuesOf('currency'));

export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
  .refine((c) => currencies.has(c), 'is not an ISO 4217 currency')
  .openapi({ example: 'EUR' });

export const TimeZone = z
  .string()
  .refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'is not an IANA time zone')
  .openapi({ example: 'Europe/Paris' });

export const Origin = z.string().refine((o) => {
  try {
    return new URL(o).origin === o;
  } catch {
    return false;
  }
}, 'must be an origin such as https://shop.example (scheme, host, optional port)');

/** ISO 8601 with an offset or Z; returned as a Date. */
export const Instant = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s))
  .openapi({ type: 'string', format: 'date-time' });

/** The merchant's own id of a customer, order, review… */
export const ExternalId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');
