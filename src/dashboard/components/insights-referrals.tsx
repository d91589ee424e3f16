import type { ReferralsSatisfactionReport } from '../../modules/insights/schemas';
import { formatInt, formatMoney, formatNumber, formatRate } from '../format';

type Segment = ReferralsSatisfactionReport['segments'][number]['segment'];

/** One row per NPS segment; each cell carries `data-figure="<column>-<segment>"` for tests. */
export function SegmentTable(props: {
  report: ReferralsSatisfactionReport;
  labels: Record<Segment, string>;
}) {
  const money = (n: number) => formatMoney(n, props.report.currency);
  const columns = [
    ['customers', 'Customers', (s) => formatInt(s.customers)],
    ['referrers', 'Referrers', (s) => formatInt(s.referrers)],
    ['rate', 'Referral rate', (s) => formatRate(s.referralRate)],
    ['referrals', 'Referrals', (s) => formatInt(s.referrals)],
    ['per-customer', 'Per customer', (s) => formatNumber(s.referralsPerCustomer, 3)],
    ['qualified', 'Qualified', (s) => formatInt(s.qualifiedReferrals)],
    ['revenue', "Referees' revenue", (s) => money(s.revenue)],
  ] as const satisfies readonly (readonly [
    string,
    string,
    (s: ReferralsSatisfactionReport['segments'][number]) => string,
  ])[];
  return (
    <table>
      <caption>Referrals made in the period, by the referrer's latest NPS answer</caption>
      <thead>
        <tr>
          <th scope="col">Segment</th>
          {columns.map(([, label]) => (
            <th scope="col" class="num">
              {label}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.report.segments.map((s) => (
          <tr>
            <th scope="row">{props.labels[s.segment]}</th>
            {columns.map(([key, , show]) => (
              <td class="num" data-figure={`${key}-${s.segment}`}>
                {show(s)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Cohort = ReferralsSatisfactionReport['referredVsOrganic']['referred'];

/** Referred customers beside organic ones; cells carry `data-figure="<group>-<metric>"`. */
export function ReferredVsOrganic(props: { report: ReferralsSatisfactionReport }) {
  const { referred, organic } = props.report.referredVsOrganic;
  const rows = [
    ['customers', 'Customers', (c) => formatInt(c.customers)],
    ['avg-nps', 'Average NPS score (0–10)', (c) => formatNumber(c.avgNps, 2)],
    ['repeat', 'Repeat purchase (2+ orders)', (c) => formatRate(c.repeatPurchaseRate)],
    ['retention', '90-day retention', (c) => formatRate(c.retention90d)],
    ['aov', 'Average order value', (c) => formatMoney(c.averageOrderValue, props.report.currency)],
  ] as const satisfies readonly (readonly [string, string, (c: Cohort) => string])[];
  return (
    <table>
      <caption>Customers referred by someone, against everyone else</caption>
      <thead>
        <tr>
          <th scope="col">Measure</th>
          <th scope="col" class="num">
            Referred
          </th>
          <th scope="col" class="num">
            Organic
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([key, label, show]) => (
          <tr>
            <th scope="row">{label}</th>
            <td class="num" data-figure={`referred-${key}`}>
              {show(referred)}
            </td>
            <td class="num" data-figure={`organic-${key}`}>
              {show(organic)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
