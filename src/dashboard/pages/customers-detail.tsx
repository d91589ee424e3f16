import type { CustomerReview } from '../../modules/customers/customer-feedback';
import type { Customer } from '../../modules/customers/schemas';
import { type SurveyResponseRow, segmentOf } from '../../modules/feedback/view';
import type { LedgerEntry } from '../../modules/ledger/schemas';
import type { ReferralRow } from '../../modules/referrals/view';
import { formatInstant, formatInt } from '../format';
import { Figure } from '../layout';
import { customerHref } from './customers-list';

const signed = (n: number) => (n > 0 ? `+${formatInt(n)}` : formatInt(n));

export function Balance({ customer }: { customer: Customer }) {
  const p = customer.points;
  return (
    <dl class="figures">
      <Figure name="available" label="Available points" value={formatInt(p.available)} />
      <Figure name="pending" label="Pending points" value={formatInt(p.pending)} hint="Not yet spendable" />
      <Figure
        name="reserved"
        label="Reserved points"
        value={formatInt(p.reserved)}
        hint="Held by open redemptions"
      />
      <Figure name="lifetime-earned" label="Earned, lifetime" value={formatInt(p.lifetimeEarned)} />
      <Figure name="lifetime-redeemed" label="Redeemed, lifetime" value={formatInt(p.lifetimeRedeemed)} />
      <Figure name="debt" label="Debt" value={formatInt(p.debt)} hint="Owed after refunds of spent points" />
      <Figure
        name="latest-nps"
        label="Latest NPS answer"
        value={customer.latestNps == null ? '—' : String(customer.latestNps)}
        hint={customer.latestNps == null ? 'No answer yet' : segmentOf('nps', customer.latestNps)}
      />
    </dl>
  );
}

export function TierProgress({ customer }: { customer: Customer }) {
  const next = customer.nextTier;
  return (
    <>
      <dl class="figures">
        <Figure name="tier" label="Tier" value={customer.tier?.name ?? 'None'} />
        {next && (
          <Figure
            name="points-to-next-tier"
            label={`Points to ${next.name}`}
            value={formatInt(next.pointsNeeded)}
            hint={`${formatInt(next.threshold)} earned ${next.window === 'lifetime' ? 'in total' : 'in the last 365 days'}`}
          />
        )}
      </dl>
      {next ? (
        <p>
          <label for="tier-progress">{`Progress to ${next.name}`}</label>{' '}
          <progress
            id="tier-progress"
            class="tier"
            max={next.threshold}
            value={next.threshold - next.pointsNeeded}
          >{`${formatInt(next.threshold - next.pointsNeeded)} of ${formatInt(next.threshold)} points`}</progress>
        </p>
      ) : (
        <p class="muted">{customer.tier ? 'At the top of the ladder.' : 'The program has no tiers.'}</p>
      )}
    </>
  );
}

