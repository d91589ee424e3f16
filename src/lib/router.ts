import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ZodError } from 'zod';
import type { AppEnv, VerbContext } from '../deps';
import { merchantOf } from '../middleware/auth';
import { type FieldError, ValidationFailed } from './errors';

/** Every router shares the validation hook, so every 400 has the same shape. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new ValidationFailed(fieldErrors(result.error as ZodError));
    },
  });
}

/** Zod issues as `{path, message}` with dotted paths (`items.0.unitPrice`). */
export function fieldErrors(error: ZodError): FieldError[] {
  return error.issues.flatMap((issue): FieldError[] => {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((k) => ({ path: [...base, k].join('.'), message: 'is not a known field' }));
    }
    const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
    return [{ path: base.join('.') || '(body)', message: missing ? 'is required' : issue.message }];
  });
}

/** The verb context for a merchant-bound request. */
export function verbContext(c: Context<AppEnv>): VerbContext {
  const p = c.get('principal');
  const merchant = merchantOf(p);
  const actor =
    p?.kind === 'secret'
      ? `key:${p.keyId}`
      : c.get('customerId') !== undefined
        ? `customer:${c.get('customerId')}`
        : `key:${p?.kind === 'publishable' ? p.keyId : 'unknown'}`;
  return {
    db: c.get('db'),
    merchant,
    clock: c.get('deps').clock,
    logger: c.get('deps').logger,
    actor,
    requestId: c.get('requestId'),
  };
}
