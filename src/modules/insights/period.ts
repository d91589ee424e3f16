import { type SQL, sql } from 'drizzle-orm';
import type { VerbContext } from '../../deps';
import { ValidationFailed } from '../../lib/errors';
import { addDays, startOfLocalDate } from '../../lib/time';
import type { PeriodQuery } from './schemas';

/** A report's period, both ends inclusive; a missing end is unbounded. */
export interface Period {
  from: Date | null;
  to: Date | null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Query bounds as instants. A bare date is a whole local day in the merchant's time zone:
 * `from` starts at its local midnight, `to` ends just before the next one.
 */
export function resolvePeriod(ctx: VerbContext, q: PeriodQuery): Period {
  const tz = ctx.merchant.timezone;
  const parse = (s: string | undefined, end: boolean): Date | null => {
    if (s === undefined) return null;
    const m = DATE.exec(s);
    if (!m) return new Date(s);
    const date = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
    return end ? new Date(startOfLocalDate(addDays(date, 1), tz).getTime() - 1) : startOfLocalDate(date, tz);
  };
  const period = { from: parse(q.from, false), to: parse(q.to, true) };
  if (period.from && period.to && period.from > period.to) {
    throw new ValidationFailed([{ path: 'to', message: 'must not be before `from`' }]);
  }
  return period;
}

/** An instant as a SQL timestamptz. */
export const ts = (d: Date) => sql`${d.toISOString()}::timestamptz`;

/** `column` within the period (both ends inclusive), as a SQL condition. */
export function within(column: string, p: Period): SQL {
  const col = sql.raw(column);
  const parts: SQL[] = [sql`true`];
  if (p.from) parts.push(sql`${col} >= ${ts(p.from)}`);
  if (p.to) parts.push(sql`${col} <= ${ts(p.to)}`);
  return sql.join(parts, sql` and `);
}

/** `column` before or after a period with an end (so outside it), as a SQL condition. */
export function outside(column: string, p: Period): SQL {
  const col = sql.raw(column);
  const after = sql`${col} > ${ts(p.to!)}`;
  return p.from ? sql`(${col} < ${ts(p.from)} or ${after})` : after;
}

/** `column` at or before the end of the period. */
export function until(column: string, p: Period): SQL {
  return p.to ? sql`${sql.raw(column)} <= ${ts(p.to)}` : sql`true`;
}

export const iso = (d: Date | null) => d?.toISOString() ?? null;
