import type { Merchant } from '../../deps';
import type { RewardRow } from '../../modules/rewards/view';
import { formatInstant, formatInt, formatMoney } from '../format';
import { CsrfField } from '../layout';
import type { DashboardSession } from '../session';
import { KIND_LABELS } from './program-rewards';

function window(r: RewardRow, timeZone: string): string {
  if (!r.startsAt && !r.endsAt) return 'Always';
  const from = r.startsAt ? `from ${formatInstant(r.startsAt, timeZone)}` : '';
  const until = r.endsAt ? `until ${formatInstant(r.endsAt, timeZone)}` : '';
  return [from, until].filter(Boolean).join(' ');
}

function valueText(r: RewardRow, currency: string): string {
  if (r.kind === 'discount_percent') return `${r.value} %`;
  return r.value == null ? '' : formatMoney(r.value, currency);
}

export function RewardsTable(props: { rewards: RewardRow[]; merchant: Merchant; session: DashboardSession }) {
  const { merchant } = props;
  if (props.rewards.length === 0) return <p class="muted">No rewards yet: add the first one below.</p>;
  return (
    <div class="scroll">
      <table id="rewards">
        <caption>Rewards, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Kind</th>
            <th scope="col" class="num">
              Cost (points)
            </th>
            <th scope="col" class="num">
              Stock
            </th>
            <th scope="col" class="num">
              Per customer
            </th>
            <th scope="col">Min tier</th>
            <th scope="col">Window</th>
            <th scope="col">Active</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {props.rewards.map((r) => (
            <tr data-reward={r.id}>
              <th scope="row">{r.name}</th>
              <td>{`${KIND_LABELS[r.kind]} ${valueText(r, merchant.currency)}`.trim()}</td>
              <td class="num">{formatInt(r.costPoints)}</td>
              <td class="num">{r.stock == null ? 'Unlimited' : formatInt(r.stock)}</td>
              <td class="num">{r.perCustomerLimit == null ? 'No limit' : formatInt(r.perCustomerLimit)}</td>
              <td>{r.minTier ?? 'Any'}</td>
              <td>{window(r, merchant.timezone)}</td>
              <td>{r.active ? 'Yes' : 'No'}</td>
              <td class="actions">
                <a href={`/dashboard/program?edit=${encodeURIComponent(r.id)}#reward-form`}>
                  Edit<span class="visually-hidden">{` ${r.name}`}</span>
                </a>
                <form method="post" action={`/dashboard/program/rewards/${encodeURIComponent(r.id)}`}>
                  <CsrfField session={props.session} />
                  <input type="hidden" name="_action" value={r.active ? 'deactivate' : 'activate'} />
                  <button type="submit" class="link">
                    {r.active ? 'Deactivate' : 'Activate'}
                    <span class="visually-hidden">{` ${r.name}`}</span>
                  </button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
