import type { webhookDeliveries, webhookEndpoints } from '../../../db/schema';
import type { Delivery, Endpoint } from './schemas';

export type EndpointRow = typeof webhookEndpoints.$inferSelect;
type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** Secrets never appear here: only the create and rotate responses carry one. */
export function toEndpointView(r: EndpointRow): Endpoint {
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    events: r.events,
    enabled: r.enabled,
    disabledReason: r.disabledReason,
    previousSecretExpiresAt: r.previousSecret ? (r.previousSecretExpiresAt?.toISOString() ?? null) : null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

export function toDeliveryView(r: DeliveryRow): Delivery {
  return {
    id: r.id,
    eventId: r.eventId,
    eventType: r.eventType,
    endpointId: r.endpointId,
    status: r.status,
    attempts: r.attempts,
    attemptCount: r.attemptCount,
    nextAttemptAt: r.nextAttemptAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
