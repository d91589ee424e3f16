import { type ExtractTablesWithRelations, getTableColumns, type SQL, type Table } from 'drizzle-orm';
import { CasingCache } from 'drizzle-orm/casing';
import { type PgDatabase, PgDialect, type PgQueryResultHKT, type PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from '../../db/schema';

export type Schema = typeof schema;
/** The database as handlers see it: PGlite or postgres.js behind the same drizzle interface. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction; verbs accept both. */
export type Executor = Db | Tx;

/**
 * Runs raw SQL and returns its rows, whichever driver is underneath
 * (postgres.js answers with an array, PGlite with `{ rows }`).
 */
export async function query<T>(db: Executor, statement: SQL): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/**
 * Runs hand-written SQL (`$1`, `$2`… placeholders) on the driver, skipping drizzle's SQL
 * builder: for hot paths, where building the statement cost more than running it. With
 * postgres.js each distinct text becomes one named prepared statement per connection.
 */
export async function rawQuery<T>(db: Executor, text: string, params: unknown[]): Promise<T[]> {
  const result = (await db._.session
    .prepareQuery({ sql: text, params }, undefined, undefined, false)
    .execute()) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

/** Collects the parameters of a hand-written statement; `add` answers the placeholder to write. */
export class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  /**
   * Appends a drizzle `sql` fragment, renumbering its placeholders after the ones already
   * taken. drizzle writes parameters as `$n`; a fragment must not spell `$<digits>` itself.
   */
  embed(fragment: SQL): string {
    const { sql: text, params } = dialect.sqlToQuery(fragment);
    const offset = this.values.length;
    this.values.push(...params);
    return text.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
  }
}

// The app's dialect settings (snake_case): fragments render as drizzle would render them.
const dialect = new PgDialect({ casing: 'snake_case' });
const casing = new CasingCache('snake_case');

/**
 * A table's row for hand-written SQL: `columns(alias)` is the select list (`alias.snake_name
 * as "key"`), `read` maps a raw row to what drizzle's select would return (dates, numbers).
 * A `prefix` keeps two tables' columns apart in one select list (`"r.name"`); `omit` leaves
 * columns out (each read column costs its parsing on a hot path).
 */
export function rowOf<T extends Table, K extends keyof T['$inferSelect'] = never>(
  table: T,
  omit: readonly K[] = [],
) {
  const columns = Object.entries(getTableColumns(table))
    .filter(([key]) => !(omit as readonly string[]).includes(key))
    .map(([key, column]) => ({ key, name: casing.getColumnCasing(column), column }));
  return {
    columns: (alias: string, prefix = '') =>
      columns.map((c) => `${alias}.${c.name} as "${prefix}${c.key}"`).join(', '),
    read(raw: Record<string, unknown>, prefix = ''): Omit<T['$inferSelect'], K> {
      const row: Record<string, unknown> = {};
      for (const c of columns) {
        const value = raw[prefix + c.key];
        row[c.key] = value === null || value === undefined ? null : c.column.mapFromDriverValue(value);
      }
      return row as Omit<T['$inferSelect'], K>;
    },
  };
}

const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Runs `fn` in a transaction. Inside another transaction it becomes a savepoint, so verbs
 * compose; at the top level a serialization failure or deadlock is retried a few times.
 */
export async function withTransaction<T>(db: Executor, fn: (tx: Tx) => Promise<T>): Promise<T> {
  if (isTransaction(db)) return db.transaction(fn);
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction(fn);
    } catch (error) {
      const code = pgErrorCode(error);
      if (attempt >= 3 || !code || !RETRYABLE.has(code)) throw error;
    }
  }
}

export function isTransaction(db: Executor): db is Tx {
  return 'rollback' in db;
}

/** Postgres error codes the API maps to client errors. */
export const PG = {
  uniqueViolation: '23505',
  checkViolation: '23514',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

/** The SQLSTATE of a driver error, looking through drizzle's wrapper. */
export function pgErrorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let i = 0; i < 3 && e; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

const preparedCache = new WeakMap<object, Map<string, unknown>>();

/**
 * A drizzle prepared query, built once per database object: hot paths skip the query
 * builder and postgres.js reuses the server-side statement.
 */
export function prepared<T>(db: Executor, name: string, build: (db: Executor) => T): T {
  let byName = preparedCache.get(db);
  if (!byName) {
    byName = new Map();
    preparedCache.set(db, byName);
  }
  let statement = byName.get(name) as T | undefined;
  if (!statement) {
    statement = build(db);
    byName.set(name, statement);
  }
  return statement;
}
