import type { Context } from 'hono';
import type { AppEnv, VerbContext } from '../deps';
import type { DashboardSession } from './session';

/** The app's context plus the signed-in dashboard session. */
export interface DashEnv {
  Bindings: AppEnv['Bindings'];
  Variables: AppEnv['Variables'] & { session: DashboardSession };
}

/** Verbs run for the merchant of the session, on the authority of the admin key that opened it. */
export function dashboardContext(c: Context<DashEnv>): VerbContext {
  const session = c.get('session');
  return {
    db: c.get('db'),
    merchant: session.merchant,
    clock: c.get('deps').clock,
    logger: c.get('deps').logger,
    actor: `key:${session.apiKeyId}`,
    requestId: c.get('requestId'),
  };
}

/** A form field as a trimmed string ('' when absent or a file). */
export function field(body: Record<string, unknown>, name: string): string {
  const v = body[name];
  return typeof v === 'string' ? v.trim() : '';
}
