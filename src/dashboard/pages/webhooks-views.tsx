import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from '../../modules/webhooks/event-types';
import type { DeliveryRow } from '../../modules/webhooks/record-attempt';
import type { EndpointRow } from '../../modules/webhooks/view';
import { formatInstant, formatInt } from '../format';
import { CsrfField } from '../layout';
import type { DashboardSession } from '../session';

/** What the add-endpoint form sent, kept to show it again next to its errors. */
export interface EndpointDraft {
  url: string;
  events: string[];
  description: string;
}
export const EMPTY_DRAFT: EndpointDraft = { url: '', events: [], description: '' };

/** Field name → message; `form` holds what belongs to no one field. */
export type FormErrors = Partial<Record<'url' | 'events' | 'description' | 'form', string>>;

export const eventsText = (events: string[]) =>
  events.includes(ALL_EVENTS) ? 'All events' : events.join(', ');

export function endpointState(ep: EndpointRow): string {
  if (ep.enabled) return 'Active';
  return ep.disabledReason === 'gone' ? 'Disabled (the receiver answered 410 Gone)' : 'Disabled';
}

/** A delivery whose latest attempt failed, whether it is given up or waiting for a retry. */
export const isFailing = (d: DeliveryRow) =>
  d.status === 'failed' || (d.status === 'pending' && d.attemptCount > 0);

export function deliveryState(d: DeliveryRow): string {
  if (d.status === 'succeeded') return 'Succeeded';
  if (d.status === 'failed') return 'Failed';
  return d.attemptCount > 0 ? 'Retrying' : 'Pending';
}

function lastResponse(d: DeliveryRow): string {
  const last = d.attempts.at(-1);
  if (!last) return '—';
  if (last.statusCode !== null && last.error === null) return `HTTP ${last.statusCode}`;
  return last.error ?? `HTTP ${last.statusCode}`;
}

