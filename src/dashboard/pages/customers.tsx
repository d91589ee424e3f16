import { Hono } from 'hono';
import { NotFound, ValidationFailed } from '../../lib/errors';
import { customerFeedback } from '../../modules/customers/customer-feedback';
import { getCustomer, listCustomers } from '../../modules/customers/read-customers';
import { SEARCH_LIMIT, searchCustomers } from '../../modules/customers/search-customers';
import { tierStanding } from '../../modules/customers/tier-progress';
import { toCustomerView } from '../../modules/customers/view';
import { listLedger } from '../../modules/ledger/list-ledger';
import { toEntryView } from '../../modules/ledger/view';
import { listReferrals } from '../../modules/referrals/read-referrals';
import { tierById, tierLadder } from '../../modules/tiers/ladder';
import { type DashEnv, dashboardContext } from '../context';
import { notFoundPage } from '../fields';
import { formatInstant } from '../format';
import { Page } from '../layout';
import {
  AnswersTable,
  Balance,
  LedgerTable,
  ReferralsTable,
  ReviewsTable,
  TierProgress,
} from './customers-detail';
import { CustomersTable, customerHref, SearchForm } from './customers-list';

const PAGE = 50;
const LEDGER_PAGE = 25;

/** Finding a customer, and everything about one: balance, tier, ledger, referrals, feedback. */
export function customersPage() {
  const app = new Hono<DashEnv>();

  app.get('/dashboard/customers', async (c) => {
    const ctx = dashboardContext(c);
    const q = (c.req.query('q') ?? '').trim();
    const cursor = c.req.query('cursor') || undefined;
    let listed: Awaited<ReturnType<typeof listCustomers>>;
    try {
      listed = q
        ? { data: await searchCustomers(ctx, { query: q }), nextCursor: null }
        : await listCustomers(ctx, { limit: PAGE, cursor });
    } catch (error) {
      if (error instanceof ValidationFailed) return notFoundPage(c, 'page of customers');
      throw error;
    }
    // The list needs each tier's name only: the ladder is one cached read, not one per row.
    const ladder = await tierLadder(ctx.db, ctx.merchant);
    const rows = listed.data.map((r) => {
      const tier = tierById(ladder, r.tierId);
      return toCustomerView(r, { tier: tier && { id: tier.id, name: tier.name }, nextTier: null });
    });
    const caption = q
      ? `${rows.length}${rows.length === SEARCH_LIMIT ? '+' : ''} customers matching “${q}”`
      : 'Customers in id order';
    return c.html(
      <Page title="Customers" current="/dashboard/customers" session={c.get('session')}>
        <SearchForm q={q} />
        {q && rows.length === 0 ? (
          <p role="status">{`No customer matches “${q}”.`}</p>
        ) : (
          <>
            {q && (
              <p role="status" class="muted">
                {rows.length === SEARCH_LIMIT
                  ? `Showing the first ${SEARCH_LIMIT} matches: type more to narrow them.`
                  : `${rows.length} ${rows.length === 1 ? 'match' : 'matches'}.`}
              </p>
            )}
            <CustomersTable customers={rows} caption={caption} />
          </>
        )}
        {!q && listed.nextCursor && (
          <p class="pager">
            <a href={`/dashboard/customers?cursor=${encodeURIComponent(listed.nextCursor)}`} rel="next">
              Next customers
            </a>
          </p>
        )}
      </Page>,
    );
  });

  app.get('/dashboard/customers/:id', async (c) => {
    const ctx = dashboardContext(c);
    const id = c.req.param('id');
    const cursor = c.req.query('ledger') || undefined;
    let row: Awaited<ReturnType<typeof getCustomer>>;
    try {
      row = await getCustomer(ctx, id);
    } catch (error) {
      if (error instanceof NotFound) return notFoundPage(c, 'customer');
      throw error;
    }
    let ledger: Awaited<ReturnType<typeof listLedger>>;
    try {
      ledger = await listLedger(ctx, id, { limit: LEDGER_PAGE, cursor });
    } catch (error) {
      if (error instanceof ValidationFailed) return notFoundPage(c, 'page of the ledger');
      throw error;
    }
    const [standing, made, received, feedback] = await Promise.all([
      tierStanding(ctx, row),
      listReferrals(ctx, { limit: 50, referrerId: id }),
      listReferrals(ctx, { limit: 10, refereeId: id }),
      customerFeedback(ctx, id),
    ]);
    const customer = toCustomerView(row, standing);
    const now = ctx.clock.now();
    const tz = ctx.merchant.timezone;
    const title = `Customer ${customer.id}`;
    return c.html(
      <Page title={title} current="/dashboard/customers" session={c.get('session')}>
        <p>
          {customer.erased ? (
            <span class="badge">Personal data erased</span>
          ) : (
            <>
              <strong>{customer.name ?? 'No name'}</strong>
              {` · ${customer.email ?? 'no email'}`}
            </>
          )}
          {` · customer since ${formatInstant(customer.createdAt, tz)}`}
        </p>
        <p>
          <a href="/dashboard/customers">Back to customers</a>
        </p>
        <h2>Balance</h2>
        <Balance customer={customer} />
        <h2>Tier</h2>
        <TierProgress customer={customer} />
        <h2 id="ledger-heading">Ledger</h2>
        <LedgerTable
          entries={ledger.data.map((e) => toEntryView(e, now))}
          customerId={customer.id}
          nextCursor={ledger.nextCursor}
          paged={cursor !== undefined}
          timeZone={tz}
        />
        <h2>Referrals</h2>
        <p>
          {customer.referralCode ? (
            <>
              Referral code <code>{customer.referralCode}</code>.
            </>
          ) : (
            'No referral code yet.'
          )}{' '}
          {customer.referredBy ? (
            <>
              Referred by <a href={customerHref(customer.referredBy)}>{customer.referredBy}</a>.
            </>
          ) : (
            'Not referred by anyone.'
          )}
        </p>
        <h3>Referrals made</h3>
        {made.data.length === 0 ? (
          <p class="muted">None.</p>
        ) : (
          <ReferralsTable
            rows={made.data}
            caption="Customers they referred, newest first"
            other="referee"
            timeZone={tz}
          />
        )}
        <h3>How they were referred</h3>
        {received.data.length === 0 ? (
          <p class="muted">No referral names them as the new customer.</p>
        ) : (
          <ReferralsTable
            rows={received.data}
            caption="Referrals of this customer"
            other="referrer"
            timeZone={tz}
          />
        )}
        <h2>Feedback</h2>
        <h3>Survey answers</h3>
        <AnswersTable answers={feedback.answers} timeZone={tz} />
        <h3>Reviews</h3>
        <ReviewsTable reviews={feedback.reviews} timeZone={tz} />
      </Page>,
    );
  });

  return app;
}
