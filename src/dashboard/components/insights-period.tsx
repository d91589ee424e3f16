import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError, type FieldError, ValidationFailed } from '../../lib/errors';
import { fieldErrors } from '../../lib/router';
import type { DashEnv } from '../context';
import { Page } from '../layout';

/** The filter as the user typed it (kept on the page, also when it is invalid). */
export type PeriodValues = { from: string; to: string; interval?: string };

const INTERVALS = [
  ['day', 'Day'],
  ['week', 'Week'],
  ['month', 'Month'],
] as const;

/**
 * The period filter of a report page, validated with the API's own query schema. Empty fields
 * mean "not given", as the API's absent parameters do.
 */
export function readPeriod<S extends z.ZodType>(
  c: Context<DashEnv>,
  schema: S,
  withInterval: boolean,
): { values: PeriodValues } & ({ query: z.infer<S> } | { errors: FieldError[] }) {
  const raw = c.req.query();
  const values: PeriodValues = { from: (raw.from ?? '').trim(), to: (raw.to ?? '').trim() };
  if (withInterval) values.interval = (raw.interval ?? '').trim();
  const given = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(given);
  return parsed.success ? { values, query: parsed.data } : { values, errors: fieldErrors(parsed.error) };
}

/** GET form over from/to (and the series interval), errors shown at their field. */
export function PeriodFilter(props: { action: string; values: PeriodValues; errors?: FieldError[] }) {
  const errorOf = (name: string) =>
    props.errors
      ?.filter((e) => e.path === name)
      .map((e) => e.message)
      .join('; ') || undefined;
  const dateField = (name: 'from' | 'to', label: string) => {
    const error = errorOf(name);
    const value = props.values[name];
    // A date picker cannot show a value it does not understand: keep a bad value visible as text.
    const type = value === '' || /^\d{4}-\d{2}-\d{2}$/.test(value) ? 'date' : 'text';
    return (
      <div>
        <label for={`period-${name}`}>{label}</label>
        <input
          id={`period-${name}`}
          name={name}
          type={type}
          value={value}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={error ? `period-${name}-error` : `period-${name}-hint`}
        />
        {error ? (
          <p class="field-error" id={`period-${name}-error`}>
            {`${label} ${error}`}
          </p>
        ) : (
          <p class="hint muted" id={`period-${name}-hint`}>
            {name === 'from' ? 'Inclusive; empty for no start' : 'Inclusive; empty for no end'}
          </p>
        )}
      </div>
    );
  };
  const intervalError = errorOf('interval');
  return (
    <form method="get" action={props.action} class="filters" aria-label="Period">
      {dateField('from', 'From')}
      {dateField('to', 'To')}
      {props.values.interval !== undefined && (
        <div>
          <label for="period-interval">Interval</label>
          <select
            id="period-interval"
            name="interval"
            aria-invalid={intervalError ? 'true' : undefined}
            aria-describedby={intervalError ? 'period-interval-error' : undefined}
          >
            {INTERVALS.map(([value, label]) => (
              <option value={value} selected={(props.values.interval || 'month') === value}>
                {label}
              </option>
            ))}
          </select>
          {intervalError && (
            <p class="field-error" id="period-interval-error">
              {`Interval ${intervalError}`}
            </p>
          )}
        </div>
      )}
      <div>
        <button type="submit">Apply</button> <a href={props.action}>All time</a>
      </div>
    </form>
  );
}

/** A report page whose period could not be used: the filter with its errors, and no figures. */
export function invalidPeriodPage(
  c: Context<DashEnv>,
  page: { title: string; path: string },
  values: PeriodValues,
  error: unknown,
) {
  if (!(error instanceof ApiError)) throw error;
  const errors = error instanceof ValidationFailed ? error.errors : [];
  const status = error instanceof ValidationFailed ? 422 : (error.status as 400 | 404 | 409 | 422);
  return c.html(
    <Page
      title={page.title}
      current={page.path}
      session={c.get('session')}
      notice={{
        kind: 'error',
        text: errors.length > 0 ? 'The period is not valid; see the fields below.' : error.message,
      }}
    >
      <PeriodFilter action={page.path} values={values} errors={errors} />
    </Page>,
    status,
  );
}
