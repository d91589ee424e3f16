import type { DraftPreview } from '../../modules/rules/preview-draft';
import { formatInt, formatMoney } from '../format';
import { LABELS } from './rules-form';
import type { FormErrors, RuleField } from './rules-input';

const REASONS: Record<DraftPreview['skipped'][number]['reason'], string> = {
  inactive: 'inactive',
  outside_window: 'outside its active window',
  condition_false: 'condition not met',
  cap_reached: 'per-customer cap reached',
  budget_exhausted: 'budget used up',
  superseded: 'superseded by an exclusive rule',
  no_amount: 'the event has no amount',
  zero_points: 'computes to 0 points',
};

// The trace's steps in the order they are computed; `rule`, `priority` and `points` have their own columns.
const STEPS: [string, string][] = [
  ['condition', 'Condition'],
  ['base', 'Base'],
  ['tierMultiplier', 'Tier multiplier'],
  ['capped', 'Capped'],
  ['budget', 'Budget'],
];

/** What the preview found: the total, then every rule for the event with why it did or did not match. */
export function PreviewTrace({
  result,
  event,
  ruleEvent,
  currency,
}: {
  result: DraftPreview;
  event: string;
  ruleEvent: string;
  currency: string;
}) {
  const matched = new Map(result.matched.map((m) => [m.ruleId, m]));
  const skipped = new Map(result.skipped.map((s) => [s.ruleId, s]));
  const { facts } = result;
  return (
    <div class="preview-result" data-preview-total={result.total}>
      <p>
        <strong>{`${formatInt(result.total)} points`}</strong>
        {` in all for this ${event} event`}
        {facts.amount !== null && ` of ${formatMoney(facts.amount, currency)}`}
        {facts.knownCustomer ? ', with the customer’s own facts' : ', for a hypothetical customer'}
        {facts.tierMultiplier !== 1 && ` (tier multiplier ×${facts.tierMultiplier})`}.
      </p>
      {event !== ruleEvent && (
        <p class="notice error">
          {`This rule listens to ${ruleEvent}; the sample is a ${event} event, so the rule does not run. Set "type" in the sample or leave it out.`}
        </p>
      )}
      {result.rules.length === 0 ? (
        <p>{`No rule listens to ${event} events.`}</p>
      ) : (
        <table aria-label="Preview: each rule for the event, in evaluation order">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">Result</th>
              <th scope="col">Why</th>
              <th scope="col" class="num">
                Points
              </th>
            </tr>
          </thead>
          <tbody>
            {result.rules.map((rule) => {
              const m = matched.get(rule.id);
              const s = skipped.get(rule.id);
              return (
                <tr data-rule={rule.id} data-outcome={m ? 'matched' : 'skipped'}>
                  <th scope="row">
                    {rule.name}
                    {rule.draft && <span class="badge">this rule, unsaved</span>}
                  </th>
                  <td>{m ? 'Matched' : `Skipped: ${s ? REASONS[s.reason] : 'not evaluated'}`}</td>
                  <td>
                    {m ? (
                      <ul class="steps">
                        {STEPS.filter(([key]) => m.trace[key] !== undefined).map(([key, label]) => (
                          <li>{`${label}: ${String(m.trace[key])}`}</li>
                        ))}
                        {m.pendingDays !== null && <li>{`Pending for ${m.pendingDays} days`}</li>}
                      </ul>
                    ) : (
                      s?.detail
                    )}
                  </td>
                  <td class="num">{m ? formatInt(m.points) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Why there is no preview yet: the rule or the sample has problems (shown at their fields too). */
export function PreviewProblems({ errors }: { errors: FormErrors }) {
  const entries = Object.entries(errors).filter(([, list]) => list && list.length > 0);
  return (
    <div class="preview-result">
      <p>The preview needs a valid rule and sample event:</p>
      <ul>
        {entries.map(([name, list]) => (
          <li>{`${name === 'form' ? 'Form' : LABELS[name as RuleField]}: ${list!.join('; ')}`}</li>
        ))}
      </ul>
    </div>
  );
}
