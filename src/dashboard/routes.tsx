import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { secureHeaders } from 'hono/secure-headers';
import { timing } from 'hono/timing';
import { CSS, JS } from './assets';
import { authRoutes, requireSession, verifyCsrf } from './auth';
import type { DashEnv } from './context';
import { customersPage } from './pages/customers';
import { overviewPage } from './pages/overview';
import { programPage } from './pages/program';
import { referralsPage } from './pages/referrals';
import { rulesPage } from './pages/rules';
import { satisfactionPage } from './pages/satisfaction';
import { webhooksPage } from './pages/webhooks';

const PUBLIC = new Set([
  '/dashboard/sign-in',
  '/dashboard/assets/dashboard.css',
  '/dashboard/assets/dashboard.js',
]);

/**
 * The marketer's dashboard: server-rendered pages over the same verbs as the API. Signed in
 * with an admin key exchanged for a session cookie; no page ever carries the key.
 */
export function dashboardRoutes() {
  const app = new Hono<DashEnv>();

  app.use('/dashboard/*', timing({ crossOrigin: false }));
  app.use(
    '/dashboard/*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'self'"],
        scriptSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    }),
  );
  app.use('/dashboard/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.header('Cache-Control', 'no-store');
  });
  // Cross-site form posts are refused before anything else looks at them.
  app.use(
    '/dashboard/*',
    csrf({
      origin: (origin, c) =>
        origin === new URL(c.req.url).origin || sameOrigin(origin, c.get('deps').config.publicUrl),
    }),
  );

  app.get('/dashboard/assets/dashboard.css', (c) =>
    c.body(CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600' }),
  );
  app.get('/dashboard/assets/dashboard.js', (c) =>
    c.body(JS, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=3600',
    }),
  );
  app.route('/', authRoutes());

  const pages = new Hono<DashEnv>();
  // Handlers registered above (assets, sign-in, sign-out) answer before these guards are reached.
  pages.use('/dashboard/*', async (c, next) => (PUBLIC.has(c.req.path) ? next() : requireSession()(c, next)));
  pages.use('/dashboard/*', async (c, next) => (PUBLIC.has(c.req.path) ? next() : verifyCsrf()(c, next)));
  pages.route('/', overviewPage());
  pages.route('/', satisfactionPage());
  pages.route('/', referralsPage());
  pages.route('/', rulesPage());
  pages.route('/', programPage());
  pages.route('/', customersPage());
  pages.route('/', webhooksPage());
  app.route('/', pages);
  return app;
}

function sameOrigin(origin: string, publicUrl: string | undefined): boolean {
  if (!publicUrl) return false;
  try {
    return new URL(publicUrl).origin === origin;
  } catch {
    return false;
  }
}
