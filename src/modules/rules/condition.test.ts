import { describe, expect, it } from 'vitest';
import { type ConditionData, conditionHolds, MAX_CONDITION_DEPTH, validateCondition } from './condition';

const data = (event: Record<string, unknown> = {}, customer: Partial<ConditionData['customer']> = {}) => ({
  event: { type: 'order.paid', ...event },
  customer: { tier: null, tags: [], ordersCount: 0, lifetimeEarned: 0, ...customer },
});

function nested(depth: number): unknown {
  let node: unknown = { var: 'event.total' };
  for (let i = 1; i < depth; i++) node = { '!': [node] };
  return node;
}

describe('validateCondition accepts', () => {
  it.each([
    ['no condition', null],
    ['a boolean', true],
    ['a comparison', { '>=': [{ var: 'event.total' }, 5000] }],
    [
      'and/or with in',
      { and: [{ in: ['vip', { var: 'customer.tags' }] }, { or: [true, { '!': { var: 'x' } }] }] },
    ],
    ['between', { '<=': [100, { var: 'event.total' }, 1000] }],
    ['if/else', { if: [{ '==': [{ var: 'customer.tier' }, 'Gold'] }, true, false] }],
    ['var with a default', { var: ['event.channel', 'web'] }],
    ['var by index', { '==': [{ var: 1 }, 'x'] }],
    ['some over items', { some: [{ var: 'event.items' }, { '==': [{ var: 'category' }, 'shoes'] }] }],
    [
      'reduce',
      { reduce: [{ var: 'event.items' }, { '+': [{ var: 'current.quantity' }, { var: 'accumulator' }] }, 0] },
    ],
    ['missing_some', { missing_some: [1, ['event.a', 'event.b']] }],
    ['32 levels', nested(MAX_CONDITION_DEPTH)],
  ])('%s', (_, logic) => {
    expect(validateCondition(logic)).toEqual([]);
  });
});

describe('validateCondition refuses, naming the path', () => {
  it.each([
    [
      'an unknown operator',
      { and: [true, { '=>': [{ var: 'event.total' }, 1] }] },
      'condition.and.1.=>',
      'unknown operator "=>"',
    ],
    ['log (side effect)', { log: 'x' }, 'condition.log', 'unknown operator "log"'],
    [
      'a dotted operator name',
      { 'toString.call': [] },
      'condition.toString.call',
      'unknown operator "toString.call"',
    ],
    [
      'a prototype key as operator',
      { __proto__: null, constructor: [] },
      'condition.constructor',
      'unknown operator "constructor"',
    ],
    [
      '__proto__ as sent in JSON',
      JSON.parse('{"__proto__": [1]}'),
      'condition.__proto__',
      'unknown operator "__proto__"',
    ],
    [
      'two operators in one object',
      { and: [{ '>': [1, 0], '<': [0, 1] }] },
      'condition.and.0',
      'found ">", "<"',
    ],
    ['an empty object', { or: [{}] }, 'condition.or.0', 'found none'],
    ['and without an array', { and: { var: 'x' } }, 'condition.and', 'takes an array'],
    [
      'a comparison with 3 arguments',
      { and: [true, { '>=': [1, 2, 3] }] },
      'condition.and.1.>=',
      'takes 2 arguments, got 3',
    ],
    [
      'var with an object path',
      { '==': [{ var: { cat: ['a', 'b'] } }, 1] },
      'condition.==.0.var',
      'must be a string',
    ],
    ['var with a boolean path', { var: true }, 'condition.var', 'must be a string'],
    ['var reaching the prototype', { var: 'event.__proto__.x' }, 'condition.var', 'not allowed'],
    ['var with a negative index', { var: -1 }, 'condition.var', 'an index'],
    [
      'missing_some without a list',
      { missing_some: [1, 'a'] },
      'condition.missing_some.1',
      'array of variable names',
    ],
    ['a top-level string', 'yes', 'condition', 'must be a JsonLogic operation'],
    ['a top-level array', [{ var: 'x' }], 'condition', 'must be a JsonLogic operation'],
    [
      '33 levels',
      nested(MAX_CONDITION_DEPTH + 1),
      `condition${'.!.0'.repeat(MAX_CONDITION_DEPTH)}`,
      'deeper than 32',
    ],
  ])('%s', (_, logic, path, message) => {
    const errors = validateCondition(logic);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe(path);
    expect(errors[0]!.message).toContain(message);
  });

  it('reports every problem, not just the first', () => {
    const errors = validateCondition({ and: [{ foo: 1 }, { bar: 2 }] });
    expect(errors.map((e) => e.path)).toEqual(['condition.and.0.foo', 'condition.and.1.bar']);
  });
});

describe('conditionHolds', () => {
  it('has no condition hold', () => {
    expect(conditionHolds(null, data())).toBe(true);
    expect(conditionHolds(undefined, data())).toBe(true);
  });

  it('compares event and customer facts', () => {
    const logic = {
      and: [{ '>=': [{ var: 'event.total' }, 5000] }, { in: ['vip', { var: 'customer.tags' }] }],
    };
    expect(conditionHolds(logic, data({ total: 5000 }, { tags: ['vip'] }))).toBe(true);
    expect(conditionHolds(logic, data({ total: 4999 }, { tags: ['vip'] }))).toBe(false);
    expect(conditionHolds(logic, data({ total: 9000 }, { tags: [] }))).toBe(false);
  });

  it('sees ordersCount, tier and lifetimeEarned', () => {
    expect(conditionHolds({ '==': [{ var: 'customer.ordersCount' }, 0] }, data())).toBe(true);
    expect(conditionHolds({ '==': [{ var: 'customer.tier' }, 'Gold'] }, data({}, { tier: 'Gold' }))).toBe(
      true,
    );
    expect(
      conditionHolds({ '>': [{ var: 'customer.lifetimeEarned' }, 10] }, data({}, { lifetimeEarned: 5 })),
    ).toBe(false);
  });

  it('uses JsonLogic truthiness: an empty array is false, a non-empty one true', () => {
    expect(conditionHolds({ var: 'event.items' }, data({ items: [] }))).toBe(false);
    expect(conditionHolds({ var: 'event.items' }, data({ items: [1] }))).toBe(true);
    expect(conditionHolds({ var: 'event.channel' }, data())).toBe(false);
  });

  it('looks inside line items', () => {
    const logic = { some: [{ var: 'event.items' }, { '==': [{ var: 'category' }, 'shoes'] }] };
    expect(conditionHolds(logic, data({ items: [{ category: 'hats' }, { category: 'shoes' }] }))).toBe(true);
    expect(conditionHolds(logic, data({ items: [{ category: 'hats' }] }))).toBe(false);
  });

  it('never runs an invalid condition: it does not hold', () => {
    expect(conditionHolds({ log: 'leak' }, data())).toBe(false);
    expect(conditionHolds({ var: 'constructor.constructor' }, data())).toBe(false);
  });
});
