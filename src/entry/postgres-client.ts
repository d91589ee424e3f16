import type { Sql, TransactionSql } from 'postgres';

type Unsafe = Sql['unsafe'];

/**
 * drizzle asks postgres.js for an unnamed statement (`prepare: false`) unless a query is
 * `.prepare()`d by name, and postgres.js then describes every parameterised statement in a
 * round trip of its own before running it: two round trips per query. Forcing `prepare: true`
 * makes postgres.js keep one named statement per query text and connection, so each query is
 * one round trip (and Postgres skips re-planning). Applies inside transactions too.
 */
export function preferPrepared<T extends Sql | TransactionSql>(client: T): T {
  const unsafe = client.unsafe.bind(client) as Unsafe;
  (client as { unsafe: Unsafe }).unsafe = ((query, params, options) =>
    unsafe(query, params, { ...options, prepare: true })) as Unsafe;
  if ('begin' in client) {
    const begin = client.begin.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { begin: (...args: unknown[]) => unknown }).begin = (...args: unknown[]) => {
      const fn = args[args.length - 1] as (tx: TransactionSql) => unknown;
      return begin(...args.slice(0, -1), (tx: TransactionSql) => fn(preferPrepared(tx)));
    };
  }
  if ('savepoint' in client) {
    const savepoint = client.savepoint.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { savepoint: (...args: unknown[]) => unknown }).savepoint = (
      ...args: unknown[]
    ) => {
      const fn = args[args.length - 1] as (tx: TransactionSql) => unknown;
      return savepoint(...args.slice(0, -1), (tx: TransactionSql) => fn(preferPrepared(tx)));
    };
  }
  return client;
}
