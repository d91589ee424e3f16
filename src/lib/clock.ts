/** The source of "now". Handlers never call `new Date()` for business time, so tests can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
