import { type Context, Hono } from 'hono';
import { ApiError, type FieldError, InvalidState, NotFound, ValidationFailed } from '../../lib/errors';
import { fieldErrors } from '../../lib/router';
import { createEndpoint } from '../../modules/webhooks/create-endpoint';
import { deleteEndpoint } from '../../modules/webhooks/delete-endpoint';
import { countFailingDeliveries } from '../../modules/webhooks/failing-counts';
import { getEndpoint } from '../../modules/webhooks/get-endpoint';
import { listEndpoints } from '../../modules/webhooks/list-endpoints';
import { retryDelivery } from '../../modules/webhooks/retry-delivery';
import { rotateSecret } from '../../modules/webhooks/rotate-secret';
import { CreateEndpointInput } from '../../modules/webhooks/schemas';
import { urlPolicyOf } from '../../modules/webhooks/ssrf';
import { updateEndpoint } from '../../modules/webhooks/update-endpoint';
import type { EndpointRow } from '../../modules/webhooks/view';
import { type DashEnv, dashboardContext } from '../context';
import { notFoundPage, Page } from '../layout';
import { EndpointPage } from './webhooks-endpoint';
import {
  EMPTY_DRAFT,
  type EndpointDraft,
  EndpointForm,
  EndpointsTable,
  type FormErrors,
} from './webhooks-views';

type C = Context<DashEnv>;
type Notice = { kind: 'ok' | 'error'; text: string };

const FAILING_WINDOW_MS = 7 * 86_400_000;

// Notices travel as fixed keys in the redirect, never as text, so a link cannot put words on the page.
const NOTICES: Record<string, Notice> = {
  deleted: {
    kind: 'ok',
    text: 'The endpoint was deleted: nothing more is sent to it and its pending deliveries failed.',
  },
  enabled: { kind: 'ok', text: 'The endpoint is enabled. It receives events created from now on.' },
  disabled: {
    kind: 'ok',
    text: 'The endpoint is disabled: its pending deliveries failed and nothing more is sent to it.',
  },
  'retry-succeeded': { kind: 'ok', text: 'The delivery was sent again and the receiver accepted it.' },
  'retry-refused': { kind: 'error', text: 'The endpoint is disabled: enable it before retrying a delivery.' },
};

function noticeOf(c: C): Notice | undefined {
  const key = c.req.query('notice') ?? '';
  if (key !== 'retry-pending' && key !== 'retry-failed') return NOTICES[key];
  const code = /^\d{3}$/.test(c.req.query('code') ?? '') ? `HTTP ${c.req.query('code')}` : 'no response';
  const next =
    key === 'retry-pending'
      ? 'It stays on the automatic retry schedule.'
      : 'It stays failed: its day of retries is over.';
  return {
    kind: 'error',
    text: `The delivery was sent again but the receiver did not accept it (${code}). ${next}`,
  };
}

/** Webhook endpoints (list, add, enable/disable, rotate, delete) and each one's delivery log with Retry. */
export function webhooksPage() {
  const app = new Hono<DashEnv>();

  app.get('/dashboard/webhooks', (c) => listPage(c, { notice: noticeOf(c) }));

  app.post('/dashboard/webhooks', async (c) => {
    const body = await c.req.parseBody({ all: true });
    const draft: EndpointDraft = {
      url: one(body.url),
      events: many(body.events),
      description: one(body.description),
    };
    const parsed = CreateEndpointInput.safeParse({
      url: draft.url,
      events: draft.events,
      ...(draft.description && { description: draft.description }),
    });
    if (!parsed.success)
      return listPage(c, { draft, errors: formErrors(fieldErrors(parsed.error), draft) }, 422);
    try {
      const { endpoint, secret } = await createEndpoint(
        dashboardContext(c),
        parsed.data,
        urlPolicyOf(c.get('deps')),
      );
      const notice: Notice = { kind: 'ok', text: 'Endpoint added. It receives events created from now on.' };
      return endpointPage(c, endpoint, { secret, notice }, 201);
    } catch (error) {
      if (error instanceof ValidationFailed) {
        return listPage(c, { draft, errors: formErrors(error.errors, draft) }, 422);
      }
      if (error instanceof ApiError) return listPage(c, { draft, errors: { form: error.message } }, 422);
      throw error;
    }
  });

  app.get('/dashboard/webhooks/:id', async (c) => {
    const endpoint = await orNull(getEndpoint(dashboardContext(c), c.req.param('id')));
    return endpoint ? endpointPage(c, endpoint, { notice: noticeOf(c) }) : notFound(c);
  });

  const toggle = (enabled: boolean) => async (c: C) => {
    const id = c.req.param('id') ?? '';
    const done = await orNull(
      updateEndpoint(dashboardContext(c), id, { enabled }, urlPolicyOf(c.get('deps'))),
    );
    if (!done) return notFound(c);
    return c.redirect(`/dashboard/webhooks/${id}?notice=${enabled ? 'enabled' : 'disabled'}`, 303);
  };
  app.post('/dashboard/webhooks/:id/enable', toggle(true));
  app.post('/dashboard/webhooks/:id/disable', toggle(false));

  app.post('/dashboard/webhooks/:id/delete', async (c) => {
    const done = await orNull(deleteEndpoint(dashboardContext(c), c.req.param('id')).then(() => true));
    return done ? c.redirect('/dashboard/webhooks?notice=deleted', 303) : notFound(c);
  });

  app.post('/dashboard/webhooks/:id/rotate-secret', async (c) => {
    const rotated = await orNull(rotateSecret(dashboardContext(c), c.req.param('id')));
    if (!rotated) return notFound(c);
    const notice: Notice = { kind: 'ok', text: 'A new signing secret was issued.' };
    return endpointPage(c, rotated.endpoint, { secret: rotated.secret, notice });
  });

  app.post('/dashboard/webhooks/:id/deliveries/:deliveryId/retry', async (c) => {
    const ctx = dashboardContext(c);
    const id = c.req.param('id');
    if (!(await orNull(getEndpoint(ctx, id)))) return notFound(c);
    try {
      const row = await retryDelivery(ctx, c.req.param('deliveryId'), urlPolicyOf(c.get('deps')));
      const back = `/dashboard/webhooks/${row.endpointId}`;
      if (row.status === 'succeeded') return c.redirect(`${back}?notice=retry-succeeded`, 303);
      const code = row.attempts.at(-1)?.statusCode;
      const key = row.status === 'pending' ? 'retry-pending' : 'retry-failed';
      return c.redirect(`${back}?notice=${key}${code ? `&code=${code}` : ''}`, 303);
    } catch (error) {
      if (error instanceof NotFound) return notFound(c);
      if (error instanceof InvalidState)
        return c.redirect(`/dashboard/webhooks/${id}?notice=retry-refused`, 303);
      throw error;
    }
  });

  return app;
}

