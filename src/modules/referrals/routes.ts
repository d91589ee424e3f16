import { defineRoute, json, jsonBody } from '../../lib/openapi';
import { createRouter, verbContext } from '../../lib/router';
import { rateLimitLookups } from '../../middleware/rate-limit';
import { CustomerIdParam } from '../customers/schemas';
import { createReferral } from './create-referral';
import { deactivateReferralCode } from './deactivate-code';
import { requestReferralCode } from './ensure-code';
import { lookupReferralCode } from './lookup-code';
import { getReferralProgram } from './program';
import { getReferral, listReferrals } from './read-referrals';
import { recordClick } from './record-click';
import {
  AttributeInput,
  ClickInput,
  ClickResult,
  CodeLookup,
  CodeParam,
  ListReferralsQuery,
  Referral,
  ReferralCodeInput,
  ReferralCodeResult,
  ReferralIdParam,
  ReferralPage,
  ReferralProgram,
  ReferralProgramInput,
} from './schemas';
import { setReferralProgram } from './set-program';
import { toProgramView, toReferralView } from './view';

const LIFECYCLE = `
Lifecycle: \`pending\` → \`qualified\` (the referee's first paid order with \`total ≥ minOrderTotal\`,
paid no later than \`attributionWindowDays\` after the attribution; smaller orders neither qualify
nor disqualify; \`holdUntil = paidAt + holdDays\`) → \`rewarded\` by the jobs once \`holdUntil\` has
passed (a backdated order past its hold is rewarded at the next jobs run). A refund that leaves
the qualifying order below \`minOrderTotal\` (or fully refunds it) makes it \`reversed\`; after the
reward, both sides' referral credits are reversed (debt or forgiveness per \`refundPolicy\`).

Rejections are outcomes, not errors (201 with \`status: rejected\`), checked in this order:
\`program_inactive\`, \`code_inactive\` (unknown, deactivated, or its owner erased),
\`self_referral\`, \`already_referred\` (the referee has a live referral: first valid touch wins),
\`referee_not_new\` (the referee has a paid order), \`same_email\` (normalised: case, \`+tag\`, Gmail
dots), \`same_device\` (\`ipHash\` or \`deviceHash\` equal to the referrer's — given as
\`referrerIpHash\`/\`referrerDeviceHash\`, or recorded when the referrer was referred),
\`same_payment\`, \`referrer_cap_reached\` (\`maxRewardedPerReferrer\` rewarded in the period).`;

export function referralRoutes() {
  const router = createRouter();

  router.openapi(
    defineRoute(['admin'], {
      method: 'put',
      path: '/v1/referral-program',
      tags: ['Referrals'],
      summary: 'Configure the referral program',
      description:
        'Replaces the settings. A reward is `{points}` or `{rewardId}` of the catalog (issued for free). ' +
        '`linkTemplate` must contain `{code}`. Audited.',
      request: { body: jsonBody(ReferralProgramInput) },
      responses: { 200: json(ReferralProgram, 'The program') },
    }),
    async (c) => {
      const program = await setReferralProgram(verbContext(c), c.req.valid('json'));
      c.get('keys').clear();
      return c.json(toProgramView(program), 200);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'get',
      path: '/v1/referral-program',
      tags: ['Referrals'],
      summary: 'The referral program (inactive until configured)',
      responses: { 200: json(ReferralProgram, 'The program') },
    }),
    async (c) => c.json(toProgramView(await getReferralProgram(verbContext(c))), 200),
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'post',
      path: '/v1/customers/{customerId}/referral-code',
      tags: ['Referrals'],
      summary: "Get or create the customer's referral code and link",
      description:
        'One code per customer: the same code on every repeat (200). Generated codes are 8 characters without ' +
        'look-alikes (no 0/O, 1/I/L); a vanity `code` is 4–32 letters, digits, `-` or `_`, stored upper-cased and ' +
        'unique case-insensitively (409 `conflict` when taken, or when the customer already has another code). ' +
        'Unknown customers are created. A deactivated code is a 409 `invalid-state`.',
      request: { params: CustomerIdParam, body: jsonBody(ReferralCodeInput) },
      responses: {
        201: json(ReferralCodeResult, 'Created'),
        200: json(ReferralCodeResult, 'The existing code'),
      },
    }),
    async (c) => {
      const { created, code, link } = await requestReferralCode(
        verbContext(c),
        c.req.valid('param').customerId,
        c.req.valid('json'),
      );
      return c.json({ code, link }, created ? 201 : 200);
    },
  );

  router.openapi(
    defineRoute(['server', 'publishable'], {
      method: 'get',
      path: '/v1/referral-codes/{code}',
      tags: ['Referrals'],
      summary: 'Check a referral code',
      description:
        'Case-insensitive. Unknown, deactivated, erased owners’ and other merchants’ codes, and any code while the ' +
        'program is inactive, all answer `{valid: false}`. Rate-limited per address for publishable keys.',
      middleware: [rateLimitLookups()],
      request: { params: CodeParam },
      responses: { 200: json(CodeLookup, 'The answer') },
    }),
    async (c) => c.json(await lookupReferralCode(verbContext(c), c.req.valid('param').code), 200),
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'delete',
      path: '/v1/referral-codes/{code}',
      tags: ['Referrals'],
      summary: 'Deactivate a referral code',
      description: 'It stops attributing and validating; referrals already made keep their course. Audited.',
      request: { params: CodeParam },
      responses: { 204: { description: 'Deactivated' } },
    }),
    async (c) => {
      await deactivateReferralCode(verbContext(c), c.req.valid('param').code);
      return c.body(null, 204);
    },
  );

  router.openapi(
    defineRoute(['server', 'publishable'], {
      method: 'post',
      path: '/v1/referral-clicks',
      tags: ['Referrals'],
      summary: 'Record a click on a referral link (funnel)',
      description: 'Counted for codes of this merchant only; every click answers the same.',
      request: { body: jsonBody(ClickInput) },
      responses: { 201: json(ClickResult, 'Recorded') },
    }),
    async (c) => c.json(await recordClick(verbContext(c), c.req.valid('json')), 201),
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'post',
      path: '/v1/referrals',
      tags: ['Referrals'],
      summary: 'Attribute a referee to a referral code (at signup)',
      description:
        `Creates an unknown referee. The same code sent again for a referee it already attributed answers 200 with ` +
        `that referral. Orders carrying \`referralCode\` attribute too.\n${LIFECYCLE}`,
      request: { body: jsonBody(AttributeInput) },
      responses: {
        201: json(Referral, 'The decision'),
        200: json(Referral, 'Already attributed to this code'),
      },
    }),
    async (c) => {
      const { referral, created } = await createReferral(verbContext(c), c.req.valid('json'));
      return c.json(referral, created ? 201 : 200);
    },
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'get',
      path: '/v1/referrals',
      tags: ['Referrals'],
      summary: 'List referrals, newest first',
      request: { query: ListReferralsQuery },
      responses: { 200: json(ReferralPage, 'A page') },
    }),
    async (c) => {
      const result = await listReferrals(verbContext(c), c.req.valid('query'));
      return c.json({ data: result.data.map(toReferralView), nextCursor: result.nextCursor }, 200);
    },
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'get',
      path: '/v1/referrals/{id}',
      tags: ['Referrals'],
      summary: 'Read a referral',
      request: { params: ReferralIdParam },
      responses: { 200: json(Referral, 'The referral') },
    }),
    async (c) => c.json(toReferralView(await getReferral(verbContext(c), c.req.valid('param').id)), 200),
  );

  return router;
}
