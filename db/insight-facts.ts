import { readFileSync } from 'node:fs';

/**
 * The statements of migration 0006 that recount every customer's insight facts from the rows
 * they summarise. The migration runs them once; the bench runs them after a bulk load (which
 * bypasses the app), and the tests check that the facts the app keeps equal this recount.
 */
export function insightFactsRecount(): string[] {
  const text = readFileSync(new URL('./migrations/0006_insight_facts.sql', import.meta.url), 'utf8');
  return text
    .split('--> statement-breakpoint')
    .map((s) => s.trim())
    .filter((s) => /^(--[^\n]*\n)*UPDATE "customers"/.test(s));
}
