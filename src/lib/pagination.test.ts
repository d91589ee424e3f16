import { describe, expect, it } from 'vitest';
import { ValidationFailed } from './errors';
import { decodeCursor, encodeCursor, PageQuery, page } from './pagination';

function rejection(cursor: string, arity: number): ValidationFailed {
  try {
    decodeCursor(cursor, arity);
  } catch (error) {
    return error as ValidationFailed;
  }
  throw new Error(`cursor ${JSON.stringify(cursor)} was accepted`);
}

describe('cursors', () => {
  it.each([
    [['cus_1001']],
    [['2030-01-01T00:00:00.000Z', 'ent_0abcDEF']],
    [[42, 'x']],
    [['ünïcödé ✓', '/+=?&']],
  ])('round-trips %j', (key) => {
    expect(decodeCursor(encodeCursor(key), key.length)).toEqual(key);
  });

  it('are URL-safe, so they can go in a query string unescaped', () => {
    const cursor = encodeCursor(['>>>???~~~', 'ÿÿÿ']);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('decodes an absent cursor as the first page', () => {
    expect(decodeCursor(undefined, 1)).toBeUndefined();
  });

  it.each([
    ['not base64', '!!!'],
    ['base64 of text that is not JSON', btoa('hello')],
    ['a JSON object', btoa('{"id":"x"}')],
    ['a JSON string', btoa('"x"')],
    ['a key of the wrong length', encodeCursor(['a', 'b'])],
    ['a key with a nested value', btoa('[["a"]]')],
    ['a key with null', btoa('[null]')],
    ['the empty string', ''],
  ])('refuses %s as a validation error naming `cursor`', (_label, cursor) => {
    const error = rejection(cursor, 1);
    expect(error).toBeInstanceOf(ValidationFailed);
    expect(error.status).toBe(400);
    expect(error.errors).toEqual([{ path: 'cursor', message: expect.any(String) }]);
  });
});

describe('page', () => {
  const rows = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];

  it('given limit + 1 rows, returns limit rows and the cursor of the last one', () => {
    const result = page(rows, 2, (r) => [r.id]);
    expect(result.data).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(decodeCursor(result.nextCursor!, 1)).toEqual(['b']);
  });

  it('has no next cursor on the last page', () => {
    expect(page(rows, 3, (r) => [r.id]).nextCursor).toBeNull();
    expect(page([], 3, (r: { id: string }) => [r.id])).toEqual({ data: [], nextCursor: null });
  });
});

describe('PageQuery', () => {
  it('defaults the limit to 20 and coerces the query string', () => {
    expect(PageQuery.parse({})).toEqual({ limit: 20 });
    expect(PageQuery.parse({ limit: '100' }).limit).toBe(100);
  });

  it.each(['0', '101', '2.5', 'ten'])('refuses limit=%s', (limit) => {
    expect(PageQuery.safeParse({ limit }).success).toBe(false);
  });
});
