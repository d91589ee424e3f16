import { defineRoute, json, jsonBody } from '../../lib/openapi';
import { createRouter, verbContext } from '../../lib/router';
import { createEndpoint } from './create-endpoint';
import { deleteEndpoint } from './delete-endpoint';
import { getEndpoint } from './get-endpoint';
import { listDeliveries } from './list-deliveries';
import { listEndpoints } from './list-endpoints';
import { retryDelivery } from './retry-delivery';
import { rotateSecret } from './rotate-secret';
import {
  CreateEndpointInput,
  Delivery,
  DeliveryIdParam,
  DeliveryPage,
  Endpoint,
  EndpointIdParam,
  EndpointPage,
  EndpointWithSecret,
  ListDeliveriesQuery,
  ListEndpointsQuery,
  UpdateEndpointInput,
} from './schemas';
import { urlPolicyOf } from './ssrf';
import { updateEndpoint } from './update-endpoint';
import { toDeliveryView, toEndpointView } from './view';

const DELIVERY = `
Delivery: each event is POSTed as \`{id, type, createdAt, data}\` and signed per Standard Webhooks
(standardwebhooks.com): headers \`webhook-id\` (the event id, the same on every retry — use it to
deduplicate), \`webhook-timestamp\` (Unix seconds) and \`webhook-signature\` (\`v1,<base64 HMAC-SHA256 of
id.timestamp.body>\`; during a secret rotation two signatures, space-separated).

Guarantees: **at least once** — a receiver may see an event more than once. **No ordering** is promised,
not even per endpoint: order by the payload's \`createdAt\` if it matters. Any 2xx is success; 410 Gone
disables the endpoint; anything else (including a 3xx — redirects are never followed — or no answer within
15 s) is retried with exponential backoff and full jitter: the n-th wait is random up to
min(30 s × 2^(n−1), 1 h), for 24 h after the first attempt, then the delivery is \`failed\`.`;

export function webhookRoutes() {
  const router = createRouter();

  router.openapi(
    defineRoute(['admin'], {
      method: 'post',
      path: '/v1/webhook-endpoints',
      tags: ['Webhooks'],
      summary: 'Register a webhook endpoint',
      description: `The answer carries the signing \`secret\`; it is never shown again. The endpoint receives events created from now on.\n${DELIVERY}`,
      request: { body: jsonBody(CreateEndpointInput) },
      responses: { 201: json(EndpointWithSecret, 'Created, with its secret') },
    }),
    async (c) => {
      const { endpoint, secret } = await createEndpoint(
        verbContext(c),
        c.req.valid('json'),
        urlPolicyOf(c.get('deps')),
      );
      return c.json({ ...toEndpointView(endpoint), secret }, 201);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'get',
      path: '/v1/webhook-endpoints',
      tags: ['Webhooks'],
      summary: 'List webhook endpoints',
      request: { query: ListEndpointsQuery },
      responses: { 200: json(EndpointPage, 'A page, oldest first; no secrets') },
    }),
    async (c) => {
      const result = await listEndpoints(verbContext(c), c.req.valid('query'));
      return c.json({ data: result.data.map(toEndpointView), nextCursor: result.nextCursor }, 200);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'get',
      path: '/v1/webhook-endpoints/{id}',
      tags: ['Webhooks'],
      summary: 'Read a webhook endpoint',
      request: { params: EndpointIdParam },
      responses: { 200: json(Endpoint, 'The endpoint; no secret') },
    }),
    async (c) => c.json(toEndpointView(await getEndpoint(verbContext(c), c.req.valid('param').id)), 200),
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'patch',
      path: '/v1/webhook-endpoints/{id}',
      tags: ['Webhooks'],
      summary: 'Change a webhook endpoint',
      description:
        'Change the URL (checked like at registration), the event types, the description, or enable/disable it.',
      request: { params: EndpointIdParam, body: jsonBody(UpdateEndpointInput) },
      responses: { 200: json(Endpoint, 'The updated endpoint') },
    }),
    async (c) => {
      const row = await updateEndpoint(
        verbContext(c),
        c.req.valid('param').id,
        c.req.valid('json'),
        urlPolicyOf(c.get('deps')),
      );
      return c.json(toEndpointView(row), 200);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'delete',
      path: '/v1/webhook-endpoints/{id}',
      tags: ['Webhooks'],
      summary: 'Delete a webhook endpoint',
      description:
        'Nothing more is sent to it and its pending deliveries fail; its delivery log stays readable.',
      request: { params: EndpointIdParam },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await deleteEndpoint(verbContext(c), c.req.valid('param').id);
      return c.body(null, 204);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'post',
      path: '/v1/webhook-endpoints/{id}/rotate-secret',
      tags: ['Webhooks'],
      summary: 'Rotate the signing secret',
      description:
        'Returns the new secret once. For 24 h the old secret signs too (two signatures in `webhook-signature`), ' +
        'so the receiver can switch over without failing deliveries.',
      request: { params: EndpointIdParam },
      responses: { 200: json(EndpointWithSecret, 'The endpoint with its new secret') },
    }),
    async (c) => {
      const { endpoint, secret } = await rotateSecret(verbContext(c), c.req.valid('param').id);
      return c.json({ ...toEndpointView(endpoint), secret }, 200);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'get',
      path: '/v1/webhook-deliveries',
      tags: ['Webhooks'],
      summary: 'List webhook deliveries (the delivery log)',
      description: `One delivery per event and endpoint, with every attempt.\n${DELIVERY}`,
      request: { query: ListDeliveriesQuery },
      responses: { 200: json(DeliveryPage, 'A page, newest event first') },
    }),
    async (c) => {
      const result = await listDeliveries(verbContext(c), c.req.valid('query'));
      return c.json({ data: result.data.map(toDeliveryView), nextCursor: result.nextCursor }, 200);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'post',
      path: '/v1/webhook-deliveries/{id}/retry',
      tags: ['Webhooks'],
      summary: 'Send a delivery again now',
      description:
        'Sends at once, whatever the schedule or status (manual redelivery), and returns the delivery with ' +
        'this attempt recorded; its status is this attempt’s outcome. 409 `invalid-state` when the endpoint is ' +
        'disabled or deleted.',
      request: { params: DeliveryIdParam },
      responses: { 200: json(Delivery, 'The delivery after the attempt') },
    }),
    async (c) => {
      const row = await retryDelivery(verbContext(c), c.req.valid('param').id, urlPolicyOf(c.get('deps')));
      return c.json(toDeliveryView(row), 200);
    },
  );

  return router;
}
