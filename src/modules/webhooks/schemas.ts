import { z } from '@hono/zod-openapi';
import { ALL_EVENTS, WEBHOOK_EVENT_TYPES } from './event-types';

const EventTypeOrAll = z.enum([...WEBHOOK_EVENT_TYPES, ALL_EVENTS]);

/** Subscribed types, deduplicated; `*` anywhere means every type. */
const EventList = z
  .array(EventTypeOrAll)
  .min(1)
  .max(WEBHOOK_EVENT_TYPES.length + 1)
  .transform((types) => (types.includes(ALL_EVENTS) ? [ALL_EVENTS] : [...new Set(types)]))
  .openapi({
    description: `Event types to receive, or \`["*"]\` for all: ${WEBHOOK_EVENT_TYPES.join(', ')}.`,
    example: ['points.earned', 'redemption.issued'],
  });

const Url = z
  .string()
  .trim()
  .min(1)
  .max(2048)
  .openapi({
    description:
      'https URL. Refused when the host is, or resolves to, a loopback, private (RFC 1918), CGNAT, link-local, ' +
      'multicast or reserved address, unless the operator set PLAUDIT_ALLOW_PRIVATE_WEBHOOKS (development only, ' +
      'which also allows http).',
    example: 'https://shop.example/webhooks/plaudit',
  });

const Description = z.string().trim().max(500);

export const CreateEndpointInput = z
  .strictObject({ url: Url, events: EventList, description: Description.optional() })
  .openapi('CreateWebhookEndpointInput');
export type CreateEndpointInput = z.infer<typeof CreateEndpointInput>;

export const UpdateEndpointInput = z
  .strictObject({
    url: Url,
    events: EventList,
    description: Description.nullable(),
    enabled: z.boolean().openapi({
      description:
        'false stops deliveries and fails those still pending; true resumes with events created from now on.',
    }),
  })
  .partial()
  .openapi('UpdateWebhookEndpointInput', { description: 'Only the fields sent change.' });
export type UpdateEndpointInput = z.infer<typeof UpdateEndpointInput>;

export const Endpoint = z
  .object({
    id: z.string().openapi({ example: 'whe_0kT3bQ1x7d2YhQJk3mZpA9' }),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.string()),
    enabled: z.boolean(),
    disabledReason: z.enum(['manual', 'gone']).nullable().openapi({
      description: '`gone`: the receiver answered 410 Gone; `manual`: disabled through the API.',
    }),
    previousSecretExpiresAt: z
      .string()
      .datetime()
      .nullable()
      .openapi({ description: 'After a rotation, until when the previous secret also signs.' }),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('WebhookEndpoint');
export type Endpoint = z.infer<typeof Endpoint>;

export const EndpointWithSecret = Endpoint.extend({
  secret: z.string().openapi({
    description: 'The signing secret (Standard Webhooks `whsec_…`). Shown only in this response.',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }),
}).openapi('WebhookEndpointWithSecret');

export const EndpointPage = z
  .object({ data: z.array(Endpoint), nextCursor: z.string().nullable() })
  .openapi('WebhookEndpointPage');

const IdParam = (example: string) =>
  z.object({
    id: z
      .string()
      .min(1)
      .max(64)
      .openapi({ param: { name: 'id', in: 'path' }, example }),
  });
export const EndpointIdParam = IdParam('whe_0kT3bQ1x7d2YhQJk3mZpA9');
export const DeliveryIdParam = IdParam('whd_0kT3bQ1x7d2YhQJk3mZpA9');

const Limit = z.coerce.number().int().min(1).max(100).default(20);
const Cursor = z.string().max(500).optional();

export const ListEndpointsQuery = z.object({ limit: Limit, cursor: Cursor });
export type ListEndpointsQuery = z.infer<typeof ListEndpointsQuery>;

export const DeliveryStatus = z.enum(['pending', 'succeeded', 'failed']);

export const Delivery = z
  .object({
    id: z.string().openapi({ example: 'whd_0kT3bQ1x7d2YhQJk3mZpA9' }),
    eventId: z.string().openapi({ description: 'Also the `webhook-id` header: the same on every attempt.' }),
    eventType: z.string(),
    endpointId: z.string(),
    status: DeliveryStatus,
    attempts: z.array(
      z.object({
        at: z.string().datetime(),
        statusCode: z.number().int().nullable().openapi({ description: 'null when no response came.' }),
        durationMs: z.number().int(),
        error: z.string().nullable(),
      }),
    ),
    attemptCount: z.number().int(),
    nextAttemptAt: z.string().datetime().nullable().openapi({ description: 'null unless pending.' }),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('WebhookDelivery');
export type Delivery = z.infer<typeof Delivery>;

export const ListDeliveriesQuery = z.object({
  endpointId: z.string().min(1).max(64).optional(),
  status: DeliveryStatus.optional(),
  eventType: z.enum(WEBHOOK_EVENT_TYPES).optional(),
  limit: Limit,
  cursor: Cursor,
});
export type ListDeliveriesQuery = z.infer<typeof ListDeliveriesQuery>;

export const DeliveryPage = z
  .object({ data: z.array(Delivery), nextCursor: z.string().nullable() })
  .openapi('WebhookDeliveryPage');
