import type { ZodType } from 'zod';
import type { FieldError } from '../../lib/errors';
import { fieldErrors } from '../../lib/router';
import type { EarningRuleRow } from '../../modules/rules/evaluate';
import { PreviewInput } from '../../modules/rules/schemas';
import { field } from '../context';

/** The rule form's fields, by input name. Checkboxes hold 'on' or ''. */
export const RULE_FIELDS = [
  'name',
  'event',
  'customEvent',
  'rewardType',
  'rewardPoints',
  'rewardPer',
  'rewardRounding',
  'rewardFactor',
  'condition',
  'priority',
  'stackable',
  'applyTierMultiplier',
  'active',
  'capCount',
  'capPeriod',
  'budget',
  'startsAt',
  'endsAt',
  'pendingDays',
  'sampleEvent',
  'sampleCustomer',
] as const;
export type RuleField = (typeof RULE_FIELDS)[number];
export type RuleFormValues = Record<RuleField, string>;
/** Messages per form field; `form` collects what belongs to no single field. */
export type FormErrors = Partial<Record<RuleField | 'form', string[]>>;

const pretty = (v: unknown) => JSON.stringify(v, null, 2);

/** A sample the preview can run at once: an order for order.paid, else an empty event of the rule's type. */
export function sampleEventFor(event: string, currency: string): string {
  if (event !== 'order.paid') return '{}';
  return pretty({
    total: 5400,
    currency,
    items: [{ sku: 'TEA-01', quantity: 2, unitPrice: 2700 }],
    customer: { email: 'sample@example.com' },
  });
}

export function newRuleValues(currency: string): RuleFormValues {
  return {
    ...blank(),
    event: 'order.paid',
    rewardType: 'points_per_amount',
    rewardPoints: '1',
    rewardPer: '100',
    rewardRounding: 'floor',
    priority: '0',
    stackable: 'on',
    applyTierMultiplier: 'on',
    active: 'on',
    capPeriod: 'day',
    sampleEvent: sampleEventFor('order.paid', currency),
  };
}

export function ruleValues(rule: EarningRuleRow, currency: string): RuleFormValues {
  const r = rule.reward;
  const cap = rule.limits?.perCustomer;
  return {
    ...blank(),
    name: rule.name,
    event: rule.event,
    rewardType: r.type,
    rewardPoints: r.type === 'multiplier' ? '' : String(r.points),
    rewardPer: r.type === 'points_per_amount' ? String(r.per) : '',
    rewardRounding: r.type === 'points_per_amount' ? (r.rounding ?? 'floor') : 'floor',
    rewardFactor: r.type === 'multiplier' ? String(r.factor) : '',
    condition: rule.condition == null ? '' : pretty(rule.condition),
    priority: String(rule.priority),
    stackable: rule.stackable ? 'on' : '',
    applyTierMultiplier: rule.applyTierMultiplier ? 'on' : '',
    active: rule.active ? 'on' : '',
    capCount: cap ? String(cap.count) : '',
    capPeriod: cap?.period ?? 'day',
    budget: rule.limits?.budget !== undefined ? String(rule.limits.budget) : '',
    startsAt: rule.startsAt?.toISOString() ?? '',
    endsAt: rule.endsAt?.toISOString() ?? '',
    pendingDays: rule.pendingDays === null ? '' : String(rule.pendingDays),
    sampleEvent: sampleEventFor(rule.event, currency),
  };
}

/** The posted form as the raw strings the user typed (kept as-is when the form is shown again). */
export function readRuleForm(body: Record<string, unknown>): RuleFormValues {
  const values = blank();
  for (const name of RULE_FIELDS) values[name] = field(body, name);
  return values;
}

function blank(): RuleFormValues {
  return Object.fromEntries(RULE_FIELDS.map((f) => [f, ''])) as RuleFormValues;
}

/** A JSON text or the reason it is not JSON, with the line and column when the parser gives a position. */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    if (!position) return { ok: false, reason: message };
    const before = text.slice(0, Number(position[1]));
    const line = before.split('\n').length;
    const column = before.length - before.lastIndexOf('\n');
    return { ok: false, reason: `${message} (line ${line}, column ${column})` };
  }
}

/**
 * The API's rule input built from the form, validated with the API's own schema (so the
 * condition goes through the same JsonLogic checks). Blank optional fields are `null`
 * (cleared); reward fields the chosen reward type does not take are left out.
 */
