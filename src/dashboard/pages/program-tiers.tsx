import type { TierRow } from '../../modules/tiers/ladder';
import { field } from '../context';
import { type Errors, FormError, Input, numberOrBlank, Select } from '../fields';
import { CsrfField } from '../layout';
import type { DashboardSession } from '../session';

/** One row of the ladder form, as typed. */
export interface TierForm {
  name: string;
  threshold: string;
  window: string;
  earnMultiplier: string;
}

/** Room for this many new tiers under the existing ones. */
const SPARE_ROWS = 2;
/** The ladder's maximum (`TierLadderInput`), plus spare rows a user may have left blank. */
const MAX_ROWS = 20 + SPARE_ROWS;

const blankRow = (): TierForm => ({ name: '', threshold: '', window: 'lifetime', earnMultiplier: '' });
const isBlank = (r: TierForm) => r.name === '' && r.threshold === '' && r.earnMultiplier === '';

export function ladderToForm(ladder: TierRow[]): TierForm[] {
  return [
    ...ladder.map((t) => ({
      name: t.name,
      threshold: String(t.threshold),
      window: t.window,
      earnMultiplier: String(t.earnMultiplier),
    })),
    ...Array.from({ length: SPARE_ROWS }, blankRow),
  ];
}

export function readTierForm(body: Record<string, unknown>): TierForm[] {
  const rows: TierForm[] = [];
  for (let i = 0; i < MAX_ROWS && `tiers.${i}.name` in body; i++) {
    const at = (k: keyof TierForm) => field(body, `tiers.${i}.${k}`);
    rows.push({
      name: at('name'),
      threshold: at('threshold'),
      window: at('window'),
      earnMultiplier: at('earnMultiplier'),
    });
  }
  return rows;
}

/**
 * The filled rows as `TierLadderInput` (blank rows are left out: clearing a row removes that
 * tier), and for each entry the form row it came from, so errors land on the right inputs.
 */
export function tierLadderInput(rows: TierForm[]) {
  const rowOf: number[] = [];
  const input = rows.flatMap((r, i) => {
    if (isBlank(r)) return [];
    rowOf.push(i);
    return [
      {
        name: r.name,
        threshold: numberOrBlank(r.threshold),
        window: r.window,
        earnMultiplier: numberOrBlank(r.earnMultiplier),
      },
    ];
  });
  const errorField = (path: string) => {
    const m = /^(\d+)\.(name|threshold|window|earnMultiplier)$/.exec(path);
    return m ? `tiers.${rowOf[Number(m[1])]}.${m[2]}` : '';
  };
  return { input, errorField };
}

export function TierLadderForm(props: { rows: TierForm[]; errors: Errors; session: DashboardSession }) {
  const e = props.errors;
  return (
    <form method="post" action="/dashboard/program/tiers" class="stack" id="tiers-form" novalidate>
      <CsrfField session={props.session} />
      <FormError id="tiers" errors={e} />
      <div class="scroll">
        <table class="inputs">
          <caption>Tier ladder, lowest tier first</caption>
          <thead>
            <tr>
              <th scope="col">Rank</th>
              <th scope="col">Name</th>
              <th scope="col">Threshold (points)</th>
              <th scope="col">Window</th>
              <th scope="col">Earn multiplier</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r, i) => {
              const n = (k: keyof TierForm) => `tiers.${i}.${k}`;
              const id = (k: keyof TierForm) => `tier-${i}-${k}`;
              return (
                <tr>
                  <th scope="row">{i + 1}</th>
                  <td>
                    <Input
                      quiet
                      id={id('name')}
                      name={n('name')}
                      label={`Tier ${i + 1} name`}
                      value={r.name}
                      error={e[n('name')]}
                    />
                  </td>
                  <td>
                    <Input
                      quiet
                      id={id('threshold')}
                      name={n('threshold')}
                      label={`Tier ${i + 1} threshold in points`}
                      value={r.threshold}
                      inputmode="numeric"
                      error={e[n('threshold')]}
                    />
                  </td>
                  <td>
                    <Select
                      quiet
                      id={id('window')}
                      name={n('window')}
                      label={`Tier ${i + 1} window`}
                      value={r.window}
                      error={e[n('window')]}
                      options={[
                        { value: 'lifetime', label: 'Lifetime' },
                        { value: 'rolling365', label: 'Last 365 days' },
                      ]}
                    />
                  </td>
                  <td>
                    <Input
                      quiet
                      id={id('earnMultiplier')}
                      name={n('earnMultiplier')}
                      label={`Tier ${i + 1} earn multiplier`}
                      value={r.earnMultiplier}
                      inputmode="decimal"
                      error={e[n('earnMultiplier')]}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <p class="hint">
        The threshold is points earned (not spent) in the window; thresholds increase up the ladder. A blank
        multiplier is 1. Clear a row to remove its tier; customers keep a tier whose name stays.
      </p>
      <button type="submit">Save ladder</button>
    </form>
  );
}
