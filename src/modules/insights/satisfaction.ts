import { type SQL, sql } from 'drizzle-orm';
import type { VerbContext } from '../../deps';
import { query } from '../../lib/db';
import { ValidationFailed } from '../../lib/errors';
import { iso, type Period, resolvePeriod, within } from './period';
import type { SatisfactionQuery, SatisfactionReport } from './schemas';
import { inSnapshot } from './snapshot';
import { csatScore, npsMarginOfError, npsScore } from './stats';

const MAX_PERIODS = 1000;

interface Counts {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  csat_responses: number;
  satisfied: number;
  surveys: number;
  reviews: number;
}

/** One bucket of the series, with the period's totals repeated on every row (`t_…`). */
type Row = Counts & {
  period: string;
  start: string | Date;
  t_responses: number;
  t_promoters: number;
  t_passives: number;
  t_detractors: number;
  t_csat_responses: number;
  t_satisfied: number;
  t_surveys: number;
  t_reviews: number;
};

/**
 * NPS, CSAT and their series. NPS counts each customer's latest NPS answer (greatest
 * `respondedAt`, then greatest id) within the period — or within the bucket, for the series;
 * `responses` counts every answer. CSAT counts every CSAT answer and every review rating,
 * 4–5 being satisfied. Buckets are local calendar days/weeks/months in the merchant's zone.
 */
export async function satisfactionReport(
  ctx: VerbContext,
  q: SatisfactionQuery,
): Promise<SatisfactionReport> {
  const p = resolvePeriod(ctx, q);
  const rows = await inSnapshot(ctx, (db) => query<Row>(db, statement(ctx, p, q.interval)));
  if (rows.length > MAX_PERIODS) {
    throw new ValidationFailed([
      {
        path: 'interval',
        message: `gives more than ${MAX_PERIODS} periods; use a longer interval or a shorter period`,
      },
    ]);
  }
  const t = rows[0];
  const totals: Counts = {
    responses: t?.t_responses ?? 0,
    promoters: t?.t_promoters ?? 0,
    passives: t?.t_passives ?? 0,
    detractors: t?.t_detractors ?? 0,
    csat_responses: t?.t_csat_responses ?? 0,
    satisfied: t?.t_satisfied ?? 0,
    surveys: t?.t_surveys ?? 0,
    reviews: t?.t_reviews ?? 0,
  };
  return {
    from: iso(p.from),
    to: iso(p.to),
    ...summary(totals),
    series: rows.map((r) => ({ period: r.period, start: new Date(r.start).toISOString(), ...summary(r) })),
  };
}

function summary(c: Counts) {
  return {
    nps: {
      score: npsScore(c),
      promoters: c.promoters,
      passives: c.passives,
      detractors: c.detractors,
      respondents: c.promoters + c.passives + c.detractors,
      responses: c.responses,
      marginOfError: npsMarginOfError(c),
    },
    csat: {
      score: csatScore(c.satisfied, c.csat_responses),
      responses: c.csat_responses,
      satisfied: c.satisfied,
      surveys: c.surveys,
      reviews: c.reviews,
    },
  };
}

/**
 * One statement, one pass over the period's answers in index order (customer, time, id): an
 * answer is its customer's latest in its bucket when the customer's next answer in the period
 * falls in another bucket (buckets follow time) or does not exist, and latest in the period when
 * there is no next one. So the buckets and the totals come from the same rows, with no sort of
 * the answers and no second scan.
 */
function statement(ctx: VerbContext, p: Period, interval: SatisfactionQuery['interval']) {
  const m = ctx.merchant.id;
  const tz = ctx.merchant.timezone;
  const local = (instant: SQL) => sql`date_trunc(${interval}, ${instant} at time zone ${tz})`;
  const edge = (d: Date | null) => (d ? local(sql`${d.toISOString()}::timestamptz`) : sql`null::timestamp`);
  const nps = (last: string, range: [number, number]) =>
    sql.raw(`count(*) filter (where ${last} and score between ${range[0]} and ${range[1]})::int`);
  return sql`with
    answers as (
      select score, b, lead(b) over (partition by customer_id order by responded_at, id) as next_b
      from (select customer_id, responded_at, id, score, ${local(sql`responded_at`)} as b
            from survey_responses where merchant_id = ${m} and kind = 'nps' and ${within('responded_at', p)}) a),
    n as (
      select b, count(*)::int as responses,
        ${nps('next_b is distinct from b', [9, 10])} as promoters, ${nps('next_b is distinct from b', [7, 8])} as passives,
        ${nps('next_b is distinct from b', [0, 6])} as detractors,
        ${nps('next_b is null', [9, 10])} as t_promoters, ${nps('next_b is null', [7, 8])} as t_passives,
        ${nps('next_b is null', [0, 6])} as t_detractors
      from answers group by b),
    signals as (
      select score, true as survey, ${local(sql`responded_at`)} as b
      from survey_responses where merchant_id = ${m} and kind = 'csat' and ${within('responded_at', p)}
      union all
      select (payload::jsonb ->> 'rating')::int, false, ${local(sql`occurred_at`)}
      from activities where merchant_id = ${m} and type = 'review' and ${within('occurred_at', p)}
        and jsonb_typeof(payload::jsonb -> 'rating') = 'number'),
    c as (
      select b, count(*)::int as csat_responses, count(*) filter (where score >= 4)::int as satisfied,
        count(*) filter (where survey)::int as surveys, count(*) filter (where not survey)::int as reviews
      from signals group by b),
    bounds as (
      select coalesce(${edge(p.from)}, least((select min(b) from n), (select min(b) from c))) as lo,
             coalesce(${edge(p.to)}, greatest((select max(b) from n), (select max(b) from c))) as hi),
    g as (select generate_series(lo, hi, ${`1 ${interval}`}::interval) as b from bounds where lo is not null),
    totals as (
      select coalesce(sum(responses), 0)::int as t_responses, coalesce(sum(t_promoters), 0)::int as t_promoters,
        coalesce(sum(t_passives), 0)::int as t_passives, coalesce(sum(t_detractors), 0)::int as t_detractors,
        (select coalesce(sum(csat_responses), 0) from c)::int as t_csat_responses,
        (select coalesce(sum(satisfied), 0) from c)::int as t_satisfied,
        (select coalesce(sum(surveys), 0) from c)::int as t_surveys,
        (select coalesce(sum(reviews), 0) from c)::int as t_reviews
      from n)
    select to_char(g.b, 'YYYY-MM-DD') as period, (g.b at time zone ${tz}) as start,
      coalesce(n.responses, 0) as responses, coalesce(n.promoters, 0) as promoters,
      coalesce(n.passives, 0) as passives, coalesce(n.detractors, 0) as detractors,
      coalesce(c.csat_responses, 0) as csat_responses, coalesce(c.satisfied, 0) as satisfied,
      coalesce(c.surveys, 0) as surveys, coalesce(c.reviews, 0) as reviews, totals.*
    from g cross join totals left join n using (b) left join c using (b)
    order by g.b limit ${MAX_PERIODS + 1}`;
}
