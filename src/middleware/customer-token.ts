import type { Context } from 'hono';
import type { AppEnv, Principal } from '../deps';
import { currentTokenKeys } from '../modules/storefront/token-keys';
import { verifyCustomerToken } from '../modules/storefront/verify-token';

/**
 * The customer a storefront request acts for: the verified `sub` of `X-Customer-Token`, which
 * counts only next to a publishable key (a secret key acts for the whole merchant and never
 * needs one). A token that is present but invalid is a 401, wherever it is sent.
 */
export async function customerOf(c: Context<AppEnv>, principal: Principal): Promise<string | undefined> {
  const token = c.req.header('x-customer-token');
  if (token === undefined || principal.kind !== 'publishable') return undefined;
  const { merchant } = principal;
  return verifyCustomerToken({
    token,
    merchant,
    pepper: c.get('deps').config.secret,
    now: c.get('deps').clock.now(),
    refresh: () => currentTokenKeys(c.get('db'), merchant.id),
  });
}
