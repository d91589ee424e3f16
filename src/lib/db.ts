import type { ExtractTablesWithRelations, SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
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
