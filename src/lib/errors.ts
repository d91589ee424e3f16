/** One entry of a validation problem: a dotted path (`items.0.unitPrice`) and what is wrong. */
export interface FieldError {
  path: string;
  message: string;
}

/**
 * An error the API answers with a problem+json body. `type` is a stable slug served at
 * `/problems/{type}`; `extra` members are merged into the body (e.g. `available`, `needed`).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly title: string,
    detail?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail ?? title);
  }
}

export class ValidationFailed extends ApiError {
  constructor(
    readonly errors: FieldError[],
    detail = 'The request is not valid; see `errors` for each field.',
  ) {
    super(400, 'validation-failed', 'Validation failed', detail, { errors });
  }
}

export class MalformedRequest extends ApiError {
  constructor(detail: string) {
    super(400, 'malformed-request', 'Malformed request', detail);
  }
}

export class Unauthorized extends ApiError {
  constructor(detail = 'Missing or invalid credentials.') {
    super(401, 'unauthorized', 'Unauthorized', detail);
  }
}

export class Forbidden extends ApiError {
  constructor(detail = 'These credentials may not use this route.') {
    super(403, 'forbidden', 'Forbidden', detail);
  }
}

export class NotFound extends ApiError {
  constructor(what = 'resource') {
    super(404, 'not-found', 'Not found', `No such ${what}.`);
  }
}

export class Conflict extends ApiError {
  constructor(detail: string, extra: Record<string, unknown> = {}) {
    super(409, 'conflict', 'Conflict', detail, extra);
  }
}

/** A lifecycle step that already happened or cannot happen now. */
export class InvalidState extends ApiError {
  constructor(what: string, status: string, detail?: string) {
    super(409, 'invalid-state', 'Invalid state', detail ?? `The ${what} is ${status}.`, {
      currentStatus: status,
    });
  }
}

export class InsufficientPoints extends ApiError {
  constructor(available: number, needed: number) {
    super(
      409,
      'insufficient-points',
      'Insufficient points',
      `Needs ${needed} points; ${available} available.`,
      {
        available,
        needed,
      },
    );
  }
}

/** The reward cannot be redeemed now: inactive, deleted, or outside its active window. */
export class RewardUnavailable extends ApiError {
  constructor(detail: string) {
    super(409, 'reward-unavailable', 'Reward unavailable', detail);
  }
}

/** The reward's stock (or its pool of uploaded codes) is used up. */
export class OutOfStock extends ApiError {
  constructor() {
    super(409, 'out-of-stock', 'Out of stock', 'The reward is out of stock.');
  }
}

/** The customer already holds as many redemptions of this reward as it allows. */
export class LimitReached extends ApiError {
  constructor(limit: number) {
    super(409, 'limit-reached', 'Limit reached', `The reward allows ${limit} per customer.`, { limit });
  }
}

/** The reward needs a higher tier than the customer's. */
export class TierRequired extends ApiError {
  constructor(requiredTier: string, currentTier: string | null) {
    super(409, 'tier-required', 'Tier required', `The reward needs tier ${requiredTier} or higher.`, {
      requiredTier,
      currentTier,
    });
  }
}

/** The merchant has not allowed customers to redeem from the storefront (`storefrontRedemption`). */
export class StorefrontRedemptionDisabled extends ApiError {
  constructor() {
    super(
      403,
      'storefront-redemption-disabled',
      'Storefront redemption disabled',
      'This shop does not let customers redeem rewards from the storefront.',
    );
  }
}

export class IdempotencyKeyInFlight extends ApiError {
  constructor() {
    super(
      409,
      'idempotency-key-in-flight',
      'Request in flight',
      'A request with this Idempotency-Key is still being processed; retry later.',
    );
  }
}

export class IdempotencyKeyReused extends ApiError {
  constructor() {
    super(
      422,
      'idempotency-key-reused',
      'Idempotency-Key reused',
      'This Idempotency-Key was used with a different request.',
    );
  }
}

export class PayloadTooLarge extends ApiError {
  constructor(limit: number) {
    super(413, 'payload-too-large', 'Payload too large', `Request bodies are limited to ${limit} bytes.`);
  }
}

export class RateLimited extends ApiError {
  constructor(retryAfterSeconds: number) {
    super(429, 'rate-limited', 'Too many requests', `Retry after ${retryAfterSeconds} seconds.`);
  }
}

export class ServiceUnavailable extends ApiError {
  constructor(detail = 'The service is temporarily unavailable; retry shortly.') {
    super(503, 'service-unavailable', 'Service unavailable', detail);
  }
}

/** Descriptions served at `/problems/{type}`, so every `type` URI resolves to documentation. */
export const problemTypes: Record<string, string> = {
  'validation-failed': 'The request body, path or query did not match the schema. `errors` lists each field.',
  'malformed-request': 'The body is not valid JSON, or the request cannot be parsed.',
  unauthorized: 'The Authorization header is missing, malformed, revoked or unknown.',
  forbidden: 'The credentials are valid but lack the scope this route needs.',
  'not-found': 'The object does not exist for this merchant.',
  conflict: 'The id was already used with different content, or the change conflicts with existing data.',
  'invalid-state':
    'The lifecycle step already happened or cannot happen in the current status (`currentStatus`).',
  'insufficient-points': 'The available balance does not cover the cost (`available`, `needed`).',
  'reward-unavailable': 'The reward is inactive, deleted, or outside its active window.',
  'out-of-stock': 'The reward has no stock (or no uploaded codes) left.',
  'limit-reached': "The customer reached the reward's per-customer limit (`limit`).",
  'tier-required': 'The reward needs a higher tier (`requiredTier`; the customer has `currentTier`).',
  'storefront-redemption-disabled':
    'The merchant setting `storefrontRedemption` is off: rewards are redeemed by the shop backend only.',
  'idempotency-key-in-flight': 'A request with the same Idempotency-Key is still running.',
  'idempotency-key-reused': 'The Idempotency-Key was first used with a different method, path or body.',
  'payload-too-large': 'The request body exceeds the configured limit.',
  'rate-limited': 'Too many requests in the current window; see Retry-After.',
  'service-unavailable': 'The database is unreachable or overloaded; retry with backoff.',
  'http-error': 'The HTTP layer refused the request before it reached a route; `status` says why.',
  internal: 'An unexpected error. It was logged with the request id.',
};
