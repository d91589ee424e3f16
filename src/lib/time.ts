/**
 * Calendar arithmetic in a merchant's IANA time zone, with Intl only (no tz database to ship).
 * Caps reset and points expire at local midnight, not at UTC midnight.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export interface LocalDate {
  year: number;
  month: number; // 1-12
  day: number;
}

/** The wall-clock date and time of an instant in `timeZone`. */
export function localParts(instant: Date, timeZone: string) {
  const parts = Object.fromEntries(
    formatter(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds. */
function offsetMs(instant: Date, timeZone: string): number {
  const p = localParts(instant, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant a local wall-clock time happens in `timeZone`. Two passes settle the offset even
 * across a DST change: in a gap the later offset applies, in an overlap the earlier instant.
 */
export function zonedInstant(t: LocalDate & { hour: number; minute: number }, timeZone: string): Date {
  const guess = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute);
  const first = guess - offsetMs(new Date(guess), timeZone);
  return new Date(guess - offsetMs(new Date(first), timeZone));
}

/** The instant a local date begins (its first moment, handling DST gaps). */
export function startOfLocalDate(date: LocalDate, timeZone: string): Date {
  return zonedInstant({ ...date, hour: 0, minute: 0 }, timeZone);
}

export function localDate(instant: Date, timeZone: string): LocalDate {
  const p = localParts(instant, timeZone);
  return { year: p.year, month: p.month, day: p.day };
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

/** Local midnight at the start of the day `days` after the local day of `instant`. */
export function localMidnightAfter(instant: Date, days: number, timeZone: string): Date {
  return startOfLocalDate(addDays(localDate(instant, timeZone), days), timeZone);
}

export type Period = 'day' | 'week' | 'month' | 'lifetime';

/** Start of the current cap period in the merchant's zone; weeks start on Monday (ISO 8601). */
export function periodStart(now: Date, period: Period, timeZone: string): Date | null {
  const today = localDate(now, timeZone);
  switch (period) {
    case 'day':
      return startOfLocalDate(today, timeZone);
    case 'week': {
      const weekday = new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay(); // 0 = Sunday
      return startOfLocalDate(addDays(today, -((weekday + 6) % 7)), timeZone);
    }
    case 'month':
      return startOfLocalDate({ year: today.year, month: today.month, day: 1 }, timeZone);
    case 'lifetime':
      return null;
  }
}

export const DAY_MS = 86_400_000;