export function LedgerTable(props: {
  entries: LedgerEntry[];
  customerId: string;
  nextCursor: string | null;
  /** This page is not the newest one. */
  paged: boolean;
  timeZone: string;
}) {
  const base = customerHref(props.customerId);
  return (
    <>
      {props.entries.length === 0 ? (
        <p class="muted">No ledger entries.</p>
      ) : (
        <div class="scroll">
          <table id="ledger">
            <caption>
              {props.paged
                ? 'Ledger entries (older page), latest written first'
                : 'Ledger entries, latest written first'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Occurred</th>
                <th scope="col">Kind</th>
                <th scope="col" class="num">
                  Points
                </th>
                <th scope="col">Status</th>
                <th scope="col">Source</th>
                <th scope="col" class="num">
                  Available after
                </th>
                <th scope="col">Expires</th>
              </tr>
            </thead>
            <tbody>
              {props.entries.map((e) => (
                <tr data-entry={e.id}>
                  <th scope="row">{formatInstant(e.occurredAt, props.timeZone)}</th>
                  <td>{e.kind}</td>
                  <td class="num">{signed(e.points)}</td>
                  <td>{e.status}</td>
                  <td>
                    {`${e.source.type} ${e.source.id}`}
                    {e.reason && <span class="muted">{` — ${e.reason}`}</span>}
                  </td>
                  <td class="num">{formatInt(e.balanceAfter)}</td>
                  <td>{e.expiresAt ? formatInstant(e.expiresAt, props.timeZone) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p class="pager">
        {props.paged && <a href={`${base}#ledger-heading`}>Newest entries</a>}
        {props.nextCursor && (
          <a href={`${base}?ledger=${encodeURIComponent(props.nextCursor)}#ledger-heading`} rel="next">
            Older entries
          </a>
        )}
      </p>
    </>
  );
}

export function ReferralsTable(props: {
  rows: ReferralRow[];
  caption: string;
  other: 'referee' | 'referrer';
  timeZone: string;
}) {
  return (
    <div class="scroll">
      <table>
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Referral</th>
            <th scope="col">{props.other === 'referee' ? 'Referred customer' : 'Referred by'}</th>
            <th scope="col">Code</th>
            <th scope="col">Status</th>
            <th scope="col">Attributed</th>
            <th scope="col">Rewarded</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => {
            const who = props.other === 'referee' ? r.refereeId : r.referrerId;
            return (
              <tr>
                <th scope="row">{r.id}</th>
                <td>{who ? <a href={customerHref(who)}>{who}</a> : '—'}</td>
                <td>{r.code}</td>
                <td>{r.reason ? `${r.status} (${r.reason.replaceAll('_', ' ')})` : r.status}</td>
                <td>{formatInstant(r.attributedAt, props.timeZone)}</td>
                <td>{r.rewardedAt ? formatInstant(r.rewardedAt, props.timeZone) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

export function AnswersTable(props: { answers: SurveyResponseRow[]; timeZone: string }) {
  if (props.answers.length === 0) return <p class="muted">No survey answers.</p>;
  return (
    <div class="scroll">
      <table>
        <caption>Survey answers, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Answered</th>
            <th scope="col">Survey</th>
            <th scope="col" class="num">
              Score
            </th>
            <th scope="col">Segment</th>
            <th scope="col">Comment</th>
            <th scope="col">Channel</th>
            <th scope="col" class="num">
              Points
            </th>
          </tr>
        </thead>
        <tbody>
          {props.answers.map((a) => (
            <tr>
              <th scope="row">{formatInstant(a.respondedAt, props.timeZone)}</th>
              <td>{a.kind.toUpperCase()}</td>
              <td class="num">{`${a.score} / ${a.kind === 'nps' ? 10 : 5}`}</td>
              <td>{segmentOf(a.kind, a.score)}</td>
              <td>{a.comment ?? '—'}</td>
              <td>{a.channel ?? '—'}</td>
              <td class="num">{formatInt(a.pointsEarned)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ReviewsTable(props: { reviews: CustomerReview[]; timeZone: string }) {
  if (props.reviews.length === 0) return <p class="muted">No reviews.</p>;
  return (
    <div class="scroll">
      <table>
        <caption>Reviews, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Written</th>
            <th scope="col">Rating</th>
            <th scope="col">Product</th>
            <th scope="col">Verified purchase</th>
            <th scope="col">Text</th>
            <th scope="col" class="num">
              Points
            </th>
          </tr>
        </thead>
        <tbody>
          {props.reviews.map((r) => (
            <tr>
              <th scope="row">{formatInstant(r.occurredAt, props.timeZone)}</th>
              <td>{`${r.rating} of 5`}</td>
              <td>{r.productId ?? '—'}</td>
              <td>{r.verifiedPurchase ? 'Yes' : 'No'}</td>
              <td>{r.text ?? '—'}</td>
              <td class="num">{formatInt(r.pointsEarned)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
