/**
 * The ceiling for the hot paths: a bare Hono + postgres.js server doing the same write shape
 * as an award (insert a ledger row, update a balance, one transaction) and a primary-key read,
 * with none of Plaudit's work. `bench/ceiling.ts` starts it and loads it.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import postgres from 'postgres';

const sql = postgres(process.env.DATABASE_URL!, { max: Number(process.env.POOL ?? 20), onnotice: () => {} });
const app = new Hono();

app.post('/award', async (c) => {
  const { customer, points } = await c.req.json<{ customer: number; points: number }>();
  const balance = await sql.begin(async (tx) => {
    await tx`insert into bench_entries (customer, points) values (${customer}, ${points})`;
    const [row] =
      await tx`update bench_balances set points = points + ${points} where customer = ${customer} returning points`;
    return row?.points as number;
  });
  return c.json({ balance }, 201);
});

app.get('/balance/:customer', async (c) => {
  const [row] =
    await sql`select points from bench_balances where customer = ${Number(c.req.param('customer'))}`;
  return row ? c.json(row) : c.json({ error: 'not found' }, 404);
});

app.get('/health', (c) => c.text('ok'));

serve({ fetch: app.fetch, port: Number(process.env.PORT) });
