import type { Child } from 'hono/jsx';
import { BUILT_IN_EVENTS } from '../../modules/rules/schemas';
import * as Field from '../fields';
import { CsrfField } from '../layout';
import type { DashboardSession } from '../session';
import type { FormErrors, RuleField, RuleFormValues } from './rules-input';

/** How each field is named on the page (also in error lists). */
export const LABELS: Record<RuleField, string> = {
  name: 'Name',
  event: 'Event',
  customEvent: 'Custom event name',
  rewardType: 'Reward type',
  rewardPoints: 'Points',
  rewardPer: 'Per (minor units)',
  rewardRounding: 'Rounding',
  rewardFactor: 'Factor',
  condition: 'Condition (JsonLogic)',
  priority: 'Priority',
  stackable: 'Stacks with other rules',
  applyTierMultiplier: "Apply the customer's tier multiplier",
  active: 'Active',
  capCount: 'Awards per customer',
  capPeriod: 'Per',
  budget: 'Budget (total points)',
  startsAt: 'Starts at',
  endsAt: 'Ends before',
  pendingDays: 'Pending days',
  sampleEvent: 'Sample event (JSON)',
  sampleCustomer: 'Sample customer facts (JSON, optional)',
};

const OPTIONAL: RuleField[] = [
  'customEvent',
  'capCount',
  'capPeriod',
  'budget',
  'startsAt',
  'endsAt',
  'pendingDays',
];

interface FormProps {
  session: DashboardSession;
  values: RuleFormValues;
  errors: FormErrors;
  /** The saved rule being edited; absent for a new one. */
  ruleId?: string;
  /** The preview trace (or its problems) to show in the preview area. */
  preview?: Child;
}

interface FieldProps {
  name: RuleField;
  values: RuleFormValues;
  errors: FormErrors;
  hint?: string;
}

/** A rule field as the shared form components take it: id and name are the field's name. */
const field = ({ name, values, errors, hint }: FieldProps) => ({
  id: name,
  name,
  label: LABELS[name],
  value: values[name],
  error: errors[name] ? `${LABELS[name]}: ${errors[name].join('; ')}` : undefined,
  hint,
});

const Input = (
  props: FieldProps & { type?: string; step?: string; required?: boolean; placeholder?: string },
) => (
  <Field.Input
    {...field(props)}
    type={props.type}
    step={props.step}
    required={props.required}
    placeholder={props.placeholder}
  />
);

const Select = (props: FieldProps & { options: readonly (readonly [string, string])[] }) => (
  <Field.Select {...field(props)} options={props.options.map(([value, label]) => ({ value, label }))} />
);

const TextArea = (props: FieldProps & { rows?: number }) => (
  <Field.TextArea {...field(props)} rows={props.rows} />
);

const Check = (props: FieldProps) => {
  const { value, ...rest } = field(props);
  return <Field.Checkbox {...rest} checked={value !== ''} />;
};

/**
 * One form for a new rule and for an edit. Its Preview button posts the same fields to the
 * preview route (no script needed); with the script, typing refreshes the preview in place.
 */
