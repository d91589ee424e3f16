import { defineRoute, json, jsonBody } from '../../lib/openapi';
import { createRouter, verbContext } from '../../lib/router';
import { createRule } from './create-rule';
import { deleteRule } from './delete-rule';
import { getRule } from './get-rule';
import { listRules } from './list-rules';
import { previewRules } from './preview';
import {
  CreateRuleInput,
  ListRulesQuery,
  PreviewInput,
  PreviewResult,
  Rule,
  RuleIdParam,
  RulePage,
  UpdateRuleInput,
} from './schemas';
import { updateRule } from './update-rule';
import { toRuleView } from './view';

const EVALUATION = `
How rules are evaluated for an event: only live rules for the event type count, in order of
\`priority\` (highest first), then oldest first. A rule is skipped when it is inactive
(\`inactive\`), outside \`[startsAt, endsAt)\` at the event's time (\`outside_window\`), its
JsonLogic condition is false (\`condition_false\`), the customer reached \`limits.perCustomer\`
in the current period in the merchant's time zone (\`cap_reached\`), or its \`limits.budget\` is
used up (\`budget_exhausted\`).

Base rules: \`points_per_amount\` gives \`rounding(amount × points / per)\` computed exactly
(\`round\` rounds halves up; amount is the order \`total\`, else the event's \`amount\` or
\`properties.amount\`; none → \`no_amount\`); \`fixed\` gives \`points\`. Then, when
\`applyTierMultiplier\`, × the customer's tier multiplier, rounded down. A rule with
\`stackable: false\` is exclusive: it applies only if no earlier base rule applied, and once
it applies every later base rule is \`superseded\`.

Multiplier rules run after the base rules: each adds \`floor(sum of applied base points ×
(factor − 1))\`, credited to the multiplier rule (\`zero_points\` when there is nothing to
multiply); multipliers add up rather than compound, and \`stackable: false\` makes one
exclusive among multipliers. Factors are exact to 4 decimals.

A budget trims the last award to what is left (the trace says so). A rule that computes to
0 points is skipped as \`zero_points\`. \`total\` is the sum of the matched points.`;

export function ruleRoutes() {
  const router = createRouter();

  router.openapi(
    defineRoute(['admin'], {
      method: 'post',
      path: '/v1/rules',
      tags: ['Earning rules'],
      summary: 'Create an earning rule',
      description: `Validation errors point at the field, e.g. \`condition.and.1.>=\`, \`reward.per\`, \`endsAt\`.\n${EVALUATION}`,
      request: { body: jsonBody(CreateRuleInput) },
      responses: { 201: json(Rule, 'Created') },
    }),
    async (c) => {
      const row = await createRule(verbContext(c), c.req.valid('json'));
      c.get('keys').clear();
      return c.json(toRuleView(row), 201);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'get',
      path: '/v1/rules',
      tags: ['Earning rules'],
      summary: 'List earning rules',
      request: { query: ListRulesQuery },
      responses: { 200: json(RulePage, 'A page, oldest first') },
    }),
    async (c) => {
      const result = await listRules(verbContext(c), c.req.valid('query'));
      return c.json({ data: result.data.map(toRuleView), nextCursor: result.nextCursor }, 200);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'post',
      path: '/v1/rules/preview',
      tags: ['Earning rules'],
      summary: 'Dry-run the rules for an event',
      description: `Which rules would match the event, why the others do not, and the points it would award. Writes nothing. A known \`event.customerId\` brings that customer's facts and cap usage; \`customer\` facts override them.\n${EVALUATION}`,
      request: { body: jsonBody(PreviewInput) },
      responses: { 200: json(PreviewResult, 'The evaluation') },
    }),
    async (c) => c.json(await previewRules(verbContext(c), c.req.valid('json')), 200),
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'get',
      path: '/v1/rules/{id}',
      tags: ['Earning rules'],
      summary: 'Read an earning rule',
      request: { params: RuleIdParam },
      responses: { 200: json(Rule, 'The rule') },
    }),
    async (c) => c.json(toRuleView(await getRule(verbContext(c), c.req.valid('param').id)), 200),
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'patch',
      path: '/v1/rules/{id}',
      tags: ['Earning rules'],
      summary: 'Change an earning rule',
      description:
        'Only the fields sent change; the merged rule is validated again. Points already awarded stay.',
      request: { params: RuleIdParam, body: jsonBody(UpdateRuleInput) },
      responses: { 200: json(Rule, 'The updated rule') },
    }),
    async (c) => {
      const row = await updateRule(verbContext(c), c.req.valid('param').id, c.req.valid('json'));
      c.get('keys').clear();
      return c.json(toRuleView(row), 200);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'delete',
      path: '/v1/rules/{id}',
      tags: ['Earning rules'],
      summary: 'Delete an earning rule',
      description: 'The rule stops matching and reads as 404; ledger entries keep pointing at it.',
      request: { params: RuleIdParam },
      responses: { 204: { description: 'Deleted' } },
    }),
    async (c) => {
      await deleteRule(verbContext(c), c.req.valid('param').id);
      c.get('keys').clear();
      return c.body(null, 204);
    },
  );

  return router;
}
