import { describe, expect, it } from 'vitest';
import { GIVE_UP_AFTER_MS, nextState, RETRY_CAP_MS, retryDelayMs } from './retry-policy';

describe('retryDelayMs (full jitter)', () => {
  it('is at most 30 s doubling per failure, capped at 1 h', () => {
    const max = (n: number) => retryDelayMs(n, () => 0.999_999_9);
    expect(max(1)).toBe(29_999);
    expect(max(2)).toBe(59_999);
    expect(max(3)).toBe(119_999);
    expect(max(8)).toBe(RETRY_CAP_MS - 1);
    expect(max(50)).toBe(RETRY_CAP_MS - 1);
  });

  it('is at least one second, so a retry never lands in the same instant', () => {
    expect(retryDelayMs(1, () => 0)).toBe(1000);
    expect(retryDelayMs(10, () => 0)).toBe(1000);
  });
});

describe('nextState', () => {
  const first = new Date('2026-01-01T00:00:00Z');
  const at = (ms: number) => new Date(first.getTime() + ms);

  it('ends on success, on 410 and when there is nowhere to send', () => {
    expect(nextState('succeeded', at(0), first, 1)).toEqual({ status: 'succeeded', nextAttemptAt: null });
    expect(nextState('gone', at(0), first, 1)).toEqual({ status: 'failed', nextAttemptAt: null });
    expect(nextState('dropped', at(0), first, 1)).toEqual({ status: 'failed', nextAttemptAt: null });
  });

  it('retries a failure until a day has passed since the first attempt', () => {
    const retry = nextState('failed', at(GIVE_UP_AFTER_MS - 1), first, 40, () => 0.5);
    expect(retry).toEqual({ status: 'pending', nextAttemptAt: at(GIVE_UP_AFTER_MS - 1 + RETRY_CAP_MS / 2) });
    expect(nextState('failed', at(GIVE_UP_AFTER_MS), first, 41)).toEqual({
      status: 'failed',
      nextAttemptAt: null,
    });
  });
});
