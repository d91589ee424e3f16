/**
 * Plaudit's hot paths as load scenarios. Each sets up its data once on a running server (one
 * merchant on a fresh database), then gives the load of one phase; order ids stay unique across
 * phases.
 *   orders       POST /v1/orders with one active rule, unique order ids, 1,000 customers
 *   redemptions  POST /v1/redemptions of a 10-point reward by 200 customers with large balances
 *   customer     GET /v1/customers/{id} with the secret key
 *   me           GET /v1/me with the publishable key and a customer token (the storefront)
 */
import { call, type load, OPERATOR } from './lib';

const CUSTOMERS = 200;

export interface Merchant {
  secretKey: string;
  publishableKey: string;
}

export type LoadSpec = Parameters<typeof load>[0];
export type Phase = (connections: number, seconds: number) => Promise<LoadSpec>;
export interface Scenario {
  label: string;
  /** Server environment the scenario needs. */
  env?: Record<string, string>;
  setup: (base: string, merchant: Merchant) => Promise<Phase>;
}

export async function createBenchMerchant(base: string): Promise<Merchant> {
  return call(base, OPERATOR, 'POST', '/v1/merchants', { name: 'Bench', currency: 'EUR', timezone: 'UTC' });
}

const json = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });

export const scenarios: Record<string, Scenario> = {
  orders: {
    label: 'POST /v1/orders',
    setup: async (base, { secretKey }) => {
      await call(base, secretKey, 'POST', '/v1/rules', {
        name: '1 point per euro',
        event: 'order.paid',
        reward: { type: 'points_per_amount', points: 1, per: 100, rounding: 'floor' },
      });
      let n = 0;
      return async (connections, seconds) => ({
        name: 'POST /v1/orders',
        url: `${base}/v1/orders`,
        method: 'POST',
        headers: json(secretKey),
        body: () => ({
          id: `o-${++n}`,
          customerId: `c-${n % 1000}`,
          total: 1_000 + (n % 50_000),
          currency: 'EUR',
        }),
        connections,
        seconds,
      });
    },
  },
  redemptions: {
    label: 'POST /v1/redemptions',
    setup: async (base, { secretKey }) => {
      const reward = await call(base, secretKey, 'POST', '/v1/rewards', {
        name: 'Free shipping',
        kind: 'free_shipping',
        costPoints: 10,
        active: true,
      });
      for (let i = 0; i < CUSTOMERS; i++) {
        await call(base, secretKey, 'PUT', `/v1/customers/c-${i}`, {});
        await call(base, secretKey, 'POST', `/v1/customers/c-${i}/adjustments`, {
          points: 10_000_000,
          reason: 'bench',
        });
      }
      let n = 0;
      return async (connections, seconds) => ({
        name: 'POST /v1/redemptions',
        url: `${base}/v1/redemptions`,
        method: 'POST',
        headers: json(secretKey),
        body: () => ({ customerId: `c-${++n % CUSTOMERS}`, rewardId: reward.id }),
        connections,
        seconds,
      });
    },
  },
  customer: {
    label: 'GET /v1/customers/{id}',
    setup: async (base, { secretKey }) => {
      for (let i = 0; i < CUSTOMERS; i++)
        await call(base, secretKey, 'PUT', `/v1/customers/c-${i}`, { name: `Customer ${i}` });
      return async (connections, seconds) => ({
        name: 'GET /v1/customers/{id}',
        url: `${base}/v1/customers/c-1`,
        headers: { authorization: `Bearer ${secretKey}` },
        connections,
        seconds,
      });
    },
  },
  me: {
    label: 'GET /v1/me',
    // Publishable keys are limited per key and client address (600 a minute by default), and
    // every request here comes from 127.0.0.1: the limiter keeps counting (its write is part of
    // the cost) but never refuses.
    env: { PLAUDIT_RATE_LIMIT_PUBLIC: '1000000000' },
    setup: async (base, { secretKey, publishableKey }) => {
      await call(base, secretKey, 'PUT', '/v1/customers/c-1', { name: 'Customer 1' });
      await call(base, secretKey, 'POST', '/v1/customers/c-1/adjustments', { points: 500, reason: 'bench' });
      // A token lives at most an hour: each phase gets a fresh one.
      return async (connections, seconds) => {
        const { token } = await call(base, secretKey, 'POST', '/v1/customers/c-1/tokens', {
          ttlSeconds: 3600,
        });
        return {
          name: 'GET /v1/me',
          url: `${base}/v1/me`,
          headers: { authorization: `Bearer ${publishableKey}`, 'x-customer-token': token },
          connections,
          seconds,
        };
      };
    },
  },
};
