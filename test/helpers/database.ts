import postgres from 'postgres';
import { inject } from 'vitest';
import { type NodeDatabase, openDatabase } from '../../src/entry/node-database';

let shared: Promise<NodeDatabase> | undefined;

/** This worker's database: PGlite in memory, or a fresh Postgres database when DATABASE_URL is set. */
export function workerDatabase(): Promise<NodeDatabase> {
  shared ??= open();
  return shared;
}

export const usingPostgres = () => Boolean(process.env.DATABASE_URL);

async function open(): Promise<NodeDatabase> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const database = await openDatabase({ dataDir: 'memory://' });
    await database.migrate();
    return database;
  }
  const name = `${inject('databasePrefix')}_w${process.env.VITEST_POOL_ID ?? '0'}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  const workerUrl = new URL(url);
  workerUrl.pathname = `/${name}`;
  const database = await openDatabase({
    databaseUrl: workerUrl.toString(),
    dataDir: 'memory://',
    // Two workers × 40 stay under the server's default max_connections (100), with room for
    // the extra clients race tests open.
    poolSize: 40,
  });
  await database.migrate();
  return database;
}

/** A connection string for this worker's Postgres database (race tests open extra clients). */
export function workerDatabaseUrl(): string | undefined {
  const url = process.env.DATABASE_URL;
  if (!url) return undefined;
  const u = new URL(url);
  u.pathname = `/${inject('databasePrefix')}_w${process.env.VITEST_POOL_ID ?? '0'}`;
  return u.toString();
}
