import { defineRoute, json, jsonBody } from '../../lib/openapi';
import { createRouter, verbContext } from '../../lib/router';
import { recordSurveyResponse } from './record-response';
import { SurveyResponseInput, SurveyResponseResult } from './schemas';

export function feedbackRoutes() {
  const router = createRouter();

  router.openapi(
    defineRoute(['server'], {
      method: 'post',
      path: '/v1/survey-responses',
      tags: ['Feedback'],
      summary: 'A customer answered an NPS or CSAT survey (rule event `survey.submitted`)',
      description:
        'Idempotent on `id`: the same content answers 200 with the first result and awards nothing new; different ' +
        'content, 409 `conflict`. Unknown customers are created. `score` is 0–10 for `nps`, 1–5 for `csat`. ' +
        'Rules for `survey.submitted` see `event.kind`, `event.score`, `event.comment`, `event.orderId`, ' +
        "`event.channel`. An NPS answer becomes the customer's `latestNps` only if no answer with a later " +
        '`respondedAt` exists (a backdated answer never overwrites a newer one). `segment`: NPS promoter (9–10), ' +
        'passive (7–8), detractor (0–6); CSAT satisfied (4–5), neutral (3), dissatisfied (1–2). A promoter gets ' +
        '`referralInvite` (their code and link) and emits `customer.promoter`; a detractor emits ' +
        '`feedback.detractor` with the comment, for service recovery.',
      request: { body: jsonBody(SurveyResponseInput) },
      responses: {
        201: json(SurveyResponseResult, 'Recorded'),
        200: json(SurveyResponseResult, 'Already recorded: the first result'),
      },
    }),
    async (c) => {
      const { created, ...result } = await recordSurveyResponse(verbContext(c), c.req.valid('json'));
      return c.json(result, created ? 201 : 200);
    },
  );

  return router;
}
