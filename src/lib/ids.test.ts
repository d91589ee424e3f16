import { describe, expect, it } from 'vitest';
import { idPrefixes, newId } from './ids';

describe('newId', () => {
  it.each(Object.entries(idPrefixes))(
    'mints %s ids as `%s_` + 25 lower-case base-36 characters',
    (kind, prefix) => {
      expect(newId(kind as keyof typeof idPrefixes)).toMatch(new RegExp(`^${prefix}_[0-9a-z]{25}$`));
    },
  );

  it('never reuses a prefix for two kinds of object', () => {
    const prefixes = Object.values(idPrefixes);
    expect(new Set(prefixes).size).toBe(prefixes.length);
  });

  it('sorts by creation time as plain strings, across digit carries and decades', () => {
    const times = [
      0,
      1,
      35,
      36,
      1295,
      1296,
      Date.UTC(2001, 0, 1),
      Date.UTC(2025, 5, 1),
      Date.UTC(2099, 0, 1),
    ];
    const ids = times.map((ms) => newId('entry', new Date(ms)));
    // Minted in reverse so that generation order cannot explain the result.
    const reversed = [...times].reverse().map((ms) => newId('entry', new Date(ms)));
    expect([...ids].sort()).toEqual(ids);
    expect([...reversed].sort()).toEqual([...reversed].reverse());
  });

  it('orders ids minted within the same millisecond by the order they were minted', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const ids = Array.from({ length: 500 }, () => newId('audit', now));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps the random part random across milliseconds: no two ids collide', () => {
    const ids = new Set(
      Array.from({ length: 2000 }, (_, i) => newId('event', new Date(1_700_000_000_000 + (i % 7)))),
    );
    expect(ids.size).toBe(2000);
  });
});
