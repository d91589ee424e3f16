import { Hono } from 'hono';
import { ValidationFailed } from '../../lib/errors';
import { listDetractorComments } from '../../modules/feedback/list-detractor-comments';
import { resolvePeriod } from '../../modules/insights/period';
import { satisfactionReport } from '../../modules/insights/satisfaction';
import { SatisfactionQuery, type SatisfactionReport } from '../../modules/insights/schemas';
import { DataTable, LineChart } from '../charts';
import { DetractorComments } from '../components/insights-detractors';
import { invalidPeriodPage, PeriodFilter, readPeriod } from '../components/insights-period';
import { type DashEnv, dashboardContext } from '../context';
import { formatInt, formatNumber, formatRate } from '../format';
import { Figure, Page } from '../layout';

const PAGE = { title: 'Satisfaction', path: '/dashboard/satisfaction' };

const score = (n: number | null) => formatNumber(n, 1);
const margin = (n: number | null) => (n == null ? '—' : `± ${n.toFixed(1)}`);
const percent = (n: number | null) => (n == null ? '—' : `${n.toFixed(1)} %`);
const share = (part: number, whole: number) => (whole > 0 ? formatRate(part / whole) : '—');
const clamp = (v: number) => Math.max(-100, Math.min(100, v));

/** NPS and CSAT over a period, their trend, and the detractors to call back. */
export function satisfactionPage() {
  const app = new Hono<DashEnv>();
  app.get(PAGE.path, async (c) => {
    const input = readPeriod(c, SatisfactionQuery, true);
    if ('errors' in input)
      return invalidPeriodPage(c, PAGE, input.values, new ValidationFailed(input.errors));
    const ctx = dashboardContext(c);
    let report: SatisfactionReport;
    let detractors: Awaited<ReturnType<typeof listDetractorComments>>;
    try {
      const period = resolvePeriod(ctx, input.query);
      [report, detractors] = await Promise.all([
        satisfactionReport(ctx, input.query),
        listDetractorComments(ctx, period),
      ]);
    } catch (error) {
      return invalidPeriodPage(c, PAGE, input.values, error);
    }
    const { nps, csat, series } = report;
    const labels = series.map((b) => b.period);
    const span = labels.length > 0 ? `from ${labels[0]} to ${labels[labels.length - 1]}` : '';
    const per = input.query.interval;
    return c.html(
      <Page title={PAGE.title} current={PAGE.path} session={c.get('session')}>
        <PeriodFilter action={PAGE.path} values={input.values} />
        <h2>Net Promoter Score</h2>
        <dl class="figures">
          <Figure
            name="nps-score"
            label="NPS (−100 to 100)"
            value={score(nps.score)}
            hint="Each customer's latest answer"
          />
          <Figure name="nps-margin" label="Margin of error, 95 %" value={margin(nps.marginOfError)} />
          <Figure name="nps-respondents" label="Respondents" value={formatInt(nps.respondents)} />
          <Figure
            name="nps-promoters"
            label="Promoters (9–10)"
            value={formatInt(nps.promoters)}
            hint={share(nps.promoters, nps.respondents)}
          />
          <Figure
            name="nps-passives"
            label="Passives (7–8)"
            value={formatInt(nps.passives)}
            hint={share(nps.passives, nps.respondents)}
          />
          <Figure
            name="nps-detractors"
            label="Detractors (0–6)"
            value={formatInt(nps.detractors)}
            hint={share(nps.detractors, nps.respondents)}
          />
          <Figure name="nps-responses" label="NPS answers" value={formatInt(nps.responses)} />
        </dl>
        <h2>Customer satisfaction (CSAT)</h2>
        <dl class="figures">
          <Figure name="csat-score" label="CSAT, rated 4–5" value={percent(csat.score)} />
          <Figure
            name="csat-responses"
            label="CSAT signals"
            value={formatInt(csat.responses)}
            hint={`${formatInt(csat.surveys)} survey answers, ${formatInt(csat.reviews)} reviews`}
          />
        </dl>
        <h2>{`Trend by ${per}`}</h2>
        {series.length === 0 ? (
          <p class="muted">No answers in this period.</p>
        ) : (
          <>
            <LineChart
              title={`NPS by ${per}, with its 95 % margin of error`}
              description={`NPS per ${per} ${span}; the shaded band is the margin of error. Empty ${per}s leave a gap.`}
              labels={labels}
              xLabel={`${per[0]!.toUpperCase()}${per.slice(1)} starting`}
              yLabel="NPS (points)"
              yRange={[-100, 100]}
              series={[
                {
                  name: 'NPS',
                  values: series.map((b) => b.nps.score),
                  band: series.map(({ nps: n }) =>
                    n.score == null || n.marginOfError == null
                      ? { low: null, high: null }
                      : { low: clamp(n.score - n.marginOfError), high: clamp(n.score + n.marginOfError) },
                  ),
                },
              ]}
            />
            <DataTable
              caption={`NPS by ${per}`}
              head={[
                'Period',
                'NPS',
                'Margin',
                'Respondents',
                'Promoters',
                'Passives',
                'Detractors',
                'Answers',
              ]}
              rows={series.map(({ period, nps: n }) => [
                period,
                score(n.score),
                margin(n.marginOfError),
                formatInt(n.respondents),
                formatInt(n.promoters),
                formatInt(n.passives),
                formatInt(n.detractors),
                formatInt(n.responses),
              ])}
            />
            <LineChart
              title={`CSAT by ${per}`}
              description={`Percent of CSAT answers and review ratings at 4 or 5, per ${per} ${span}.`}
              labels={labels}
              xLabel={`${per[0]!.toUpperCase()}${per.slice(1)} starting`}
              yLabel="Rated 4–5 (%)"
              yRange={[0, 100]}
              series={[{ name: 'CSAT', values: series.map((b) => b.csat.score) }]}
            />
            <DataTable
              caption={`CSAT by ${per}`}
              head={['Period', 'CSAT', 'Signals', 'Rated 4–5', 'Survey answers', 'Reviews']}
              rows={series.map(({ period, csat: s }) => [
                period,
                percent(s.score),
                formatInt(s.responses),
                formatInt(s.satisfied),
                formatInt(s.surveys),
                formatInt(s.reviews),
              ])}
            />
          </>
        )}
        <h2>Latest detractor comments</h2>
        <DetractorComments rows={detractors} timeZone={ctx.merchant.timezone} />
      </Page>,
    );
  });
  return app;
}
