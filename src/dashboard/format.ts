/** Display formatting for the dashboard. Figures come from the API verbs already rounded. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const formatInt = (n: number | null | undefined) => (n == null ? '—' : integer.format(n));

/** A fraction 0…1 as a percentage. */
export const formatRate = (r: number | null | undefined, digits = 1) =>
  r == null ? '—' : `${(r * 100).toFixed(digits)} %`;

export const formatNumber = (n: number | null | undefined, digits = 2) =>
  n == null ? '—' : n.toFixed(digits);

/** Minor units in the merchant's currency. */
export function formatMoney(minor: number | null | undefined, currency: string): string {
  if (minor == null) return '—';
  const digits = new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions()
    .maximumFractionDigits;
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(minor / 10 ** (digits ?? 2));
}

/** An instant as a local date and time in the merchant's zone. */
export function formatInstant(value: Date | string | null | undefined, timeZone: string): string {
  if (value == null) return '—';
  const d = typeof value === 'string' ? new Date(value) : value;
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(d);
}
