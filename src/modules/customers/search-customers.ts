import { and, asc, eq, type SQL, sql } from 'drizzle-orm';
import { customers } from '../../../db/schema';
import type { VerbContext } from '../../deps';
import { normalizeEmail } from '../../lib/email';
import type { CustomerRead } from './read-customers';
import { customerColumns } from './view';

/** At most this many matches: a search is for finding someone, not for listing. */
export const SEARCH_LIMIT = 50;

/**
 * Customers whose id is `query`, whose email (as typed or normalised) is it, or whose email or
 * name starts with it, case-insensitively: the exact id first, then by name. Each way of
 * matching is one index range scan within the merchant that stops after `limit` rows
 * (customers_merchant_*_search_idx, the primary key, the normalised email index), so a
 * one-letter query costs the same in a shop of 500 customers as in one of a million.
 */
export async function searchCustomers(
  ctx: VerbContext,
  input: { query: string; limit?: number },
): Promise<CustomerRead[]> {
  const query = input.query.trim().slice(0, 254);
  if (query === '') return [];
  const limit = Math.min(input.limit ?? SEARCH_LIMIT, SEARCH_LIMIT);
  const m = ctx.merchant.id;
  // In the "C" collation strings compare as UTF-8 bytes and U+10FFFF sorts after every
  // character, so [p, p || chr(1114111)) is exactly the strings starting with p.
  const prefix = (expr: SQL) => sql`(select s.id from customers s where s.merchant_id = ${m}
      and ${expr} >= lower(${query}) and ${expr} < lower(${query}) || chr(1114111)
      order by ${expr} limit ${limit})`;
  const exactEmail = query.includes('@')
    ? sql`union (select s.id from customers s where s.merchant_id = ${m}
        and s.email_normalized = ${normalizeEmail(query)} limit ${limit})`
    : sql``;
  const candidates = sql`(select s.id from customers s where s.merchant_id = ${m} and s.id = ${query})
    ${exactEmail}
    union ${prefix(sql`lower(s.email) collate "C"`)}
    union ${prefix(sql`lower(s.name) collate "C"`)}`;
  // Same as the balance read: pending points already due read as available.
  const due = sql<number>`(select coalesce(sum(l.remaining), 0)::int from lots l
    where l.merchant_id = ${m} and l.customer_id = "customers"."id"
      and not l.matured and l.available_at <= ${ctx.clock.now().toISOString()}::timestamptz)`;
  return ctx.db
    .select({ ...customerColumns, due })
    .from(customers)
    .where(and(eq(customers.merchantId, m), sql`"customers"."id" in (${candidates})`))
    .orderBy(
      sql`"customers"."id" = ${query} desc`,
      sql`lower("customers"."name") collate "C"`,
      asc(customers.id),
    )
    .limit(limit);
}
