import { z } from '@hono/zod-openapi';
import { defineRoute, json, jsonBody } from '../../lib/openapi';
import { PageQuery } from '../../lib/pagination';
import { createRouter, verbContext } from '../../lib/router';
import { CustomerIdParam } from '../customers/schemas';
import { listLedger } from '../ledger/list-ledger';
import { LedgerPage } from '../ledger/schemas';
import { toEntryView } from '../ledger/view';
import { Redemption } from '../redemptions/schemas';
import { toRedemptionView } from '../redemptions/view';
import { requestReferralCode } from '../referrals/ensure-code';
import { ReferralCodeResult } from '../referrals/schemas';
import { issueCustomerToken } from './issue-token';
import { listMyRewards } from './list-my-rewards';
import { readMe } from './read-me';
import { redeemForCustomer } from './redeem-for-customer';
import { revealTokenSecret } from './reveal-token-secret';
import { rotateTokenKey } from './rotate-token-key';
import {
  CustomerToken,
  IssueTokenInput,
  Me,
  MyRedeemInput,
  MyRewards,
  RotatedTokenKey,
  TokenSecret,
} from './schemas';
import { widgetRoute } from './widget-route';

const TOKENS = `
**Two ways to get a customer token.** (1) Your backend calls \`POST /v1/customers/{customerId}/tokens\` with
its secret key and hands the token to the page. (2) Your backend signs its own: get a shared secret once from
\`POST /v1/merchant/token-secret\` and sign an HS256 JWT with header \`kid\` as returned, claims \`iss\` = your
merchant id, \`aud\` = \`plaudit:storefront\`, \`sub\` = the customer id, \`iat\`, and \`exp\` at most 3600 s
after \`iat\`. Either way the browser sends it as \`X-Customer-Token\` next to \`Authorization: Bearer pk_…\`.

Verification allows HS256 only, requires \`exp\`, \`iat\`, \`sub\`, checks \`iss\` against the publishable key's
merchant and \`aud\`, refuses tokens older than an hour, and allows 5 s of clock skew. Any failure is a 401.

**Keys.** Signing keys are derived from \`PLAUDIT_SECRET\`, one per merchant and version (\`kid\` \`v1\`,
\`v2\`…); nothing secret is stored. A rotation signs with the next version at once; tokens of the previous
version issued before the rotation stay valid until they expire (at most an hour); older versions stop working.`;

const ME =
  'Storefront route: a publishable key (`Authorization: Bearer pk_…`) with a customer token ' +
  '(`X-Customer-Token`). A secret key is refused (403), a publishable key without a token too (403); ' +
  "a missing, invalid or expired token is a 401. Responses carry CORS headers only for the merchant's " +
  '`allowedOrigins`. Rate-limited per publishable key and address (`PLAUDIT_RATE_LIMIT_PUBLIC`).';

