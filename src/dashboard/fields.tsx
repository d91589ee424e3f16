import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import { ApiError, type FieldError, ValidationFailed } from '../lib/errors';
import type { DashEnv } from './context';
import { notFoundPage as sharedNotFound } from './layout';

/** Field errors of one form, by input name. */
export type Errors = Record<string, string>;

/**
 * Maps `{path, message}` errors (from the API schemas or a verb's `ValidationFailed`) to the
 * inputs that show them; `rename` turns a schema path into an input name. Paths no input
 * shows are kept under `''` for the form's summary.
 */
export function errorsAt(list: FieldError[], rename: (path: string) => string = (p) => p): Errors {
  const out: Errors = {};
  for (const e of list) {
    const name = rename(e.path);
    out[name] = out[name] ? `${out[name]}; ${friendly(e.message)}` : friendly(e.message);
  }
  return out;
}

// Zod's messages speak of types; a form speaks of what to type.
function friendly(message: string): string {
  if (/^Invalid input: expected number/.test(message)) return 'must be a number';
  const bound = /^Too (small|big): expected number to be ([<>]=?)(\S+)$/.exec(message);
  if (bound) return `must be ${bound[2]!.startsWith('>') ? 'at least' : 'at most'} ${bound[3]}`;
  if (/^Too small: expected string to have >=1 characters?$/.test(message)) return 'is required';
  return message.replace(/^Invalid input: /, '');
}

/**
 * A verb's refusal as form errors: validation problems at their fields, any other API error
 * as a message for the whole form. Anything else is a bug and is thrown on.
 */
export function refusal(error: unknown): FieldError[] {
  if (error instanceof ValidationFailed) return error.errors;
  if (error instanceof ApiError) return [{ path: '', message: error.message }];
  throw error;
}

/** `''` → undefined; a number when it parses, otherwise the text itself (the schema refuses it). */
export function numberOrBlank(s: string): number | string | undefined {
  if (s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
}

/** Minor units ↔ the decimal amount a marketer types, in the currency's digits. */
export function currencyDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
    2
  );
}

export function toMinor(s: string, currency: string): number | string | undefined {
  if (s === '') return undefined;
  const digits = currencyDigits(currency);
  const m = /^(\d+)(?:[.,](\d+))?$/.exec(s);
  if (!m || (m[2]?.length ?? 0) > digits) return s;
  return Number(m[1]) * 10 ** digits + Number((m[2] ?? '').padEnd(digits, '0') || 0);
}

export function fromMinor(minor: number | null | undefined, currency: string): string {
  if (minor == null) return '';
  const digits = currencyDigits(currency);
  return (minor / 10 ** digits).toFixed(digits);
}

/** The error first, so a screen reader says what is wrong before the hint. */
const ids = (id: string, error?: string, hint?: string) =>
  [error && `${id}-error`, hint && `${id}-hint`].filter(Boolean).join(' ') || undefined;

function After({ id, error, hint }: { id: string; error?: string | undefined; hint?: string | undefined }) {
  return (
    <>
      {hint && (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      )}
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </>
  );
}

interface InputProps {
  id: string;
  name: string;
  label: string;
  value: string;
  error?: string | undefined;
  hint?: string | undefined;
  type?: string;
  step?: string;
  placeholder?: string;
  required?: boolean;
  inputmode?: 'decimal' | 'numeric' | 'email' | 'search' | 'text' | 'url';
  /** Hides the label visually (inside a table row whose header says it). */
  quiet?: boolean;
}

/** A labelled input with its hint and error tied to it (`aria-describedby`). */
export function Input(p: InputProps) {
  return (
    <div class="field">
      <label for={p.id} class={p.quiet ? 'visually-hidden' : undefined}>
        {p.label}
      </label>
      <input
        id={p.id}
        name={p.name}
        type={p.type ?? 'text'}
        step={p.step}
        value={p.value}
        required={p.required}
        placeholder={p.placeholder}
        inputmode={p.inputmode}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={ids(p.id, p.error, p.hint)}
      />
      <After id={p.id} error={p.error} hint={p.hint} />
    </div>
  );
}

export function Select(
  p: Omit<InputProps, 'type' | 'inputmode'> & { options: { value: string; label: string }[] },
) {
  return (
    <div class="field">
      <label for={p.id} class={p.quiet ? 'visually-hidden' : undefined}>
        {p.label}
      </label>
      <select
        id={p.id}
        name={p.name}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={ids(p.id, p.error, p.hint)}
      >
        {p.options.map((o) => (
          <option value={o.value} selected={o.value === p.value}>
            {o.label}
          </option>
        ))}
      </select>
      <After id={p.id} error={p.error} hint={p.hint} />
    </div>
  );
}

/** A labelled multi-line input (JSON, JsonLogic), with its hint and error. */
export function TextArea(p: Omit<InputProps, 'type' | 'inputmode' | 'step'> & { rows?: number }) {
  return (
    <div class="field">
      <label for={p.id}>{p.label}</label>
      <textarea
        id={p.id}
        name={p.name}
        rows={p.rows ?? 6}
        spellcheck={false}
        required={p.required}
        placeholder={p.placeholder}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={ids(p.id, p.error, p.hint)}
      >
        {p.value}
      </textarea>
      <After id={p.id} error={p.error} hint={p.hint} />
    </div>
  );
}

export function Checkbox(p: {
  id: string;
  name: string;
  label: string;
  checked: boolean;
  error?: string | undefined;
  hint?: string | undefined;
}) {
  return (
    <div class="field check">
      <input
        id={p.id}
        name={p.name}
        type="checkbox"
        value="on"
        checked={p.checked}
        aria-invalid={p.error ? 'true' : undefined}
        aria-describedby={ids(p.id, p.error, p.hint)}
      />
      <label for={p.id}>{p.label}</label>
      <After id={p.id} error={p.error} hint={p.hint} />
    </div>
  );
}

/** Errors no input shows (e.g. a conflict), above the form's fields. */
export function FormError({ id, errors }: { id: string; errors: Errors }) {
  return errors[''] ? (
    <p class="field-error" id={`${id}-error`} role="alert">
      {errors['']}
    </p>
  ) : null;
}

export function Fieldset({ legend, children }: { legend: string; children?: Child }) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      {children}
    </fieldset>
  );
}

/** The 404 page for the program and customer pages. */
export function notFoundPage(c: Context<DashEnv>, what: string) {
  return sharedNotFound(c, { children: `No such ${what}.` });
}
