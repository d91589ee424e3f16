import { type Context, Hono } from 'hono';
import { NotFound } from '../../lib/errors';
import { fieldErrors } from '../../lib/router';
import { getReferralProgram } from '../../modules/referrals/program';
import { ReferralProgramInput } from '../../modules/referrals/schemas';
import { setReferralProgram } from '../../modules/referrals/set-program';
import { createReward } from '../../modules/rewards/create-reward';
import { getReward } from '../../modules/rewards/find-reward';
import { listRewards } from '../../modules/rewards/list-rewards';
import { CreateRewardInput, UpdateRewardInput } from '../../modules/rewards/schemas';
import { updateReward } from '../../modules/rewards/update-reward';
import type { RewardRow } from '../../modules/rewards/view';
import { tierLadder } from '../../modules/tiers/ladder';
import { TierLadderInput } from '../../modules/tiers/schemas';
import { setTierLadder } from '../../modules/tiers/set-ladder';
import { type DashEnv, dashboardContext, field } from '../context';
import { type Errors, errorsAt, notFoundPage, refusal } from '../fields';
import { Page } from '../layout';
import {
  programToForm,
  type ReferralForm,
  ReferralProgramForm,
  readReferralForm,
  referralErrorField,
  referralInput,
} from './program-referrals';
import {
  EMPTY_REWARD,
  type RewardForm,
  RewardFormView,
  readRewardForm,
  rewardErrorField,
  rewardInput,
  rewardToForm,
} from './program-rewards';
import { RewardsTable } from './program-rewards-table';
import { ladderToForm, readTierForm, type TierForm, TierLadderForm, tierLadderInput } from './program-tiers';

type C = Context<DashEnv>;

const NOTICES: Record<string, string> = {
  'reward-created': 'Reward added.',
  'reward-saved': 'Reward saved.',
  'reward-deactivated': 'Reward deactivated: customers can no longer redeem it.',
  'reward-activated': 'Reward activated.',
  'tiers-saved': 'Tier ladder saved.',
  'referrals-saved': 'Referral program saved.',
};

/** What a failed post puts back on the page: the user's input and the errors at its fields. */
interface Retry {
  reward?: { form: RewardForm; errors: Errors; editing?: RewardRow };
  tiers?: { rows: TierForm[]; errors: Errors };
  referrals?: { form: ReferralForm; errors: Errors };
}

const HOW_TO_FIX = 'Nothing was saved: correct the fields marked below.';

async function render(c: C, retry: Retry = {}, opts: { editing?: RewardRow; status?: 200 | 422 } = {}) {
  const ctx = dashboardContext(c);
  const { merchant } = ctx;
  const session = c.get('session');
  const [rewards, ladder, program] = await Promise.all([
    listRewards(ctx, { limit: 100 }),
    tierLadder(ctx.db, merchant),
    getReferralProgram(ctx),
  ]);
  const editing = retry.reward?.editing ?? opts.editing;
  const rewardForm = retry.reward?.form ?? (editing ? rewardToForm(editing, merchant) : EMPTY_REWARD);
  const failed = opts.status === 422;
  const notice = failed
    ? { kind: 'error' as const, text: HOW_TO_FIX }
    : NOTICES[c.req.query('notice') ?? '']
      ? { kind: 'ok' as const, text: NOTICES[c.req.query('notice')!]! }
      : undefined;
  return c.html(
    <Page title="Rewards & tiers" current="/dashboard/program" session={session} notice={notice}>
      <section aria-labelledby="rewards-heading">
        <h2 id="rewards-heading">Rewards catalog</h2>
        <RewardsTable rewards={rewards.data} merchant={merchant} session={session} />
        {rewards.nextCursor && <p class="muted">Showing the first 100 rewards.</p>}
        <h3 id="reward-form-heading">{editing ? `Edit reward “${editing.name}”` : 'Add a reward'}</h3>
        <RewardFormView
          form={rewardForm}
          errors={retry.reward?.errors ?? {}}
          editing={editing}
          tiers={ladder.map((t) => t.name)}
          merchant={merchant}
          session={session}
        />
      </section>
      <section aria-labelledby="tiers-heading">
        <h2 id="tiers-heading">Tier ladder</h2>
        {ladder.length === 0 && <p class="muted">No tiers yet: every customer is untiered.</p>}
        <TierLadderForm
          rows={retry.tiers?.rows ?? ladderToForm(ladder)}
          errors={retry.tiers?.errors ?? {}}
          session={session}
        />
      </section>
      <section aria-labelledby="referrals-heading">
        <h2 id="referrals-heading">Referral program</h2>
        <ReferralProgramForm
          form={retry.referrals?.form ?? programToForm(program, merchant)}
          errors={retry.referrals?.errors ?? {}}
          rewards={rewards.data}
          merchant={merchant}
          session={session}
        />
      </section>
    </Page>,
    opts.status ?? 200,
  );
}