export function parseRuleForm<T>(
  v: RuleFormValues,
  schema: ZodType<T>,
): { ok: true; input: T } | { ok: false; errors: FormErrors } {
  const own: FieldError[] = [];
  const num = (name: RuleField, path: string): number | undefined => {
    if (v[name] === '') return undefined;
    const n = Number(v[name]);
    if (Number.isFinite(n)) return n;
    own.push({ path, message: 'must be a number' });
    return undefined;
  };
  const reward =
    v.rewardType === 'points_per_amount'
      ? {
          type: v.rewardType,
          points: num('rewardPoints', 'reward.points'),
          per: num('rewardPer', 'reward.per'),
          rounding: v.rewardRounding || undefined,
        }
      : v.rewardType === 'fixed'
        ? { type: v.rewardType, points: num('rewardPoints', 'reward.points') }
        : { type: v.rewardType, factor: num('rewardFactor', 'reward.factor') };
  let condition: unknown = null;
  if (v.condition !== '') {
    const parsed = parseJson(v.condition);
    if (parsed.ok) condition = parsed.value;
    else {
      own.push({ path: 'condition', message: `is not valid JSON: ${parsed.reason}` });
      condition = undefined;
    }
  }
  const capCount = num('capCount', 'limits.perCustomer.count');
  const budget = num('budget', 'limits.budget');
  const limits =
    capCount === undefined && budget === undefined
      ? null
      : {
          ...(capCount !== undefined && { perCustomer: { count: capCount, period: v.capPeriod } }),
          ...(budget !== undefined && { budget }),
        };
  const input = {
    name: v.name,
    event: v.customEvent || v.event,
    reward,
    condition,
    limits,
    startsAt: v.startsAt || null,
    endsAt: v.endsAt || null,
    priority: num('priority', 'priority'),
    stackable: v.stackable !== '',
    pendingDays: v.pendingDays === '' ? null : num('pendingDays', 'pendingDays'),
    applyTierMultiplier: v.applyTierMultiplier !== '',
    active: v.active !== '',
  };
  const result = schema.safeParse(input);
  const errors = [...own, ...(result.success ? [] : fieldErrors(result.error))];
  if (result.success && errors.length === 0) return { ok: true, input: result.data };
  return { ok: false, errors: toFormErrors(errors, v.customEvent !== '') };
}

/** The sample event and customer facts as the preview verb's input, checked by its schema. */
export function parsePreviewForm(
  v: RuleFormValues,
  ruleEvent: string,
): { ok: true; input: PreviewInput } | { ok: false; errors: FormErrors } {
  const errors: FormErrors = {};
  const event = parseJson(v.sampleEvent || '{}');
  if (!event.ok) errors.sampleEvent = [`is not valid JSON: ${event.reason}`];
  const customer =
    v.sampleCustomer === '' ? { ok: true as const, value: undefined } : parseJson(v.sampleCustomer);
  if (!customer.ok) errors.sampleCustomer = [`is not valid JSON: ${customer.reason}`];
  if (!event.ok || !customer.ok) return { ok: false, errors };
  // The event's type defaults to the rule's, so one sample serves while the event is chosen.
  const sample =
    event.value && typeof event.value === 'object' && !Array.isArray(event.value)
      ? { type: ruleEvent, ...event.value }
      : event.value;
  const result = PreviewInput.safeParse({ event: sample, customer: customer.value });
  if (result.success) return { ok: true, input: result.data };
  for (const e of fieldErrors(result.error)) {
    const [root, ...rest] = e.path.split('.');
    const name: RuleField = root === 'customer' ? 'sampleCustomer' : 'sampleEvent';
    const at =
      rest.length > 0 ? `${rest.join('.')}: ` : root === 'event' || root === 'customer' ? '' : `${e.path}: `;
    addError(errors, name, `${at}${e.message}`);
  }
  return { ok: false, errors };
}

function addError(errors: FormErrors, name: RuleField | 'form', message: string): void {
  const list = errors[name] ?? [];
  if (!list.includes(message)) list.push(message);
  errors[name] = list;
}

const DIRECT: Record<string, RuleField> = {
  name: 'name',
  event: 'event',
  reward: 'rewardType',
  'reward.type': 'rewardType',
  'reward.points': 'rewardPoints',
  'reward.per': 'rewardPer',
  'reward.rounding': 'rewardRounding',
  'reward.factor': 'rewardFactor',
  priority: 'priority',
  stackable: 'stackable',
  applyTierMultiplier: 'applyTierMultiplier',
  active: 'active',
  limits: 'capCount',
  'limits.perCustomer': 'capCount',
  'limits.perCustomer.count': 'capCount',
  'limits.perCustomer.period': 'capPeriod',
  'limits.budget': 'budget',
  startsAt: 'startsAt',
  endsAt: 'endsAt',
  pendingDays: 'pendingDays',
};

/** API error paths (`condition.and.1.=>`, `reward.per`) placed at the form field that holds them. */
export function toFormErrors(errors: FieldError[], customEvent = false): FormErrors {
  const out: FormErrors = {};
  for (const e of errors) {
    let name: RuleField | 'form' | undefined = DIRECT[e.path];
    let message = e.message;
    if (e.path === 'condition' || e.path.startsWith('condition.')) {
      name = 'condition';
      const inner = e.path.slice('condition.'.length);
      if (inner && e.path !== 'condition') message = `at ${inner}: ${message}`;
    }
    if (name === 'event' && customEvent) name = 'customEvent';
    if (!name) {
      name = 'form';
      message = `${e.path}: ${message}`;
    }
    addError(out, name, message);
  }
  return out;
}
