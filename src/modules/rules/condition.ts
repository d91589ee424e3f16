import jsonLogic from 'json-logic-js';
import type { FieldError } from '../../lib/errors';

/** What a rule's condition sees. `ordersCount` counts paid orders before the current one. */
export interface ConditionData {
  event: Record<string, unknown>;
  customer: { tier: string | null; tags: string[]; ordersCount: number; lifetimeEarned: number };
}

export const MAX_CONDITION_DEPTH = 32;

interface Arity {
  min: number;
  max: number;
  /** The arguments must be written as an array (no unary shorthand). */
  array?: true;
}

const ANY = Number.POSITIVE_INFINITY;

/**
 * The operators a condition may use: JsonLogic's standard set minus `log` (it writes to the
 * console). Anything else is refused when the rule is saved, so evaluation never meets an
 * operator json-logic-js would reject or resolve through its dotted-name lookup.
 */
const OPERATORS: Record<string, Arity> = {
  '==': { min: 2, max: 2, array: true },
  '===': { min: 2, max: 2, array: true },
  '!=': { min: 2, max: 2, array: true },
  '!==': { min: 2, max: 2, array: true },
  '>': { min: 2, max: 2, array: true },
  '>=': { min: 2, max: 2, array: true },
  '<': { min: 2, max: 3, array: true },
  '<=': { min: 2, max: 3, array: true },
  '!': { min: 1, max: 1 },
  '!!': { min: 1, max: 1 },
  and: { min: 1, max: ANY, array: true },
  or: { min: 1, max: ANY, array: true },
  if: { min: 1, max: ANY, array: true },
  '?:': { min: 1, max: ANY, array: true },
  in: { min: 2, max: 2, array: true },
  cat: { min: 0, max: ANY },
  substr: { min: 2, max: 3, array: true },
  '+': { min: 1, max: ANY },
  '-': { min: 1, max: 2 },
  '*': { min: 1, max: ANY },
  '/': { min: 2, max: 2, array: true },
  '%': { min: 2, max: 2, array: true },
  min: { min: 1, max: ANY },
  max: { min: 1, max: ANY },
  merge: { min: 0, max: ANY },
  map: { min: 2, max: 2, array: true },
  filter: { min: 2, max: 2, array: true },
  reduce: { min: 2, max: 3, array: true },
  all: { min: 2, max: 2, array: true },
  none: { min: 2, max: 2, array: true },
  some: { min: 2, max: 2, array: true },
  missing: { min: 1, max: ANY },
  missing_some: { min: 2, max: 2, array: true },
  var: { min: 0, max: 2 },
};

// A `var` path walks plain properties of the data; these would reach the prototype chain.
const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

type Segment = string | number;
export interface ConditionIssue {
  path: Segment[];
  message: string;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Checks a condition tree without running it. Paths are relative to the condition: an
 * unknown operator `=>` as the second argument of `and` is at `['and', 1, '=>']`.
 */
export function conditionIssues(logic: unknown): ConditionIssue[] {
  const issues: ConditionIssue[] = [];
  if (logic === null || logic === undefined || typeof logic === 'boolean') return issues;
  if (!isPlainObject(logic)) {
    return [
      { path: [], message: 'must be a JsonLogic operation such as {">=": [{"var": "event.total"}, 5000]}' },
    ];
  }
  walk(logic, [], 1, issues);
  return issues;
}

/** `conditionIssues` as field errors under `root` (`condition.and.1.=>`). */
export function validateCondition(logic: unknown, root = 'condition'): FieldError[] {
  return conditionIssues(logic).map((i) => ({ path: [root, ...i.path].join('.'), message: i.message }));
}

function walk(node: unknown, path: Segment[], depth: number, issues: ConditionIssue[]): void {
  if (depth > MAX_CONDITION_DEPTH) {
    issues.push({ path, message: `is nested deeper than ${MAX_CONDITION_DEPTH} levels` });
    return;
  }
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      walk(item, [...path, i], depth + 1, issues);
    });
    return;
  }
  if (!isPlainObject(node)) return; // a literal
  const keys = Object.keys(node);
  if (keys.length !== 1) {
    issues.push({
      path,
      message: `an operation has exactly one operator; found ${keys.length === 0 ? 'none' : keys.map((k) => `"${k}"`).join(', ')}`,
    });
    return;
  }
  const op = keys[0]!;
  const here = [...path, op];
  const arity = Object.hasOwn(OPERATORS, op) ? OPERATORS[op] : undefined;
  if (!arity) {
    issues.push({ path: here, message: `unknown operator "${op}"` });
    return;
  }
  const raw = node[op];
  if (arity.array && !Array.isArray(raw)) {
    issues.push({ path: here, message: `"${op}" takes an array of arguments` });
    return;
  }
  const args = Array.isArray(raw) ? raw : [raw];
  if (args.length < arity.min || args.length > arity.max) {
    const want =
      arity.max === ANY
        ? `at least ${arity.min}`
        : arity.min === arity.max
          ? `${arity.min}`
          : `${arity.min} to ${arity.max}`;
    issues.push({
      path: here,
      message: `"${op}" takes ${want} argument${arity.max === 1 ? '' : 's'}, got ${args.length}`,
    });
    return;
  }
  if (op === 'var') {
    checkVar(args, here, issues);
    if (args.length === 2) walk(args[1], [...here, 1], depth + 1, issues);
    return;
  }
  if (op === 'missing_some' && !Array.isArray(args[1])) {
    issues.push({ path: [...here, 1], message: 'must be an array of variable names' });
  }
  args.forEach((arg, i) => {
    walk(arg, Array.isArray(raw) ? [...here, i] : here, depth + 1, issues);
  });
}

function checkVar(args: unknown[], here: Segment[], issues: ConditionIssue[]) {
  const name = args[0];
  if (name === undefined || name === null) return; // the whole data object
  if (typeof name === 'number') {
    if (!Number.isInteger(name) || name < 0)
      issues.push({ path: here, message: 'a numeric path must be an index' });
    return;
  }
  if (typeof name !== 'string') {
    issues.push({ path: here, message: 'the path must be a string such as "event.total" or a number' });
    return;
  }
  if (name.split('.').some((s) => FORBIDDEN_SEGMENTS.has(s))) {
    issues.push({ path: here, message: `the path "${name}" is not allowed` });
  }
}

const checked = new WeakMap<object, string | null>();

/**
 * Runs a condition and reports whether it holds (JsonLogic truthiness: `[]` is false). A
 * condition that fails validation or throws holds not, with the reason in `error`.
 */
export function runCondition(logic: unknown, data: ConditionData): { holds: boolean; error?: string } {
  if (logic === null || logic === undefined) return { holds: true };
  if (typeof logic === 'boolean') return { holds: logic };
  if (typeof logic !== 'object') return { holds: false, error: 'not a JsonLogic operation' };
  let problem = checked.get(logic);
  if (problem === undefined) {
    const first = validateCondition(logic)[0];
    problem = first ? `${first.path}: ${first.message}` : null;
    checked.set(logic, problem);
  }
  if (problem) return { holds: false, error: problem };
  try {
    return { holds: jsonLogic.truthy(jsonLogic.apply(logic as jsonLogic.RulesLogic, data)) };
  } catch (error) {
    return { holds: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Whether `logic` holds for `data`; an absent condition always holds. */
export function conditionHolds(logic: unknown, data: ConditionData): boolean {
  return runCondition(logic, data).holds;
}