export function storefrontRoutes() {
  const router = createRouter();
  const customerIdOf = (c: { get(key: 'customerId'): string | undefined }) => c.get('customerId')!;

  router.openapi(
    defineRoute(['server'], {
      method: 'post',
      path: '/v1/customers/{customerId}/tokens',
      tags: ['Storefront'],
      summary: 'Mint a short-lived customer token for the storefront',
      description: `\`ttlSeconds\` defaults to 900 and is at most 3600. Unknown customers are created; an erased one is a 409 \`invalid-state\`.\n${TOKENS}`,
      request: {
        params: CustomerIdParam,
        body: { required: false, content: { 'application/json': { schema: IssueTokenInput } } },
      },
      responses: { 201: json(CustomerToken, 'The token') },
    }),
    async (c) => {
      const issued = await issueCustomerToken(
        verbContext(c),
        c.req.valid('param').customerId,
        c.req.valid('json') ?? {},
        c.get('deps').config.secret,
      );
      return c.json({ token: issued.token, expiresAt: issued.expiresAt.toISOString() }, 201);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'post',
      path: '/v1/merchant/token-keys/rotate',
      tags: ['Storefront'],
      summary: 'Rotate the customer-token signing key',
      description: `Audited.\n${TOKENS}`,
      responses: { 200: json(RotatedTokenKey, 'The new key version') },
    }),
    async (c) => {
      const rotated = await rotateTokenKey(verbContext(c));
      c.get('keys').clear();
      return c.json(
        { kid: rotated.kid, previousKid: rotated.previousKid, rotatedAt: rotated.rotatedAt.toISOString() },
        200,
      );
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'post',
      path: '/v1/merchant/token-secret',
      tags: ['Storefront'],
      summary: 'Get a shared secret to sign customer tokens yourself',
      description: `Rotates to a new key version and returns its secret, shown once (an idempotent replay does not show it again; call again for a new one). Audited.\n${TOKENS}`,
      responses: { 201: json(TokenSecret, 'The secret and the claims to sign') },
    }),
    async (c) => {
      const revealed = await revealTokenSecret(verbContext(c), c.get('deps').config.secret);
      c.get('keys').clear();
      return c.json({ ...revealed, rotatedAt: revealed.rotatedAt.toISOString() }, 201);
    },
  );

  router.openapi(
    defineRoute(['storefront'], {
      method: 'get',
      path: '/v1/me',
      tags: ['Storefront'],
      summary: "The signed-in customer's balance, tier, expiring points and referral link",
      description: ME,
      responses: { 200: json(Me, 'The customer') },
    }),
    async (c) => c.json(await readMe(verbContext(c), customerIdOf(c)), 200),
  );

  router.openapi(
    defineRoute(['storefront'], {
      method: 'get',
      path: '/v1/me/ledger',
      tags: ['Storefront'],
      summary: "The signed-in customer's points history, newest first",
      description: ME,
      request: { query: PageQuery },
      responses: { 200: json(LedgerPage, 'A page') },
    }),
    async (c) => {
      const ctx = verbContext(c);
      const result = await listLedger(ctx, customerIdOf(c), c.req.valid('query'));
      const now = ctx.clock.now();
      return c.json(
        { data: result.data.map((e) => toEntryView(e, now)), nextCursor: result.nextCursor },
        200,
      );
    },
  );

  router.openapi(
    defineRoute(['storefront'], {
      method: 'get',
      path: '/v1/me/rewards',
      tags: ['Storefront'],
      summary: 'Rewards available now, with what the customer can redeem',
      description: `Active rewards inside their window, cheapest first, each with \`affordable\`, \`pointsNeeded\`, \`eligible\` (tier) and \`inStock\`.\n\n${ME}`,
      responses: { 200: json(MyRewards, 'The rewards') },
    }),
    async (c) => c.json({ data: await listMyRewards(verbContext(c), customerIdOf(c)) }, 200),
  );

  router.openapi(
    defineRoute(['storefront'], {
      method: 'post',
      path: '/v1/me/redemptions',
      tags: ['Storefront'],
      summary: 'Redeem a reward with my points',
      description:
        'Only when the merchant setting `storefrontRedemption` is on (else 403 `storefront-redemption-disabled`). ' +
        'Issues the coupon at once; refusals as for `POST /v1/redemptions` (`insufficient-points`, ' +
        `\`tier-required\`, \`out-of-stock\`, \`limit-reached\`, \`reward-unavailable\`).\n\n${ME}`,
      request: { body: jsonBody(MyRedeemInput) },
      responses: { 201: json(Redemption, 'Issued') },
    }),
    async (c) => {
      const row = await redeemForCustomer(verbContext(c), customerIdOf(c), c.req.valid('json'));
      return c.json(toRedemptionView(row), 201);
    },
  );

  router.openapi(
    defineRoute(['storefront'], {
      method: 'post',
      path: '/v1/me/referral-code',
      tags: ['Storefront'],
      summary: 'Get or create my referral code and link',
      description: `The same code on every repeat (200); created the first time (201). No vanity codes from the browser.\n\n${ME}`,
      request: { body: { required: false, content: { 'application/json': { schema: z.strictObject({}) } } } },
      responses: {
        201: json(ReferralCodeResult, 'Created'),
        200: json(ReferralCodeResult, 'The existing code'),
      },
    }),
    async (c) => {
      const { created, code, link } = await requestReferralCode(verbContext(c), customerIdOf(c), {});
      return c.json({ code, link }, created ? 201 : 200);
    },
  );

  widgetRoute(router);
  return router;
}
