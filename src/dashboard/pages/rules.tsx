import type { Context } from 'hono';
import { Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { VerbContext } from '../../deps';
import { ApiError, NotFound, ValidationFailed } from '../../lib/errors';
import { createRule } from '../../modules/rules/create-rule';
import { deleteRule } from '../../modules/rules/delete-rule';
import type { EarningRuleRow } from '../../modules/rules/evaluate';
import { getRule } from '../../modules/rules/get-rule';
import { listRules } from '../../modules/rules/list-rules';
import { previewDraftRule } from '../../modules/rules/preview-draft';
import { CreateRuleInput, UpdateRuleInput } from '../../modules/rules/schemas';
import { updateRule } from '../../modules/rules/update-rule';
import { type DashEnv, dashboardContext, field } from '../context';
import { CsrfField, notFoundPage, Page } from '../layout';
import type { DashboardSession } from '../session';
import { RuleForm } from './rules-form';
import {
  type FormErrors,
  newRuleValues,
  parsePreviewForm,
  parseRuleForm,
  type RuleFormValues,
  readRuleForm,
  ruleValues,
  toFormErrors,
} from './rules-input';
import { RulesTable } from './rules-list';
import { PreviewProblems, PreviewTrace } from './rules-trace';

type C = Context<DashEnv>;

const NOTICES: Record<string, string> = {
  created: 'Rule created.',
  saved: 'Rule saved.',
  deleted: 'Rule deleted.',
  deactivated: 'Rule deactivated: it awards nothing until it is activated again.',
  activated: 'Rule activated.',
};

const notice = (c: C) => {
  const text = NOTICES[c.req.query('notice') ?? ''];
  return text ? { kind: 'ok' as const, text } : undefined;
};

/** Every live rule of the merchant; the API pages by 100, a program has far fewer. */
async function allRules(ctx: VerbContext): Promise<EarningRuleRow[]> {
  const rows: EarningRuleRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await listRules(ctx, { limit: 100, cursor });
    rows.push(...page.data);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

function notFound(c: C) {
  return notFoundPage(c, {
    current: '/dashboard/rules',
    children: (
      <>
        There is no such rule. <a href="/dashboard/rules">Back to the earning rules</a>
      </>
    ),
  });
}

interface FormPage {
  values: RuleFormValues;
  errors?: FormErrors;
  rule?: EarningRuleRow;
  preview?: Child;
  problem?: string;
}

function formPage(c: C, p: FormPage, status: 200 | 404 | 409 | 422 = 200) {
  const session = c.get('session');
  const errors = p.errors ?? {};
  const failed = Object.keys(errors).length > 0;
  const text = p.problem ?? (failed ? 'The rule was not saved: fix the fields marked below.' : undefined);
  return c.html(
    <Page
      title={p.rule ? `Edit rule: ${p.rule.name}` : 'New earning rule'}
      current="/dashboard/rules"
      session={session}
      notice={text ? { kind: 'error', text } : notice(c)}
    >
      <p>
        <a href="/dashboard/rules">← All earning rules</a>
      </p>
      <RuleForm session={session} values={p.values} errors={errors} ruleId={p.rule?.id} preview={p.preview} />
      {p.rule && <RuleActions session={session} rule={p.rule} />}
    </Page>,
    status,
  );
}

function RuleActions({ session, rule }: { session: DashboardSession; rule: EarningRuleRow }) {
  return (
    <section aria-labelledby="rule-actions">
      <h2 id="rule-actions">Deactivate or delete</h2>
      <p class="muted">Points already awarded by this rule stay either way.</p>
      <div class="row">
        <form method="post" action={`/dashboard/rules/${rule.id}/active`}>
          <CsrfField session={session} />
          <input type="hidden" name="active" value={rule.active ? 'false' : 'true'} />
          <button
            type="submit"
            class="secondary"
            data-confirm={rule.active ? 'Deactivate this rule? It stops awarding points.' : undefined}
          >
            {rule.active ? 'Deactivate rule' : 'Activate rule'}
          </button>
        </form>
        <form method="post" action={`/dashboard/rules/${rule.id}/delete`}>
          <CsrfField session={session} />
          <button type="submit" class="danger" data-confirm="Delete this rule? It stops matching for good.">
            Delete rule
          </button>
        </form>
      </div>
    </section>
  );
}

/** The earning rules: the list, one form for new and edited rules, and a dry-run preview. */
export function rulesPage() {
  const app = new Hono<DashEnv>();

  app.get('/dashboard/rules', async (c) => {
    const rules = await allRules(dashboardContext(c));
    const m = c.get('session').merchant;
    return c.html(
      <Page title="Earning rules" current="/dashboard/rules" session={c.get('session')} notice={notice(c)}>
        <p>
          <a class="button" href="/dashboard/rules/new">
            New rule
          </a>
        </p>
        <RulesTable rules={rules} merchant={m} now={c.get('deps').clock.now()} />
      </Page>,
    );
  });

  app.get('/dashboard/rules/new', (c) =>
    formPage(c, { values: newRuleValues(c.get('session').merchant.currency) }),
  );

  app.post('/dashboard/rules/preview', async (c) => {
    const ctx = dashboardContext(c);
    const body = await c.req.parseBody();
    const values = readRuleForm(body);
    const ruleId = field(body, 'ruleId') || undefined;
    const fragment = c.req.header('x-requested-with') === 'fetch';
    let rule: EarningRuleRow | undefined;
    try {
      rule = ruleId ? await getRule(ctx, ruleId) : undefined;
    } catch (error) {
      if (error instanceof NotFound)
        return fragment ? c.html(<p>There is no such rule.</p>, 404) : notFound(c);
      throw error;
    }
    const draft = parseRuleForm(values, CreateRuleInput);
    const event = draft.ok ? draft.input.event : values.customEvent || values.event;
    const sample = parsePreviewForm(values, event);
    let preview: ReturnType<typeof PreviewTrace> | undefined;
    let errors: FormErrors = {
      ...(draft.ok ? {} : draft.errors),
      ...(sample.ok ? {} : sample.errors),
    };
    if (draft.ok && sample.ok) {
      try {
        const result = await previewDraftRule(ctx, sample.input, draft.input, ruleId);
        preview = (
          <PreviewTrace
            result={result}
            event={sample.input.event.type}
            ruleEvent={event}
            currency={ctx.merchant.currency}
          />
        );
      } catch (error) {
        if (!(error instanceof ValidationFailed)) throw error;
        errors = toFormErrors(error.errors);
      }
    }
    preview ??= <PreviewProblems errors={errors} />;
    // The script swaps the fragment in only on success, so problems are a 200 fragment too.
    if (fragment) return c.html(preview);
    return formPage(c, { values, errors, rule, preview }, Object.keys(errors).length > 0 ? 422 : 200);
  });

  app.post('/dashboard/rules', async (c) => {
    const values = readRuleForm(await c.req.parseBody());
    const parsed = parseRuleForm(values, CreateRuleInput);
    if (!parsed.ok) return formPage(c, { values, errors: parsed.errors }, 422);
    return saving(c, values, undefined, async (ctx) => {
      const row = await createRule(ctx, parsed.input);
      return c.redirect(`/dashboard/rules/${row.id}?notice=created`, 303);
    });
  });

  app.get('/dashboard/rules/:id', async (c) => {
    const rule = await findOr404(c);
    if (!rule) return notFound(c);
    return formPage(c, { values: ruleValues(rule, c.get('session').merchant.currency), rule });
  });

  app.post('/dashboard/rules/:id', async (c) => {
    const rule = await findOr404(c);
    if (!rule) return notFound(c);
    const values = readRuleForm(await c.req.parseBody());
    const parsed = parseRuleForm(values, UpdateRuleInput);
    if (!parsed.ok) return formPage(c, { values, errors: parsed.errors, rule }, 422);
    return saving(c, values, rule, async (ctx) => {
      await updateRule(ctx, rule.id, parsed.input);
      return c.redirect(`/dashboard/rules/${rule.id}?notice=saved`, 303);
    });
  });

  app.post('/dashboard/rules/:id/active', async (c) => {
    const rule = await findOr404(c);
    if (!rule) return notFound(c);
    const active = field(await c.req.parseBody(), 'active') === 'true';
    await updateRule(dashboardContext(c), rule.id, { active });
    return c.redirect(`/dashboard/rules/${rule.id}?notice=${active ? 'activated' : 'deactivated'}`, 303);
  });

  app.post('/dashboard/rules/:id/delete', async (c) => {
    const rule = await findOr404(c);
    if (!rule) return notFound(c);
    await deleteRule(dashboardContext(c), rule.id);
    return c.redirect('/dashboard/rules?notice=deleted', 303);
  });

  return app;
}

/** The merchant's rule named in the path, or null (unknown, deleted, or another merchant's). */
async function findOr404(c: C): Promise<EarningRuleRow | null> {
  try {
    return await getRule(dashboardContext(c), c.req.param('id') ?? '');
  } catch (error) {
    if (error instanceof NotFound) return null;
    throw error;
  }
}

/** Runs a write; what the verb refuses (cross-field checks, conflicts) comes back on the form. */
async function saving(
  c: C,
  values: RuleFormValues,
  rule: EarningRuleRow | undefined,
  write: (ctx: VerbContext) => Promise<Response>,
): Promise<Response> {
  try {
    return await write(dashboardContext(c));
  } catch (error) {
    if (error instanceof NotFound) return notFound(c);
    if (error instanceof ValidationFailed) {
      return formPage(c, { values, rule, errors: toFormErrors(error.errors) }, 422);
    }
    if (error instanceof ApiError) {
      return formPage(c, { values, rule, problem: error.message }, error.status === 409 ? 409 : 422);
    }
    throw error;
  }
}
