import { type SQL, sql } from 'drizzle-orm';
import type { VerbContext } from '../../deps';
import { type Executor, query } from '../../lib/db';
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
  const [totals, series] = await inSnapshot(ctx, async (db) => [
    await totalsOf(db, ctx, p),
    await seriesOf(db, ctx, p, q.interval),
  ]);
  if (series.length > MAX_PERIODS) {
    throw new ValidationFailed([
      {
        path: 'interval',
        message: `gives more than ${MAX_PERIODS} periods; use a longer interval or a shorter period`,
      },
    ]);
  }
  return {
    from: iso(p.from),
    to: iso(p.to),
    ...summary(totals[0]!),
    series: series.map((r) => ({ period: r.period, start: new Date(r.start).toISOString(), ...summary(r) })),
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

/** NPS answers and CSAT signals (CSAT answers, review ratings) of the period, with their local bucket. */
function sources(ctx: VerbContext, p: Period, bucket: (column: string) => SQL) {
  const m = ctx.merchant.id;
  return sql`nps as (
      select customer_id, score, responded_at, id, ${bucket('responded_at')} as b
      from survey_responses where merchant_id = ${m} and kind = 'nps' and ${within('responded_at', p)}),
    csat as (
      select score, 'survey' as src, ${bucket('responded_at')} as b
      from survey_responses where merchant_id = ${m} and kind = 'csat' and ${within('responded_at', p)}
      union all
      select (payload::jsonb ->> 'rating')::int, 'review', ${bucket('occurred_at')}
      from activities where merchant_id = ${m} and type = 'review' and ${within('occurred_at', p)}
        and jsonb_typeof(payload::jsonb -> 'rating') = 'number'),
    latest as (
      select distinct on (b, customer_id) b, score from nps order by b, customer_id, responded_at desc, id desc),
    n as (
      select b, count(*) filter (where score >= 9)::int as promoters,
        count(*) filter (where score between 7 and 8)::int as passives,
        count(*) filter (where score <= 6)::int as detractors
      from latest group by b),
    nr as (select b, count(*)::int as responses from nps group by b),
    c as (
      select b, count(*)::int as csat_responses, count(*) filter (where score >= 4)::int as satisfied,
        count(*) filter (where src = 'survey')::int as surveys, count(*) filter (where src = 'review')::int as reviews
      from csat group by b)`;
}

const counts = sql`coalesce(nr.responses, 0) as responses, coalesce(n.promoters, 0) as promoters,
  coalesce(n.passives, 0) as passives, coalesce(n.detractors, 0) as detractors,
  coalesce(c.csat_responses, 0) as csat_responses, coalesce(c.satisfied, 0) as satisfied,
  coalesce(c.surveys, 0) as surveys, coalesce(c.reviews, 0) as reviews`;

function totalsOf(db: Executor, ctx: VerbContext, p: Period) {
  return query<Counts>(
    db,
    sql`with ${sources(ctx, p, () => sql`0`)}, g as (select 0 as b)
        select ${counts} from g left join n using (b) left join nr using (b) left join c using (b)`,
  );
}

function seriesOf(db: Executor, ctx: VerbContext, p: Period, interval: SatisfactionQuery['interval']) {
  const tz = ctx.merchant.timezone;
  const local = (instant: SQL) => sql`date_trunc(${interval}, ${instant} at time zone ${tz})`;
  const edge = (d: Date | null) => (d ? local(sql`${d.toISOString()}::timestamptz`) : sql`null::timestamp`);
  return query<Counts & { period: string; start: string | Date }>(
    db,
    sql`with ${sources(ctx, p, (column) => local(sql.raw(column)))},
        bounds as (
          select coalesce(${edge(p.from)}, least((select min(b) from nps), (select min(b) from csat))) as lo,
                 coalesce(${edge(p.to)}, greatest((select max(b) from nps), (select max(b) from csat))) as hi),
        g as (
          select generate_series(lo, hi, ${`1 ${interval}`}::interval) as b from bounds where lo is not null)
        select to_char(g.b, 'YYYY-MM-DD') as period, (g.b at time zone ${tz}) as start, ${counts}
        from g left join n using (b) left join nr using (b) left join c using (b)
        order by g.b limit ${MAX_PERIODS + 1}`,
  );
}