export function RuleForm({ session, values, errors, ruleId, preview }: FormProps) {
  const f = { values, errors };
  const events = BUILT_IN_EVENTS.includes(values.event as never) || values.event === '' ? [] : [values.event];
  const failed = (Object.keys(errors) as (RuleField | 'form')[]).filter((k) => errors[k]?.length);
  return (
    <form
      method="post"
      action={ruleId ? `/dashboard/rules/${ruleId}` : '/dashboard/rules'}
      class="stack rule-form"
      novalidate
      data-live-preview="preview"
      data-preview-url="/dashboard/rules/preview"
    >
      <CsrfField session={session} />
      {ruleId && <input type="hidden" name="ruleId" value={ruleId} />}
      {failed.length > 0 && (
        <ul class="error-list" aria-label="Problems to fix">
          {failed.map((k) =>
            k === 'form' ? (
              errors.form!.map((m) => <li>{m}</li>)
            ) : (
              <li>
                <a href={`#${k}`}>{`${LABELS[k]}: ${errors[k]!.join('; ')}`}</a>
              </li>
            ),
          )}
        </ul>
      )}
      <h2>Rule</h2>
      <Input name="name" required {...f} />
      <Select
        name="event"
        hint="The event that triggers the rule."
        options={[...BUILT_IN_EVENTS, ...events].map((e) => [e, e] as const)}
        {...f}
      />
      <fieldset>
        <legend>Reward</legend>
        <Select
          name="rewardType"
          hint="Points and per apply to points per amount; points alone to fixed; factor to a multiplier."
          options={[
            ['points_per_amount', 'Points per amount spent'],
            ['fixed', 'Fixed points'],
            ['multiplier', 'Multiplier of the base points'],
          ]}
          {...f}
        />
        <div class="row">
          <Input name="rewardPoints" type="number" {...f} />
          <Input name="rewardPer" type="number" hint="100 = one unit of currency" {...f} />
          <Select
            name="rewardRounding"
            options={[
              ['floor', 'Down (floor)'],
              ['round', 'Halves up (round)'],
              ['ceil', 'Up (ceil)'],
            ]}
            {...f}
          />
          <Input name="rewardFactor" type="number" step="any" hint="More than 1, e.g. 2 doubles" {...f} />
        </div>
      </fieldset>
      <TextArea
        name="condition"
        hint='JsonLogic over {event, customer: {tier, tags, ordersCount, lifetimeEarned}}, e.g. {">=": [{"var": "event.total"}, 5000]}. Empty: the rule always applies.'
        {...f}
      />
      <div class="row">
        <Input name="priority" type="number" hint="Higher runs first." {...f} />
      </div>
      <Check name="stackable" hint="Unchecked: exclusive, see the API reference." {...f} />
      <Check name="applyTierMultiplier" {...f} />
      <Check name="active" {...f} />
      <details class="more" open={OPTIONAL.some((k) => errors[k] || (values[k] !== '' && k !== 'capPeriod'))}>
        <summary>Limits, schedule, pending days and custom events</summary>
        <Input name="customEvent" hint="A custom event name; it overrides the event chosen above." {...f} />
        <div class="row">
          <Input name="capCount" type="number" hint="Empty: no cap." {...f} />
          <Select
            name="capPeriod"
            options={[
              ['day', 'day'],
              ['week', 'week'],
              ['month', 'month'],
              ['lifetime', 'lifetime'],
            ]}
            {...f}
          />
        </div>
        <Input name="budget" type="number" hint="Total points the rule may ever award. Empty: none." {...f} />
        <div class="row">
          <Input name="startsAt" hint="ISO 8601 with offset, e.g. 2026-06-01T00:00:00+02:00" {...f} />
          <Input name="endsAt" hint="Exclusive; same format." {...f} />
        </div>
        <Input name="pendingDays" type="number" hint="Empty: the program's default." {...f} />
      </details>
      <h2>Preview against a sample event</h2>
      <div class="row preview-inputs">
        <TextArea
          name="sampleEvent"
          rows={9}
          hint={`The event as its endpoint takes it; "type" defaults to the rule's event. Add "customerId" to use a real customer's facts and caps.`}
          {...f}
        />
        <TextArea
          name="sampleCustomer"
          rows={9}
          hint='Override facts, e.g. {"tier": "Gold", "tags": ["vip"], "ordersCount": 3}.'
          {...f}
        />
      </div>
      <button type="submit" class="secondary" formaction="/dashboard/rules/preview" formnovalidate>
        Preview
      </button>
      <div id="preview" aria-live="polite">
        {preview ?? (
          <p class="muted">The preview runs this rule, unsaved, with the other rules; it writes nothing.</p>
        )}
      </div>
      <button type="submit">{ruleId ? 'Save rule' : 'Create rule'}</button>
    </form>
  );
}
