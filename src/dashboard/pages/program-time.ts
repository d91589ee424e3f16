/**
 * `datetime-local` inputs hold a wall-clock time without a zone; the dashboard reads and
 * writes them in the merchant's time zone, as the marketer thinks of a campaign's dates.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(t: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number } {
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
    });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(t).map((p) => [p.type, p.value]));
  return { y: +parts.year!, mo: +parts.month!, d: +parts.day!, h: +parts.hour!, mi: +parts.minute! };
}

const offsetAt = (t: number, timeZone: string) => {
  const w = wallClock(t, timeZone);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi) - Math.floor(t / 60_000) * 60_000;
};

/**
 * A `YYYY-MM-DDTHH:mm` wall-clock time in `timeZone` as an ISO instant; blank is undefined and
 * anything else is returned as typed, for the schema to refuse at its field. In a DST gap the
 * later offset applies; in an overlap, the earlier instant.
 */
export function zonedToUtc(local: string, timeZone: string): string | undefined {
  if (local === '') return undefined;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2})?$/.exec(local);
  if (!m) return local;
  const guess = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!);
  const first = guess - offsetAt(guess, timeZone);
  return new Date(guess - offsetAt(first, timeZone)).toISOString();
}

/** An instant as the `datetime-local` value showing it in `timeZone`. */
export function localInput(value: Date | null, timeZone: string): string {
  if (!value) return '';
  const w = wallClock(value.getTime(), timeZone);
  const p = (n: number, l = 2) => String(n).padStart(l, '0');
  return `${p(w.y, 4)}-${p(w.mo)}-${p(w.d)}T${p(w.h)}:${p(w.mi)}`;
}
