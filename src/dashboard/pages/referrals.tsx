import { Hono } from 'hono';
import { ValidationFailed } from '../../lib/errors';
import { referralFunnel } from '../../modules/insights/program';
import { referralsSatisfactionReport } from '../../modules/insights/referrals-satisfaction';
import {
  PeriodQuery,
  type ProgramReport,
  type ReferralsSatisfactionReport,
} from '../../modules/insights/schemas';
import { BarChart } from '../charts';
import { invalidPeriodPage, PeriodFilter, readPeriod } from '../components/insights-period';
import { ReferredVsOrganic, SegmentTable } from '../components/insights-referrals';
import { ReferralFunnel } from '../components/referral-funnel';
import { type DashEnv, dashboardContext } from '../context';
import { formatInt, formatNumber, formatRate } from '../format';
import { Figure, Page } from '../layout';

const PAGE = { title: 'Referrals × satisfaction', path: '/dashboard/referrals' };

const SEGMENT_LABELS = {
  promoter: 'Promoters',
  passive: 'Passives',
  detractor: 'Detractors',
  none: 'No answer',
} as const;

const signed = (n: number | null) => formatNumber(n, 2);

/** Who refers, by satisfaction: rates per NPS segment, the correlation, referred vs organic, the funnel. */
export function referralsPage() {
  const app = new Hono<DashEnv>();
  app.get(PAGE.path, async (c) => {
    const input = readPeriod(c, PeriodQuery, false);
    if ('errors' in input)
      return invalidPeriodPage(c, PAGE, input.values, new ValidationFailed(input.errors));
    const ctx = dashboardContext(c);
    let report: ReferralsSatisfactionReport;
    let funnel: ProgramReport['funnel'];
    try {
      [report, funnel] = await Promise.all([
        referralsSatisfactionReport(ctx, input.query),
        referralFunnel(ctx, input.query),
      ]);
    } catch (error) {
      return invalidPeriodPage(c, PAGE, input.values, error);
    }
    const { spearman } = report;
    const f = funnel;
    const detractorRate = report.segments.find((s) => s.segment === 'detractor')?.referralRate;
    const rates = report.segments.map((s) => `${SEGMENT_LABELS[s.segment]} ${formatRate(s.referralRate)}`);
    return c.html(
      <Page title={PAGE.title} current={PAGE.path} session={c.get('session')}>
        <PeriodFilter action={PAGE.path} values={input.values} />
        <h2>Referral rate by NPS segment</h2>
        <dl class="figures">
          <Figure
            name="promoter-lift"
            label="Promoter lift"
            value={report.promoterLift == null ? '—' : `${formatNumber(report.promoterLift, 2)}×`}
            hint={
              report.promoterLift != null
                ? "Promoters' referral rate over detractors'"
                : detractorRate === 0
                  ? 'Undefined: no detractor referred'
                  : 'Undefined: no promoters or no detractors'
            }
          />
          <Figure
            name="spearman-rho"
            label="Spearman ρ, NPS score vs referrals"
            value={signed(spearman.rho)}
            hint={`n = ${formatInt(spearman.n)} customers with an answer`}
          />
          <Figure
            name="spearman-ci"
            label="ρ, 95 % interval"
            value={
              spearman.ciLow == null || spearman.ciHigh == null
                ? '—'
                : `${signed(spearman.ciLow)} to ${signed(spearman.ciHigh)}`
            }
          />
          <Figure name="spearman-n" label="Customers in ρ" value={formatInt(spearman.n)} />
        </dl>
        <BarChart
          title="Referral rate by NPS segment"
          description={`Share of customers who referred at least once in the period: ${rates.join(', ')}.`}
          xLabel="Segment (latest NPS answer)"
          yLabel="Customers who referred (%)"
          bars={report.segments.map((s) => ({
            label: SEGMENT_LABELS[s.segment],
            value: s.referralRate == null ? null : s.referralRate * 100,
            text: formatRate(s.referralRate),
          }))}
        />
        <SegmentTable report={report} labels={SEGMENT_LABELS} />
        <h2>Referred and organic customers</h2>
        <ReferredVsOrganic report={report} />
        <h2>Referral funnel</h2>
        <ReferralFunnel title="Referral funnel in the period" funnel={f} />
      </Page>,
    );
  });
  return app;
}
