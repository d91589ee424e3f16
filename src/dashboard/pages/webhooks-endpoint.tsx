import type { Context } from 'hono';
import { ValidationFailed } from '../../lib/errors';
import { listDeliveries } from '../../modules/webhooks/list-deliveries';
import { DeliveryStatus } from '../../modules/webhooks/schemas';
import type { EndpointRow } from '../../modules/webhooks/view';
import { type DashEnv, dashboardContext } from '../context';
import { formatInstant } from '../format';
import { CsrfField, Page } from '../layout';
import { DeliveriesTable, endpointState, eventsText, SecretPanel } from './webhooks-views';

const PER_PAGE = 50;

const FILTERS = [
  { value: '', label: 'All deliveries' },
  { value: 'failed', label: 'Failed only (retries given up)' },
  { value: 'pending', label: 'Pending or retrying' },
  { value: 'succeeded', label: 'Succeeded' },
] as const;

/**
 * One endpoint: its settings and actions, the signing secret when it was just issued, and its
 * delivery log (filtered by status, a page at a time) with a Retry button per failing delivery.
 */
export async function EndpointPage(props: {
  c: Context<DashEnv>;
  endpoint: EndpointRow;
  notice?: { kind: 'ok' | 'error'; text: string } | undefined;
  secret?: string | undefined;
}) {
  const { c, endpoint: ep } = props;
  const session = c.get('session');
  const tz = session.merchant.timezone;
  const filter = DeliveryStatus.safeParse(c.req.query('status'));
  const status = filter.success ? filter.data : undefined;
  const cursor = c.req.method === 'GET' ? c.req.query('cursor') : undefined;
  const query = { endpointId: ep.id, status, limit: PER_PAGE };
  const deliveries = await listDeliveries(dashboardContext(c), { ...query, cursor }).catch((error) => {
    // A stale or edited page link starts again from the newest delivery.
    if (error instanceof ValidationFailed) return listDeliveries(dashboardContext(c), query);
    throw error;
  });
  const base = `/dashboard/webhooks/${ep.id}`;
  const previousUntil =
    ep.previousSecret && ep.previousSecretExpiresAt
      ? formatInstant(ep.previousSecretExpiresAt, tz)
      : undefined;
  const older = deliveries.nextCursor
    ? `${base}?${new URLSearchParams({ ...(status && { status }), cursor: deliveries.nextCursor })}`
    : undefined;

  return (
    <Page title="Webhook endpoint" current="/dashboard/webhooks" session={session} notice={props.notice}>
      <p>
        <a href="/dashboard/webhooks">All endpoints</a>
      </p>
      {props.secret && <SecretPanel secret={props.secret} previousUntil={previousUntil} />}
      <h2>Settings</h2>
      <dl class="details">
        <dt>URL</dt>
        <dd class="url" data-endpoint-url>
          {ep.url}
        </dd>
        <dt>Event types</dt>
        <dd>{eventsText(ep.events)}</dd>
        <dt>State</dt>
        <dd data-endpoint-state>{endpointState(ep)}</dd>
        {ep.description && (
          <>
            <dt>Description</dt>
            <dd>{ep.description}</dd>
          </>
        )}
        <dt>Created</dt>
        <dd>{formatInstant(ep.createdAt, tz)}</dd>
        {previousUntil && !props.secret && (
          <>
            <dt>Previous secret</dt>
            <dd>Also signs until {previousUntil}</dd>
          </>
        )}
      </dl>
      <div class="actions">
        <form method="post" action={`${base}/${ep.enabled ? 'disable' : 'enable'}`} class="inline">
          <CsrfField session={session} />
          <button type="submit" class="secondary">
            {ep.enabled ? 'Disable' : 'Enable'}
          </button>
        </form>
        <form method="post" action={`${base}/rotate-secret`} class="inline">
          <CsrfField session={session} />
          <button
            type="submit"
            class="secondary"
            data-confirm="Issue a new signing secret? The current one keeps signing for 24 hours."
          >
            Rotate secret
          </button>
        </form>
        <form method="post" action={`${base}/delete`} class="inline">
          <CsrfField session={session} />
          <button
            type="submit"
            class="danger"
            data-confirm="Delete this endpoint? Nothing more is sent to it and its pending deliveries fail."
          >
            Delete endpoint
          </button>
        </form>
      </div>
      <h2>Deliveries</h2>
      <form method="get" action={base} class="row filter">
        <div>
          <label for="status">Show</label>
          <select id="status" name="status">
            {FILTERS.map((f) => (
              <option value={f.value} selected={(status ?? '') === f.value}>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="secondary">
          Filter
        </button>
      </form>
      {!ep.enabled && <p class="muted">Retry is unavailable while the endpoint is disabled.</p>}
      <DeliveriesTable
        deliveries={deliveries.data}
        endpointId={ep.id}
        canRetry={ep.enabled}
        session={session}
        tz={tz}
      />
      {older && (
        <p>
          <a href={older}>Older deliveries</a>
        </p>
      )}
    </Page>
  );
}
