import postgres from 'postgres';
import type { TestProject } from 'vitest/node';

/**
 * With DATABASE_URL set, each run gets fresh databases named `<prefix>_w<worker>`; they are
 * dropped when the run ends. Without it, every worker migrates its own in-memory PGlite.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (!url) return;
  const prefix = `plaudit_test_${Date.now().toString(36)}_${process.pid}`;
  project.provide('databasePrefix', prefix);
  return async () => {
    const admin = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const dbs = await admin<
        { datname: string }[]
      >`select datname from pg_database where datname like ${`${prefix}%`}`;
      for (const { datname } of dbs) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    } finally {
      await admin.end();
    }
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    databasePrefix: string;
  }
}