export function EndpointsTable(props: {
  endpoints: EndpointRow[];
  failing: Map<string, number>;
  tz: string;
}) {
  if (props.endpoints.length === 0) return <p class="muted">No endpoints yet: add one below.</p>;
  return (
    <table>
      <caption>Webhook endpoints</caption>
      <thead>
        <tr>
          <th scope="col">URL</th>
          <th scope="col">Event types</th>
          <th scope="col">State</th>
          <th scope="col" class="num">
            Failing deliveries, last 7 days
          </th>
          <th scope="col">Created</th>
        </tr>
      </thead>
      <tbody>
        {props.endpoints.map((ep) => (
          <tr data-endpoint={ep.id}>
            <td class="url">
              <a href={`/dashboard/webhooks/${ep.id}`}>{ep.url}</a>
              {ep.description && <div class="muted">{ep.description}</div>}
            </td>
            <td>{eventsText(ep.events)}</td>
            <td>{endpointState(ep)}</td>
            <td class="num" data-failing>
              {formatInt(props.failing.get(ep.id) ?? 0)}
            </td>
            <td>{formatInstant(ep.createdAt, props.tz)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ErrorAt({ id, message }: { id: string; message: string | undefined }) {
  return message ? (
    <p class="field-error" id={id}>
      {message}
    </p>
  ) : null;
}

export function EndpointForm(props: { session: DashboardSession; draft: EndpointDraft; errors: FormErrors }) {
  const { draft, errors } = props;
  const checked = (type: string) => draft.events.includes(type);
  return (
    <form method="post" action="/dashboard/webhooks" class="stack" novalidate>
      <CsrfField session={props.session} />
      <ErrorAt id="form-error" message={errors.form} />
      <label for="url">Receiver URL</label>
      <input
        id="url"
        name="url"
        type="url"
        inputmode="url"
        autocomplete="off"
        placeholder="https://shop.example/webhooks/plaudit"
        value={draft.url}
        aria-invalid={errors.url ? 'true' : undefined}
        aria-describedby={errors.url ? 'url-error url-hint' : 'url-hint'}
      />
      <p class="hint" id="url-hint">
        An https URL on a public address. Private, loopback and link-local addresses are refused.
      </p>
      <ErrorAt id="url-error" message={errors.url} />
      <fieldset
        class="checks"
        aria-invalid={errors.events ? 'true' : undefined}
        aria-describedby={errors.events ? 'events-error' : undefined}
      >
        <legend>Event types</legend>
        <ErrorAt id="events-error" message={errors.events} />
        <label for="event-all">
          <input
            id="event-all"
            type="checkbox"
            name="events"
            value={ALL_EVENTS}
            checked={checked(ALL_EVENTS)}
          />
          All event types, including future ones
        </label>
        {WEBHOOK_EVENT_TYPES.map((type) => (
          <label for={`event-${type}`}>
            <input id={`event-${type}`} type="checkbox" name="events" value={type} checked={checked(type)} />
            {type}
          </label>
        ))}
      </fieldset>
      <label for="description">Description (optional)</label>
      <input
        id="description"
        name="description"
        maxlength={500}
        value={draft.description}
        aria-invalid={errors.description ? 'true' : undefined}
        aria-describedby={errors.description ? 'description-error' : undefined}
      />
      <ErrorAt id="description-error" message={errors.description} />
      <button type="submit">Add endpoint</button>
    </form>
  );
}

/** The signing secret, shown on the one page that answers its creation or rotation. */
export function SecretPanel(props: { secret: string; previousUntil?: string | undefined }) {
  return (
    <section class="secret" aria-labelledby="secret-heading">
      <h2 id="secret-heading">Signing secret</h2>
      <p>
        <strong>Copy it now and store it with your receiver: it is shown only this once.</strong> Verify each
        delivery's <code>webhook-signature</code> with it (Standard Webhooks).
      </p>
      {props.previousUntil && (
        <p>The previous secret also signs until {props.previousUntil}, so the receiver can switch over.</p>
      )}
      <label for="secret">Signing secret</label>
      <input
        id="secret"
        class="secret-value"
        readonly
        value={props.secret}
        autocomplete="off"
        spellcheck={false}
      />
    </section>
  );
}

export function DeliveriesTable(props: {
  deliveries: DeliveryRow[];
  endpointId: string;
  canRetry: boolean;
  session: DashboardSession;
  tz: string;
}) {
  if (props.deliveries.length === 0) return <p class="muted">No deliveries to show.</p>;
  return (
    <table>
      <caption>Deliveries, newest event first</caption>
      <thead>
        <tr>
          <th scope="col">Event</th>
          <th scope="col">State</th>
          <th scope="col" class="num">
            Attempts
          </th>
          <th scope="col">Last response</th>
          <th scope="col">Next attempt</th>
          <th scope="col">Queued</th>
          <th scope="col">
            <span class="visually-hidden">Action</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.deliveries.map((d) => (
          <tr data-delivery={d.id}>
            <td>
              {d.eventType}
              <div class="muted small">{d.eventId}</div>
            </td>
            <td>
              <span class={`badge ${d.status}`} data-delivery-state>
                {deliveryState(d)}
              </span>
            </td>
            <td class="num" data-attempts>
              {formatInt(d.attemptCount)}
            </td>
            <td data-last-response>{lastResponse(d)}</td>
            <td>{formatInstant(d.nextAttemptAt, props.tz)}</td>
            <td>{formatInstant(d.createdAt, props.tz)}</td>
            <td>
              {props.canRetry && isFailing(d) && (
                <form
                  method="post"
                  action={`/dashboard/webhooks/${props.endpointId}/deliveries/${d.id}/retry`}
                  class="inline"
                >
                  <CsrfField session={props.session} />
                  <button
                    type="submit"
                    class="secondary small"
                    aria-label={`Retry ${d.eventType} ${d.eventId}`}
                  >
                    Retry
                  </button>
                </form>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
