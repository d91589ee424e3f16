import type { Context } from 'hono';
import type { merchants } from '../db/schema';
import type { Config } from './env';
import type { Clock } from './lib/clock';
import type { Db, Executor } from './lib/db';
import type { Logger } from './lib/logger';
import type { KeyResolver } from './modules/api-keys/authenticate';

/** What the app is built from. Each runtime's entry file assembles one. */
export interface Deps {
  /** The database; on Workers a per-request client is passed as the `db` binding instead. */
  db?: Db;
  config: Config;
  clock: Clock;
  logger: Logger;
  /** The caller's network address, as the runtime knows it (socket on Node, CF header on Workers). */
  clientAddress: (c: Context) => string;
  /**
   * Resolves a host name to its addresses, so webhook URLs that resolve to private networks
   * are refused (Node). Unset on Workers: outbound fetches there cannot reach private networks.
   */
  resolveHost?: (host: string) => Promise<string[]>;
}

export type Merchant = typeof merchants.$inferSelect;
export type Scope = 'admin' | 'server';

/** Who is calling. Resolved once per request from the Authorization header. */
export type Principal =
  | { kind: 'operator' }
  | { kind: 'secret'; merchant: Merchant; keyId: string; scopes: Scope[] }
  | { kind: 'publishable'; merchant: Merchant; keyId: string };

export interface AppEnv {
  Bindings: { db?: Db };
  Variables: {
    requestId: string;
    deps: Deps;
    /** The database or, inside an idempotent request, its transaction. */
    db: Executor;
    keys: KeyResolver;
    principal: Principal | undefined;
    /** Set by the storefront token check: the customer the browser acts for. */
    customerId: string | undefined;
  };
}

/** What a verb needs: the executor to run on, the merchant it acts for, time, and who acts. */
export interface VerbContext {
  db: Executor;
  merchant: Merchant;
  clock: Clock;
  logger: Logger;
  actor: string;
  requestId: string | undefined;
}
