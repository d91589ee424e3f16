import type { ReferralReward } from '../../../db/schema';
import type { Merchant } from '../../deps';
import type { Program } from '../../modules/referrals/program';
import type { RewardRow } from '../../modules/rewards/view';
import { field } from '../context';
import {
  Checkbox,
  type Errors,
  Fieldset,
  FormError,
  fromMinor,
  Input,
  numberOrBlank,
  Select,
  toMinor,
} from '../fields';
import { CsrfField } from '../layout';
import type { DashboardSession } from '../session';

/** The referral program form, as typed. A side's reward is `points` or a catalog reward id. */
export interface ReferralForm {
  active: boolean;
  referrerReward: string;
  referrerPoints: string;
  refereeReward: string;
  refereePoints: string;
  minOrderTotal: string;
  holdDays: string;
  attributionWindowDays: string;
  capCount: string;
  capPeriod: string;
  linkTemplate: string;
}

const TEXT_FIELDS = [
  'referrerReward',
  'referrerPoints',
  'refereeReward',
  'refereePoints',
  'minOrderTotal',
  'holdDays',
  'attributionWindowDays',
  'capCount',
  'capPeriod',
  'linkTemplate',
] as const;

const side = (r: ReferralReward) =>
  'rewardId' in r ? { reward: r.rewardId, points: '' } : { reward: 'points', points: String(r.points) };

export function programToForm(p: Program, merchant: Merchant): ReferralForm {
  const referrer = side(p.referrerReward);
  const referee = side(p.refereeReward);
  return {
    active: p.active,
    referrerReward: referrer.reward,
    referrerPoints: referrer.points,
    refereeReward: referee.reward,
    refereePoints: referee.points,
    minOrderTotal: fromMinor(p.minOrderTotal, merchant.currency),
    holdDays: String(p.holdDays),
    attributionWindowDays: String(p.attributionWindowDays),
    capCount: p.maxRewardedPerReferrer ? String(p.maxRewardedPerReferrer.count) : '',
    capPeriod: p.maxRewardedPerReferrer?.period ?? 'month',
    linkTemplate: p.linkTemplate,
  };
}

export function readReferralForm(body: Record<string, unknown>): ReferralForm {
  const form = { active: field(body, 'active') === 'on' } as ReferralForm;
  for (const k of TEXT_FIELDS) form[k] = field(body, k);
  return form;
}

// A blank points field gives nothing, as `{points: 0}` does.
const rewardOf = (choice: string, points: string) =>
  choice === 'points' ? { points: numberOrBlank(points) ?? 0 } : { rewardId: choice };

/** The form as `ReferralProgramInput`; the order minimum is typed in major units. */
export function referralInput(form: ReferralForm, merchant: Merchant) {
  return {
    active: form.active,
    referrerReward: rewardOf(form.referrerReward, form.referrerPoints),
    refereeReward: rewardOf(form.refereeReward, form.refereePoints),
    minOrderTotal: toMinor(form.minOrderTotal, merchant.currency),
    holdDays: numberOrBlank(form.holdDays),
    attributionWindowDays: numberOrBlank(form.attributionWindowDays),
    maxRewardedPerReferrer:
      form.capCount === '' ? null : { count: numberOrBlank(form.capCount), period: form.capPeriod },
    linkTemplate: form.linkTemplate,
  };
}

export function referralErrorField(path: string): string {
  const [head, tail] = path.split('.', 2);
  if (head === 'referrerReward' || head === 'refereeReward') {
    return tail === 'points' ? head.replace('Reward', 'Points') : head;
  }
  if (head === 'maxRewardedPerReferrer') return tail === 'period' ? 'capPeriod' : 'capCount';
  return (TEXT_FIELDS as readonly string[]).includes(path) || path === 'active' ? path : '';
}

function RewardChoice(props: {
  who: 'referrer' | 'referee';
  label: string;
  form: ReferralForm;
  errors: Errors;
  rewards: RewardRow[];
}) {
  const { who, form, errors } = props;
  const choice = form[`${who}Reward`];
  const options = [
    { value: 'points', label: 'Points' },
    ...props.rewards.map((r) => ({
      value: r.id,
      label: `Reward: ${r.name}${r.active ? '' : ' (inactive)'}`,
    })),
  ];
  if (!options.some((o) => o.value === choice)) options.push({ value: choice, label: `Reward ${choice}` });
  return (
    <Fieldset legend={props.label}>
      <div class="row">
        <Select
          id={`${who}-reward`}
          name={`${who}Reward`}
          label="Gives"
          value={choice}
          error={errors[`${who}Reward`]}
          options={options}
        />
        <Input
          id={`${who}-points`}
          name={`${who}Points`}
          label="Points"
          value={form[`${who}Points`]}
          error={errors[`${who}Points`]}
          inputmode="numeric"
          hint="With “Points”; blank or 0 gives nothing."
        />
      </div>
    </Fieldset>
  );
}

export function ReferralProgramForm(props: {
  form: ReferralForm;
  errors: Errors;
  rewards: RewardRow[];
  merchant: Merchant;
  session: DashboardSession;
}) {
  const { form, errors: e } = props;
  return (
    <form method="post" action="/dashboard/program/referrals" class="stack" id="referrals-form" novalidate>
      <CsrfField session={props.session} />
      <FormError id="referrals" errors={e} />
      <Checkbox
        id="referral-active"
        name="active"
        label="Program active"
        checked={form.active}
        error={e.active}
      />
      <RewardChoice
        who="referrer"
        label="Referrer reward (the customer who shared)"
        form={form}
        errors={e}
        rewards={props.rewards}
      />
      <RewardChoice
        who="referee"
        label="Referee reward (the new customer)"
        form={form}
        errors={e}
        rewards={props.rewards}
      />
      <div class="row">
        <Input
          id="referral-min-order"
          name="minOrderTotal"
          label={`Minimum order total (${props.merchant.currency})`}
          value={form.minOrderTotal}
          error={e.minOrderTotal}
          inputmode="decimal"
        />
        <Input
          id="referral-hold"
          name="holdDays"
          label="Hold (days)"
          value={form.holdDays}
          error={e.holdDays}
          inputmode="numeric"
          hint="The return window before rewarding."
        />
        <Input
          id="referral-window"
          name="attributionWindowDays"
          label="Attribution window (days)"
          value={form.attributionWindowDays}
          error={e.attributionWindowDays}
          inputmode="numeric"
        />
      </div>
      <div class="row">
        <Input
          id="referral-cap"
          name="capCount"
          label="Rewarded referrals per referrer"
          value={form.capCount}
          error={e.capCount}
          inputmode="numeric"
          hint="Blank: no cap."
        />
        <Select
          id="referral-cap-period"
          name="capPeriod"
          label="Cap period"
          value={form.capPeriod}
          error={e.capPeriod}
          options={[
            { value: 'month', label: 'Per month' },
            { value: 'year', label: 'Per year' },
            { value: 'lifetime', label: 'Lifetime' },
          ]}
        />
      </div>
      <Input
        id="referral-link"
        name="linkTemplate"
        label="Referral link template"
        value={form.linkTemplate}
        error={e.linkTemplate}
        type="url"
        hint="Must contain {code}, e.g. https://shop.example/?ref={code}"
      />
      <button type="submit">Save referral program</button>
    </form>
  );
}