/** After a change, API keys resolve again: they carry the merchant's config version. */
function saved(c: C, notice: string, anchor: string) {
  c.get('keys').clear();
  return c.redirect(`/dashboard/program?notice=${notice}#${anchor}`, 303);
}

/** The catalog, the tier ladder and the referral program, each edited with the API's own schemas. */
export function programPage() {
  const app = new Hono<DashEnv>();

  app.get('/dashboard/program', async (c) => {
    const id = c.req.query('edit');
    if (!id) return render(c);
    try {
      return render(c, {}, { editing: await getReward(dashboardContext(c), id) });
    } catch (error) {
      if (error instanceof NotFound) return notFoundPage(c, 'reward');
      throw error;
    }
  });

  app.post('/dashboard/program/rewards', async (c) => {
    const form = readRewardForm(await c.req.parseBody());
    const ctx = dashboardContext(c);
    const parsed = CreateRewardInput.safeParse(rewardInput(form, ctx.merchant, undefined));
    const failed = (errors: Errors) => render(c, { reward: { form, errors } }, { status: 422 });
    if (!parsed.success) return failed(errorsAt(fieldErrors(parsed.error), rewardErrorField));
    try {
      await createReward(ctx, parsed.data);
    } catch (error) {
      return failed(errorsAt(refusal(error), rewardErrorField));
    }
    return saved(c, 'reward-created', 'rewards-heading');
  });

  app.post('/dashboard/program/rewards/:id', async (c) => {
    const ctx = dashboardContext(c);
    let editing: RewardRow;
    try {
      editing = await getReward(ctx, c.req.param('id'));
    } catch (error) {
      if (error instanceof NotFound) return notFoundPage(c, 'reward');
      throw error;
    }
    const body = await c.req.parseBody();
    const action = field(body, '_action');
    if (action === 'activate' || action === 'deactivate') {
      await updateReward(ctx, editing.id, { active: action === 'activate' });
      return saved(c, `reward-${action}d`, 'rewards-heading');
    }
    const form = readRewardForm(body);
    const input: Record<string, unknown> = rewardInput(form, ctx.merchant, null);
    // An unchanged minimum tier is not sent, so a reward whose tier has left the ladder stays editable.
    if (input.minTier === editing.minTier) delete input.minTier;
    const parsed = UpdateRewardInput.safeParse(input);
    const failed = (errors: Errors) => render(c, { reward: { form, errors, editing } }, { status: 422 });
    if (!parsed.success) return failed(errorsAt(fieldErrors(parsed.error), rewardErrorField));
    try {
      await updateReward(ctx, editing.id, parsed.data);
    } catch (error) {
      return failed(errorsAt(refusal(error), rewardErrorField));
    }
    return saved(c, 'reward-saved', 'rewards-heading');
  });

  app.post('/dashboard/program/tiers', async (c) => {
    const rows = readTierForm(await c.req.parseBody());
    const { input, errorField } = tierLadderInput(rows);
    const parsed = TierLadderInput.safeParse(input);
    const failed = (errors: Errors) => render(c, { tiers: { rows, errors } }, { status: 422 });
    if (!parsed.success) return failed(errorsAt(fieldErrors(parsed.error), errorField));
    try {
      await setTierLadder(dashboardContext(c), parsed.data);
    } catch (error) {
      return failed(errorsAt(refusal(error), errorField));
    }
    return saved(c, 'tiers-saved', 'tiers-heading');
  });

  app.post('/dashboard/program/referrals', async (c) => {
    const form = readReferralForm(await c.req.parseBody());
    const ctx = dashboardContext(c);
    const parsed = ReferralProgramInput.safeParse(referralInput(form, ctx.merchant));
    const failed = (errors: Errors) => render(c, { referrals: { form, errors } }, { status: 422 });
    if (!parsed.success) return failed(errorsAt(fieldErrors(parsed.error), referralErrorField));
    try {
      await setReferralProgram(ctx, parsed.data);
    } catch (error) {
      return failed(errorsAt(refusal(error), referralErrorField));
    }
    return saved(c, 'referrals-saved', 'referrals-heading');
  });

  return app;
}
