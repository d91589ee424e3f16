import { Hono } from 'hono';
import { pointsFlow } from '../../modules/insights/points-flow';
import { programReport } from '../../modules/insights/program';
import { BarChart, DataTable, LineChart } from '../charts';
import { ReferralFunnel } from '../components/referral-funnel';
import { type DashEnv, dashboardContext } from '../context';
import { formatInt, formatMoney, formatNumber, formatRate } from '../format';
import { Figure, Page } from '../layout';

/** Program health at a glance: liability, flows over the last year, rates, the referral funnel. */
export function overviewPage() {
  const app = new Hono<DashEnv>();
  app.get('/dashboard', async (c) => {
    const ctx = dashboardContext(c);
    const [report, flow] = await Promise.all([programReport(ctx, {}), pointsFlow(ctx, 12)]);
    const money = (n: number) => formatMoney(n, report.liability.currency);
    const labels = flow.map((b) => b.period.slice(0, 7));
    const f = report.funnel;
    return c.html(
      <Page title="Overview" current="/dashboard" session={c.get('session')}>
        <h2>Points liability</h2>
        <dl class="figures">
          <Figure
            name="liability-points"
            label="Outstanding points"
            value={formatInt(report.liability.points.total)}
            hint={`${formatInt(report.liability.points.available)} available, ${formatInt(report.liability.points.pending)} pending`}
          />
          <Figure
            name="liability-amount"
            label="Liability value"
            value={money(report.liability.amount.total)}
          />
          <Figure
            name="reserved-points"
            label="Held by reservations"
            value={formatInt(report.liability.points.reserved)}
          />
        </dl>
        <h2>All time</h2>
        <dl class="figures">
          <Figure name="issued" label="Points issued" value={formatInt(report.issued)} />
          <Figure name="redeemed" label="Points redeemed" value={formatInt(report.redeemed)} />
          <Figure name="expired" label="Points expired" value={formatInt(report.expired)} />
          <Figure name="redemption-rate" label="Redemption rate" value={formatRate(report.redemptionRate)} />
          <Figure name="breakage" label="Breakage" value={formatRate(report.breakage)} />
          <Figure name="active-members" label="Active members" value={formatInt(report.activeMembers)} />
          <Figure
            name="repeat-members"
            label="Repeat purchase, members"
            value={formatRate(report.repeatPurchaseRate.members)}
          />
          <Figure
            name="repeat-non-members"
            label="Repeat purchase, non-members"
            value={formatRate(report.repeatPurchaseRate.nonMembers)}
          />
          <Figure name="k-factor" label="K-factor" value={formatNumber(report.kFactor)} />
        </dl>
        <h2>Points over the last 12 months</h2>
        <LineChart
          title="Points issued, redeemed and expired per month"
          description={`Monthly points from ${labels[0]} to ${labels[labels.length - 1]}. Issued is solid with circles, redeemed solid with squares, expired dashed with triangles.`}
          labels={labels}
          xLabel="Month"
          yLabel="Points"
          series={[
            { name: 'Issued', values: flow.map((b) => b.issued) },
            { name: 'Redeemed', values: flow.map((b) => b.redeemed) },
            { name: 'Expired', values: flow.map((b) => b.expired), dashed: true },
          ]}
        />
        <DataTable
          caption="Points per month"
          head={['Month', 'Issued', 'Redeemed', 'Expired']}
          rows={flow.map((b, i) => [
            labels[i]!,
            formatInt(b.issued),
            formatInt(b.redeemed),
            formatInt(b.expired),
          ])}
        />
        <h2>Members and non-members</h2>
        <BarChart
          title="Repeat-purchase rate"
          description={`Members ${formatRate(report.repeatPurchaseRate.members)}, non-members ${formatRate(report.repeatPurchaseRate.nonMembers)}.`}
          xLabel="Customers"
          yLabel="Buyers with 2+ orders (%)"
          bars={[
            {
              label: 'Members',
              value: (report.repeatPurchaseRate.members ?? 0) * 100,
              text: formatRate(report.repeatPurchaseRate.members),
            },
            {
              label: 'Non-members',
              value: (report.repeatPurchaseRate.nonMembers ?? 0) * 100,
              text: formatRate(report.repeatPurchaseRate.nonMembers),
            },
          ]}
        />
        <h2>Referral funnel</h2>
        <ReferralFunnel title="Referral funnel, all time" funnel={f} />
      </Page>,
    );
  });
  return app;
}
