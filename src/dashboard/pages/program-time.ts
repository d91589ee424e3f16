import { localParts, zonedInstant } from '../../lib/time';

/**
 * `datetime-local` inputs hold a wall-clock time without a zone; the dashboard reads and
 * writes them in the merchant's time zone, as the marketer thinks of a campaign's dates.
 */

/**
 * A `YYYY-MM-DDTHH:mm` wall-clock time in `timeZone` as an ISO instant; blank is undefined and
 * anything else is returned as typed, for the schema to refuse at its field. In a DST gap the
 * later offset applies; in an overlap, the earlier instant.
 */
export function zonedToUtc(local: string, timeZone: string): string | undefined {
  if (local === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?$/.exec(local);
  if (!m) return local;
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  return zonedInstant({ year, month, day, hour, minute }, timeZone).toISOString();
}

/** An instant as the `datetime-local` value showing it in `timeZone`. */
export function localInput(value: Date | null, timeZone: string): string {
  if (!value) return '';
  const w = localParts(value, timeZone);
  const p = (n: number, l = 2) => String(n).padStart(l, '0');
  return `${p(w.year, 4)}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}`;
}
