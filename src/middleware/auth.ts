import type { Context, MiddlewareHandler, Next } from 'hono';
import type { AppEnv, Principal } from '../deps';
import { sameSecret } from '../lib/crypto';
import { Forbidden, Unauthorized } from '../lib/errors';
import type { KeyResolver } from '../modules/api-keys/authenticate';
import { customerOf } from './customer-token';

/**
 * Who may call a route. `admin`/`server` are secret-key scopes (an admin key has server rights
 * too); `storefront` is a publishable key with a customer token; `publishable` is a publishable
 * key alone (anonymous visitors: referral link clicks and code lookups).
 */
export type Access = 'operator' | 'admin' | 'server' | 'storefront' | 'publishable';

/**
 * Reads `Authorization: Bearer …` and sets `principal`. Unknown or revoked keys are refused
 * here; whether the principal may use the route is decided by `requireAccess`.
 */
export function resolvePrincipal(keys: KeyResolver): MiddlewareHandler<AppEnv> {
  // Not async: a cached key and no customer token admit the request without a microtask.
  return (c, next) => {
    const header = c.req.header('authorization');
    if (!header) {
      c.set('principal', undefined);
      return next();
    }
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) throw new Unauthorized('Authorization must be `Bearer <key>`.');
    const token = match[1]!;

    if (token.startsWith('sk_') || token.startsWith('pk_')) {
      const cached = keys.cached(token);
      if (cached !== undefined) return admit(c, next, cached);
      return keys.resolve(c.get('db'), token).then((principal) => admit(c, next, principal));
    }
    const { config } = c.get('deps');
    if (!config.adminToken) return admit(c, next, null);
    return sameSecret(config.secret, token, config.adminToken).then((same) =>
      admit(c, next, same ? { kind: 'operator' } : null),
    );
  };
}

function admit(c: Context<AppEnv>, next: Next, principal: Principal | null): Promise<void> {
  if (!principal) throw new Unauthorized('The key is unknown or revoked.');
  c.set('principal', principal);
  // Only a publishable key acts for a customer (customerOf answers undefined for the rest).
  if (principal.kind !== 'publishable') {
    c.set('customerId', undefined);
    return next();
  }
  return customerOf(c, principal).then((customerId) => {
    c.set('customerId', customerId);
    return next();
  });
}

/** Route guard: 401 without credentials, 403 with credentials of the wrong kind or scope. */
export function requireAccess(...allowed: Access[]): MiddlewareHandler<AppEnv> {
  return (c, next) => {
    const p = c.get('principal');
    if (!p) throw new Unauthorized();
    if (!permits(p, allowed, c.get('customerId') !== undefined)) {
      throw new Forbidden(`This route needs ${describe(allowed)}.`);
    }
    return next();
  };
}

function permits(p: Principal, allowed: Access[], hasCustomer: boolean): boolean {
  return allowed.some((a) => {
    switch (a) {
      case 'operator':
        return p.kind === 'operator';
      case 'admin':
        return p.kind === 'secret' && p.scopes.includes('admin');
      case 'server':
        return p.kind === 'secret' && (p.scopes.includes('server') || p.scopes.includes('admin'));
      case 'storefront':
        return p.kind === 'publishable' && hasCustomer;
      case 'publishable':
        return p.kind === 'publishable';
    }
    return false;
  });
}

function describe(allowed: Access[]): string {
  const words: Record<Access, string> = {
    operator: 'the operator token',
    admin: 'a secret key with the admin scope',
    server: 'a secret key',
    storefront: 'a publishable key with a customer token',
    publishable: 'a publishable key',
  };
  return allowed.map((a) => words[a]).join(' or ');
}

/** The merchant of the calling key; only valid after `requireAccess` for a merchant-bound route. */
export function merchantOf(p: Principal | undefined) {
  if (!p || p.kind === 'operator') throw new Forbidden('This route needs a merchant key.');
  return p.merchant;
}
