/** Retry schedule of a delivery: exponential backoff with full jitter, for about a day. */
export const RETRY_BASE_MS = 30_000;
export const RETRY_CAP_MS = 3600_000;
export const GIVE_UP_AFTER_MS = 24 * 3600_000;
/** A claimed delivery is not due again for this long, so a runner that died mid-send is retried. */
export const LEASE_MS = 60_000;

/**
 * The wait after the n-th failed attempt: uniform in [1 s, min(1 h, 30 s × 2^(n−1))] ("full
 * jitter"), so endpoints that failed together do not get retried in lockstep.
 */
export function retryDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, Math.min(failedAttempts - 1, 20)));
  return Math.max(1000, Math.floor(random() * ceiling));
}

/** `gone`: the receiver answered 410. `dropped`: nothing to send to (endpoint disabled, event gone). */
export type AttemptOutcome = 'succeeded' | 'gone' | 'dropped' | 'failed';

/**
 * The delivery's state after an attempt. Success ends it; 410 ends it (and disables the
 * endpoint), as does having nowhere to send; any other failure is retried until a day has passed since the first attempt.
 */
export function nextState(
  outcome: AttemptOutcome,
  at: Date,
  firstAttemptAt: Date,
  failedAttempts: number,
  random?: () => number,
): { status: 'pending' | 'succeeded' | 'failed'; nextAttemptAt: Date | null } {
  if (outcome === 'succeeded') return { status: 'succeeded', nextAttemptAt: null };
  if (
    outcome === 'gone' ||
    outcome === 'dropped' ||
    at.getTime() - firstAttemptAt.getTime() >= GIVE_UP_AFTER_MS
  ) {
    return { status: 'failed', nextAttemptAt: null };
  }
  return { status: 'pending', nextAttemptAt: new Date(at.getTime() + retryDelayMs(failedAttempts, random)) };
}
