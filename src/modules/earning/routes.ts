import { z } from '@hono/zod-openapi';
import { newId } from '../../lib/ids';
import { defineRoute, json, jsonBody } from '../../lib/openapi';
import { createRouter, verbContext } from '../../lib/router';
import { ExternalId } from '../../lib/validators';
import { LedgerEntry } from '../ledger/schemas';
import { recordActivity } from './record-activity';
import { recordOrder } from './record-order';
import { refundOrder } from './refund-order';
import {
  EventInput,
  OrderInput,
  OrderResult,
  RefundInput,
  RefundResult,
  ReviewInput,
  ShareInput,
} from './schemas';

const replayNote =
  'Idempotent on `id`: posting it again with the same content answers 200 with the first result and awards ' +
  'nothing new; with different content, 409 `conflict`. Unknown customers are created.';

const activityResult = (key: string, name: string) =>
  z.object({ [key]: z.record(z.string(), z.unknown()), awarded: z.array(LedgerEntry) }).openapi(name);

export function earningRoutes() {
  const router = createRouter();

  router.openapi(
    defineRoute(['server'], {
      method: 'post',
      path: '/v1/orders',
      tags: ['Earning'],
      summary: 'An order was paid: award its points',
      description: `${replayNote} \`paidAt\` may be in the past: points pending for the return window are available at once if it already passed.`,
      request: { body: jsonBody(OrderInput) },
      responses: {
        201: json(OrderResult, 'Recorded'),
        200: json(OrderResult, 'Already recorded: the first result'),
      },
    }),
    async (c) => {
      const { created, order, awarded, referral } = await recordOrder(verbContext(c), c.req.valid('json'));
      return c.json({ order, awarded, ...(referral && { referral }) }, created ? 201 : 200);
    },
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'post',
      path: '/v1/orders/{orderId}/refunds',
      tags: ['Earning'],
      summary: 'An order was refunded: claw back its points',
      description:
        'No amount and no items: a full refund. After the refund the order has reversed floor(pointsEarned × ' +
        'refundedAmount / total) in all (everything once fully refunded). Spent points become debt or are forgiven ' +
        "per the merchant's `refundPolicy`; the balance never goes negative. Idempotent on the refund `id`.",
      request: { params: z.object({ orderId: ExternalId }), body: jsonBody(RefundInput) },
      responses: {
        201: json(RefundResult, 'Recorded'),
        200: json(RefundResult, 'Already recorded: the first result'),
      },
    }),
    async (c) => {
      const { created, refund, reversed } = await refundOrder(
        verbContext(c),
        c.req.valid('param').orderId,
        c.req.valid('json'),
      );
      return c.json({ refund, reversed }, created ? 201 : 200);
    },
  );

  const ReviewResult = activityResult('review', 'ReviewResult');
  router.openapi(
    defineRoute(['server'], {
      method: 'post',
      path: '/v1/reviews',
      tags: ['Earning'],
      summary: 'A review was written (rule event `review.created`)',
      description: `${replayNote} The rating also counts as a satisfaction signal.`,
      request: { body: jsonBody(ReviewInput) },
      responses: { 201: json(ReviewResult, 'Recorded'), 200: json(ReviewResult, 'Already recorded') },
    }),
    async (c) => {
      const { id, customerId, createdAt, ...rest } = c.req.valid('json');
      const out = await recordActivity(verbContext(c), {
        kind: 'review',
        eventType: 'review.created',
        id,
        customerId,
        occurredAt: createdAt ?? c.get('deps').clock.now(),
        payload: { ...rest, textLength: rest.text?.length ?? 0 },
      });
      return c.json({ review: out.activity, awarded: out.awarded }, out.created ? 201 : 200);
    },
  );

  const ShareResult = activityResult('share', 'ShareResult');
  router.openapi(
    defineRoute(['server'], {
      method: 'post',
      path: '/v1/shares',
      tags: ['Earning'],
      summary: 'A customer shared (rule event `share.created`)',
      description: replayNote,
      request: { body: jsonBody(ShareInput) },
      responses: { 201: json(ShareResult, 'Recorded'), 200: json(ShareResult, 'Already recorded') },
    }),
    async (c) => {
      const { id, customerId, createdAt, ...rest } = c.req.valid('json');
      const now = c.get('deps').clock.now();
      const out = await recordActivity(verbContext(c), {
        kind: 'share',
        eventType: 'share.created',
        id: id ?? newId('share', now),
        customerId,
        occurredAt: createdAt ?? now,
        payload: rest,
      });
      return c.json({ share: out.activity, awarded: out.awarded }, out.created ? 201 : 200);
    },
  );

  const EventResult = activityResult('event', 'EventResult');
  router.openapi(
    defineRoute(['server'], {
      method: 'post',
      path: '/v1/events',
      tags: ['Earning'],
      summary: 'Signup, birthday or a custom event',
      description: `${replayNote} Rules for the event's \`type\` apply; \`properties.amount\` feeds points-per-amount rules.`,
      request: { body: jsonBody(EventInput) },
      responses: { 201: json(EventResult, 'Recorded'), 200: json(EventResult, 'Already recorded') },
    }),
    async (c) => {
      const { id, type, customerId, occurredAt, properties } = c.req.valid('json');
      const amount = properties?.amount;
      const out = await recordActivity(verbContext(c), {
        kind: 'event',
        eventType: type,
        id,
        customerId,
        occurredAt: occurredAt ?? c.get('deps').clock.now(),
        payload: { properties: properties ?? {} },
        amount: typeof amount === 'number' && Number.isInteger(amount) && amount >= 0 ? amount : null,
      });
      return c.json({ event: out.activity, awarded: out.awarded }, out.created ? 201 : 200);
    },
  );

  return router;
}