async function listPage(
  c: C,
  opts: { notice?: Notice | undefined; draft?: EndpointDraft; errors?: FormErrors },
  status: 200 | 422 = 200,
) {
  const ctx = dashboardContext(c);
  const session = c.get('session');
  const [endpoints, failing] = await Promise.all([
    listEndpoints(ctx, { limit: 100 }),
    countFailingDeliveries(ctx, new Date(ctx.clock.now().getTime() - FAILING_WINDOW_MS)),
  ]);
  const errors = opts.errors ?? {};
  const invalid = Object.keys(errors).length > 0;
  return c.html(
    <Page
      title="Webhooks"
      current="/dashboard/webhooks"
      session={session}
      notice={
        invalid
          ? { kind: 'error', text: 'The endpoint was not added: see the fields marked below.' }
          : opts.notice
      }
    >
      <h2>Endpoints</h2>
      <EndpointsTable endpoints={endpoints.data} failing={failing} tz={session.merchant.timezone} />
      {endpoints.nextCursor && <p class="muted">Showing the first 100 endpoints.</p>}
      <h2>Add an endpoint</h2>
      <EndpointForm session={session} draft={opts.draft ?? EMPTY_DRAFT} errors={errors} />
    </Page>,
    status,
  );
}

async function endpointPage(
  c: C,
  endpoint: EndpointRow,
  opts: { notice?: Notice | undefined; secret?: string },
  status: 200 | 201 = 200,
) {
  return c.html(await EndpointPage({ c, endpoint, ...opts }), status);
}

function notFound(c: C) {
  return notFoundPage(c, {
    current: '/dashboard/webhooks',
    children: (
      <>
        There is no such webhook endpoint or delivery. <a href="/dashboard/webhooks">Back to webhooks</a>
      </>
    ),
  });
}

/** The verb's result, or null when it answered "not found" (which includes another merchant's ids). */
async function orNull<T>(p: Promise<T>): Promise<T | null> {
  try {
    return await p;
  } catch (error) {
    if (error instanceof NotFound) return null;
    throw error;
  }
}

/** Validation errors placed at the form's fields; `events.3` belongs to the event-type checkboxes. */
function formErrors(errors: FieldError[], draft: EndpointDraft): FormErrors {
  const out: FormErrors = {};
  for (const { path, message } of errors) {
    const name = path.split('.')[0];
    const key = name === 'url' || name === 'events' || name === 'description' ? name : 'form';
    out[key] ??= message;
  }
  // The API's wording names the field ("must use https"); on the form it reads as a sentence.
  if (out.url) out.url = draft.url === '' ? 'Enter the URL that receives the webhooks.' : sentence(out.url);
  if (out.events && draft.events.length === 0) out.events = 'Choose at least one event type.';
  return out;
}

function sentence(message: string): string {
  if (message.startsWith('must')) return `The URL ${message}.`;
  if (message.startsWith('host')) return `The URL's ${message}.`;
  return message;
}

const one = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
const many = (v: unknown) =>
  (Array.isArray(v) ? v : v === undefined ? [] : [v]).filter((x): x is string => typeof x === 'string');
