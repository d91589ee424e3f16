import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from '../../db/schema';
import { randomToken } from '../lib/crypto';
import type { Db } from '../lib/db';
import { preferPrepared } from './postgres-client';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../db/migrations', import.meta.url));

export interface NodeDatabase {
  db: Db;
  kind: 'postgres' | 'pglite';
  migrate(): Promise<void>;
  close(): Promise<void>;
}

/** postgres.js for a DATABASE_URL; otherwise PGlite kept in `dataDir` (or in memory for `memory://`). */
export async function openDatabase(opts: {
  databaseUrl?: string | undefined;
  dataDir: string;
  poolSize?: number;
}): Promise<NodeDatabase> {
  if (opts.databaseUrl) {
    const client = preferPrepared(
      postgres(opts.databaseUrl, {
        max: opts.poolSize ?? 20,
        onnotice: () => {},
        // JIT never pays on these short statements, and a prepared statement's generic plan can
        // cross the JIT cost threshold on a large merchant (seen at 10M ledger entries: a 0.06 ms
        // balance read spent 15-24 ms compiling). Reports turn it off per transaction as well.
        connection: { application_name: 'plaudit', jit: 'off' },
      }),
    );
    const db = drizzlePostgres({ client, schema, casing: 'snake_case' }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      migrate: async () => {
        // A dedicated single connection, so the advisory lock and migrations share a session.
        const one = postgres(opts.databaseUrl!, { max: 1, onnotice: () => {} });
        try {
          await one`select pg_advisory_lock(7270010)`;
          await migratePostgres(drizzlePostgres({ client: one, casing: 'snake_case' }), {
            migrationsFolder: MIGRATIONS_FOLDER,
          });
        } finally {
          await one.end({ timeout: 5 });
        }
      },
      close: () => client.end({ timeout: 5 }),
    };
  }
  const inMemory = opts.dataDir === 'memory://';
  if (!inMemory) await mkdir(opts.dataDir, { recursive: true });
  const client = new PGlite(inMemory ? undefined : path.join(opts.dataDir, 'pgdata'));
  const db = drizzlePglite({ client, schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
  };
}

/** PLAUDIT_SECRET, or on the embedded default one generated once and kept in the data folder. */
export async function loadSecret(opts: {
  secret?: string | undefined;
  databaseUrl?: string | undefined;
  dataDir: string;
}) {
  if (opts.secret) return opts.secret;
  if (opts.databaseUrl) {
    throw new Error('PLAUDIT_SECRET is required when DATABASE_URL is set (at least 32 characters).');
  }
  const file = path.join(opts.dataDir, 'secret');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  await mkdir(opts.dataDir, { recursive: true });
  const secret = `${randomToken()}${randomToken()}`;
  await writeFile(file, secret, { mode: 0o600 });
  await chmod(file, 0o600);
  return secret;
}
