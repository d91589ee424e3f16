import { z } from 'zod';

const boolean = z
  .enum(['true', 'false', '1', '0'])
  .transform((v) => v === 'true' || v === '1')
  .default(false);

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATABASE_URL: z.string().url().optional(),
  PLAUDIT_DATA_DIR: z.string().default('./.plaudit'),
  PLAUDIT_ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  PLAUDIT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PLAUDIT_JOBS_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  PLAUDIT_ALLOW_PRIVATE_WEBHOOKS: boolean,
  PLAUDIT_RATE_LIMIT_PUBLIC: z.coerce.number().int().min(0).default(600),
  PLAUDIT_RATE_LIMIT_LOOKUP: z.coerce.number().int().min(0).default(60),
  PLAUDIT_RATE_LIMIT_SECRET: z.coerce.number().int().min(0).default(0),
  PLAUDIT_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  PLAUDIT_MAX_IMPORT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .default(50 * 1024 * 1024),
  PLAUDIT_KEY_CACHE_TTL_MS: z.coerce.number().int().min(0).default(5_000),
  PLAUDIT_DB_POOL_SIZE: z.coerce.number().int().min(1).default(20),
  PLAUDIT_PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type Env = z.infer<typeof EnvSchema>;

/** The settings the app runs with; derived once from the environment, never read again. */
export interface Config {
  port: number;
  databaseUrl: string | undefined;
  dataDir: string;
  adminToken: string | undefined;
  secret: string;
  jobsIntervalMs: number;
  allowPrivateWebhooks: boolean;
  rateLimits: { public: number; lookup: number; secret: number };
  maxBodyBytes: number;
  maxImportBytes: number;
  keyCacheTtlMs: number;
  dbPoolSize: number;
  publicUrl: string | undefined;
  logLevel: Env['LOG_LEVEL'];
}

export class EnvError extends Error {
  override name = 'EnvError';
}

/** Validates an environment record (process.env, or a Workers `env`). Pure: reads only its argument. */
export function parseEnv(record: Record<string, unknown>): Env {
  const present = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined && v !== ''));
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

export function toConfig(env: Env, secret: string): Config {
  return {
    port: env.PORT,
    databaseUrl: env.DATABASE_URL,
    dataDir: env.PLAUDIT_DATA_DIR,
    adminToken: env.PLAUDIT_ADMIN_TOKEN,
    secret,
    jobsIntervalMs: env.PLAUDIT_JOBS_INTERVAL_MS,
    allowPrivateWebhooks: env.PLAUDIT_ALLOW_PRIVATE_WEBHOOKS,
    rateLimits: {
      public: env.PLAUDIT_RATE_LIMIT_PUBLIC,
      lookup: env.PLAUDIT_RATE_LIMIT_LOOKUP,
      secret: env.PLAUDIT_RATE_LIMIT_SECRET,
    },
    maxBodyBytes: env.PLAUDIT_MAX_BODY_BYTES,
    maxImportBytes: env.PLAUDIT_MAX_IMPORT_BYTES,
    keyCacheTtlMs: env.PLAUDIT_KEY_CACHE_TTL_MS,
    dbPoolSize: env.PLAUDIT_DB_POOL_SIZE,
    publicUrl: env.PLAUDIT_PUBLIC_URL,
    logLevel: env.LOG_LEVEL,
  };
}
