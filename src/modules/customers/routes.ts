import { defineRoute, json, jsonBody } from '../../lib/openapi';
import { createRouter, verbContext } from '../../lib/router';
import { eraseCustomer } from './erase-customer';
import { getCustomer, listCustomers } from './read-customers';
import { Customer, CustomerIdParam, CustomerPage, ListCustomersQuery, UpsertCustomerInput } from './schemas';
import { tierStanding } from './tier-progress';
import { upsertCustomer } from './upsert-customer';
import { toCustomerView } from './view';

export function customerRoutes() {
  const router = createRouter();

  router.openapi(
    defineRoute(['server'], {
      method: 'put',
      path: '/v1/customers/{customerId}',
      tags: ['Customers'],
      summary: 'Create or update a customer',
      request: { params: CustomerIdParam, body: jsonBody(UpsertCustomerInput) },
      responses: { 200: json(Customer, 'The customer') },
    }),
    async (c) => {
      const ctx = verbContext(c);
      const { customerId } = c.req.valid('param');
      await upsertCustomer(ctx, customerId, c.req.valid('json'));
      const row = await getCustomer(ctx, customerId);
      return c.json(toCustomerView(row, await tierStanding(ctx, row)), 200);
    },
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'get',
      path: '/v1/customers/{customerId}',
      tags: ['Customers'],
      summary: 'Read a customer with balances',
      request: { params: CustomerIdParam },
      responses: { 200: json(Customer, 'The customer') },
    }),
    async (c) => {
      const ctx = verbContext(c);
      const row = await getCustomer(ctx, c.req.valid('param').customerId);
      return c.json(toCustomerView(row, await tierStanding(ctx, row)), 200);
    },
  );

  router.openapi(
    defineRoute(['server'], {
      method: 'get',
      path: '/v1/customers',
      tags: ['Customers'],
      summary: 'List customers',
      request: { query: ListCustomersQuery },
      responses: { 200: json(CustomerPage, 'A page, in id order') },
    }),
    async (c) => {
      const result = await listCustomers(verbContext(c), c.req.valid('query'));
      const ctx = verbContext(c);
      const data = await Promise.all(
        result.data.map(async (r) => toCustomerView(r, await tierStanding(ctx, r))),
      );
      return c.json({ data, nextCursor: result.nextCursor }, 200);
    },
  );

  router.openapi(
    defineRoute(['admin'], {
      method: 'delete',
      path: '/v1/customers/{customerId}',
      tags: ['Customers'],
      summary: 'Erase personal data (privacy request)',
      description: 'Scrubs email, name, birthday, tags and consent. Balances and the ledger stay consistent.',
      request: { params: CustomerIdParam },
      responses: { 204: { description: 'Erased' } },
    }),
    async (c) => {
      await eraseCustomer(verbContext(c), c.req.valid('param').customerId);
      return c.body(null, 204);
    },
  );

  return router;
}
