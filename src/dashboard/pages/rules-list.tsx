import type { Merchant } from '../../deps';
import type { EarningRuleRow } from '../../modules/rules/evaluate';
import { formatInstant, formatInt, formatMoney } from '../format';

export function rewardSummary(reward: EarningRuleRow['reward'], currency: string): string {
  switch (reward.type) {
    case 'points_per_amount': {
      const rounding = reward.rounding && reward.rounding !== 'floor' ? `, ${reward.rounding}` : '';
      return `${formatInt(reward.points)} pt per ${formatMoney(reward.per, currency)}${rounding}`;
    }
    case 'fixed':
      return `${formatInt(reward.points)} pt`;
    case 'multiplier':
      return `× ${reward.factor} of the base points`;
  }
}

function windowText(rule: EarningRuleRow, timeZone: string): string {
  if (!rule.startsAt && !rule.endsAt) return 'Always';
  if (!rule.endsAt) return `From ${formatInstant(rule.startsAt, timeZone)}`;
  if (!rule.startsAt) return `Until ${formatInstant(rule.endsAt, timeZone)}`;
  return `${formatInstant(rule.startsAt, timeZone)} – ${formatInstant(rule.endsAt, timeZone)}`;
}

const conditionText = (logic: unknown) => {
  const text = JSON.stringify(logic);
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
};

/** Whether the rule awards points now, in words (never colour alone). */
function status(rule: EarningRuleRow, now: Date): string {
  if (!rule.active) return 'Inactive';
  if (rule.startsAt && now < rule.startsAt) return 'Scheduled';
  if (rule.endsAt && now >= rule.endsAt) return 'Ended';
  if (rule.limits?.budget !== undefined && rule.budgetUsed >= rule.limits.budget) return 'Budget used up';
  return 'Active';
}

function limitsText(rule: EarningRuleRow): string {
  const parts: string[] = [];
  const cap = rule.limits?.perCustomer;
  if (cap) parts.push(`${formatInt(cap.count)} per customer per ${cap.period}`);
  const budget = rule.limits?.budget;
  if (budget !== undefined) parts.push(`${formatInt(rule.budgetUsed)} of ${formatInt(budget)} pt used`);
  return parts.length > 0 ? parts.join('; ') : 'None';
}

/** The merchant's rules with what each gives, when, in which order, and whether it is live. */
export function RulesTable({
  rules,
  merchant,
  now,
}: {
  rules: EarningRuleRow[];
  merchant: Merchant;
  now: Date;
}) {
  if (rules.length === 0) {
    return <p>No earning rules yet. Create one to start awarding points.</p>;
  }
  return (
    <table class="rules">
      <caption>{`${rules.length} earning rule${rules.length === 1 ? '' : 's'}`}</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Event</th>
          <th scope="col">Reward</th>
          <th scope="col">Condition</th>
          <th scope="col">Active window</th>
          <th scope="col" class="num">
            Priority
          </th>
          <th scope="col">Stacking</th>
          <th scope="col">Limits and budget</th>
          <th scope="col">Status</th>
        </tr>
      </thead>
      <tbody>
        {rules.map((rule) => (
          <tr data-rule={rule.id}>
            <th scope="row">
              <a href={`/dashboard/rules/${rule.id}`}>{rule.name}</a>
            </th>
            <td>
              <code>{rule.event}</code>
            </td>
            <td>{rewardSummary(rule.reward, merchant.currency)}</td>
            <td>{rule.condition == null ? 'None' : <code>{conditionText(rule.condition)}</code>}</td>
            <td>{windowText(rule, merchant.timezone)}</td>
            <td class="num">{rule.priority}</td>
            <td>{rule.stackable ? 'Stacks' : 'Exclusive'}</td>
            <td>{limitsText(rule)}</td>
            <td>
              <span class={`badge status-${status(rule, now).toLowerCase().replace(/ /g, '-')}`}>
                {status(rule, now)}
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
