import { REWARD_KINDS, type RewardKind } from '../../../db/schema';
import type { Merchant } from '../../deps';
import type { RewardRow } from '../../modules/rewards/view';
import { field } from '../context';
import {
  Checkbox,
  type Errors,
  FormError,
  fromMinor,
  Input,
  numberOrBlank,
  Select,
  toMinor,
} from '../fields';
import { CsrfField } from '../layout';
import type { DashboardSession } from '../session';
import { localInput, zonedToUtc } from './program-time';

export const KIND_LABELS: Record<RewardKind, string> = {
  discount_fixed: 'Fixed discount',
  discount_percent: 'Percent discount',
  free_shipping: 'Free shipping',
  store_credit: 'Store credit',
  product: 'Free product',
};

/** What the reward form holds: the user's text, kept as typed when the form comes back with errors. */
export interface RewardForm {
  name: string;
  description: string;
  kind: string;
  value: string;
  productId: string;
  costPoints: string;
  minTier: string;
  stock: string;
  perCustomerLimit: string;
  startsAt: string;
  endsAt: string;
  active: boolean;
}

export const EMPTY_REWARD: RewardForm = {
  name: '',
  description: '',
  kind: 'discount_fixed',
  value: '',
  productId: '',
  costPoints: '',
  minTier: '',
  stock: '',
  perCustomerLimit: '',
  startsAt: '',
  endsAt: '',
  active: true,
};

const TEXT_FIELDS = Object.keys(EMPTY_REWARD).filter((k) => k !== 'active') as Exclude<
  keyof RewardForm,
  'active'
>[];

export function readRewardForm(body: Record<string, unknown>): RewardForm {
  const form = { ...EMPTY_REWARD, active: field(body, 'active') === 'on' };
  for (const k of TEXT_FIELDS) form[k] = field(body, k);
  return form;
}

export function rewardToForm(r: RewardRow, merchant: Merchant): RewardForm {
  return {
    name: r.name,
    description: r.description ?? '',
    kind: r.kind,
    value: r.kind === 'discount_percent' ? String(r.value ?? '') : fromMinor(r.value, merchant.currency),
    productId: r.productId ?? '',
    costPoints: String(r.costPoints),
    minTier: r.minTier ?? '',
    stock: r.stock == null ? '' : String(r.stock),
    perCustomerLimit: r.perCustomerLimit == null ? '' : String(r.perCustomerLimit),
    startsAt: localInput(r.startsAt, merchant.timezone),
    endsAt: localInput(r.endsAt, merchant.timezone),
    active: r.active,
  };
}

/**
 * The form as the API's reward input: blanks are absent (`blank: undefined`, creating) or
 * cleared (`blank: null`, editing). Money is typed in major units and stored in minor units of
 * the merchant currency, which is the only currency a reward may carry.
 */
export function rewardInput(form: RewardForm, merchant: Merchant, blank: undefined | null) {
  const or = <T,>(v: T | undefined) => (v === undefined ? blank : v);
  const percent = form.kind === 'discount_percent';
  const value = percent ? numberOrBlank(form.value) : toMinor(form.value, merchant.currency);
  return {
    name: form.name,
    description: or(form.description || undefined),
    kind: form.kind,
    value: or(value),
    currency: or(value !== undefined && !percent ? merchant.currency : undefined),
    productId: or(form.productId || undefined),
    costPoints: numberOrBlank(form.costPoints),
    minTier: or(form.minTier || undefined),
    stock: or(numberOrBlank(form.stock)),
    perCustomerLimit: or(numberOrBlank(form.perCustomerLimit)),
    startsAt: or(zonedToUtc(form.startsAt, merchant.timezone)),
    endsAt: or(zonedToUtc(form.endsAt, merchant.timezone)),
    active: form.active,
  };
}

/** Schema paths to inputs: the currency is derived from the value, so its errors show there. */
export const rewardErrorField = (path: string) =>
  path === 'currency' ? 'value' : path in EMPTY_REWARD ? path : '';

export function RewardFormView(props: {
  form: RewardForm;
  errors: Errors;
  /** The reward being edited; a new one when absent. */
  editing?: RewardRow | undefined;
  tiers: string[];
  merchant: Merchant;
  session: DashboardSession;
}) {
  const { form, errors: e, editing, merchant } = props;
  const action = editing
    ? `/dashboard/program/rewards/${encodeURIComponent(editing.id)}`
    : '/dashboard/program/rewards';
  const tierOptions = [...new Set([...props.tiers, ...(form.minTier ? [form.minTier] : [])])];
  return (
    <form method="post" action={action} class="stack" id="reward-form" novalidate>
      <CsrfField session={props.session} />
      <FormError id="reward" errors={e} />
      <Input id="reward-name" name="name" label="Name" value={form.name} error={e.name} required />
      <Input
        id="reward-description"
        name="description"
        label="Description (optional)"
        value={form.description}
        error={e.description}
      />
      <div class="row">
        <Select
          id="reward-kind"
          name="kind"
          label="Kind"
          value={form.kind}
          error={e.kind}
          options={REWARD_KINDS.map((k) => ({ value: k, label: KIND_LABELS[k] }))}
        />
        <Input
          id="reward-value"
          name="value"
          label="Value"
          value={form.value}
          error={e.value}
          inputmode="decimal"
          hint={`In ${merchant.currency} (e.g. 5.00); a percentage 1–100 for a percent discount; optional for free shipping (a cap) and products (the price).`}
        />
        <Input
          id="reward-product"
          name="productId"
          label="Product id"
          value={form.productId}
          error={e.productId}
          hint="Free product rewards only: the shop's product or SKU id."
        />
      </div>
      <div class="row">
        <Input
          id="reward-cost"
          name="costPoints"
          label="Cost in points"
          value={form.costPoints}
          error={e.costPoints}
          inputmode="numeric"
          required
        />
        <Input
          id="reward-stock"
          name="stock"
          label="Stock"
          value={form.stock}
          error={e.stock}
          inputmode="numeric"
          hint="Blank: unlimited."
        />
        <Input
          id="reward-limit"
          name="perCustomerLimit"
          label="Limit per customer"
          value={form.perCustomerLimit}
          error={e.perCustomerLimit}
          inputmode="numeric"
          hint="Blank: no limit."
        />
        <Select
          id="reward-tier"
          name="minTier"
          label="Minimum tier"
          value={form.minTier}
          error={e.minTier}
          options={[{ value: '', label: 'Any tier' }, ...tierOptions.map((t) => ({ value: t, label: t }))]}
        />
      </div>
      <div class="row">
        <Input
          id="reward-starts"
          name="startsAt"
          label="Starts"
          type="datetime-local"
          value={form.startsAt}
          error={e.startsAt}
          hint={`Optional, ${merchant.timezone} time.`}
        />
        <Input
          id="reward-ends"
          name="endsAt"
          label="Ends"
          type="datetime-local"
          value={form.endsAt}
          error={e.endsAt}
          hint="Optional; redeemable until just before."
        />
      </div>
      <Checkbox
        id="reward-active"
        name="active"
        label="Active (customers can redeem it)"
        checked={form.active}
        error={e.active}
      />
      <button type="submit">{editing ? 'Save reward' : 'Add reward'}</button>
      {editing && (
        <a class="cancel" href="/dashboard/program#rewards-heading">
          Cancel
        </a>
      )}
    </form>
  );
}
