import type { Customer } from '../../modules/customers/schemas';
import { formatInt } from '../format';

const customerHref = (id: string) => `/dashboard/customers/${encodeURIComponent(id)}`;

export { customerHref };

export function SearchForm({ q }: { q: string }) {
  return (
    <search>
      <form method="get" action="/dashboard/customers" class="search">
        <label for="customer-q">Find a customer</label>
        <input
          id="customer-q"
          name="q"
          type="search"
          value={q}
          maxlength={254}
          aria-describedby="customer-q-hint"
        />
        <button type="submit">Search</button>
        <p class="hint" id="customer-q-hint">
          Their id, or the start of their email address or name (e.g. “c0042”, “marie.d”, “Marie Du”).
        </p>
      </form>
    </search>
  );
}

export function CustomersTable(props: { customers: Customer[]; caption: string }) {
  return (
    <div class="scroll">
      <table id="customers">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Customer</th>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col" class="num">
              Available
            </th>
            <th scope="col" class="num">
              Pending
            </th>
            <th scope="col">Tier</th>
            <th scope="col" class="num">
              Latest NPS
            </th>
          </tr>
        </thead>
        <tbody>
          {props.customers.map((c) => (
            <tr data-customer={c.id}>
              <th scope="row">
                <a href={customerHref(c.id)}>{c.id}</a>
              </th>
              <td>{c.erased ? <span class="muted">erased</span> : (c.name ?? '—')}</td>
              <td>{c.email ?? '—'}</td>
              <td class="num">{formatInt(c.points.available)}</td>
              <td class="num">{formatInt(c.points.pending)}</td>
              <td>{c.tier?.name ?? 'None'}</td>
              <td class="num">{c.latestNps == null ? '—' : String(c.latestNps)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
