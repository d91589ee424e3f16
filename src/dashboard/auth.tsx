import type { Context, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { sameSecret } from '../lib/crypto';
import { type DashEnv, field } from './context';
import { CsrfField, Page } from './layout';
import { closeSession, openSession, readSession, SESSION_LIFETIME_MS } from './session';

/** Over HTTPS the cookie is `Secure` and `__Host-` prefixed (bound to this host, path `/`). */
function isHttps(c: Context<DashEnv>): boolean {
  if (new URL(c.req.url).protocol === 'https:') return true;
  return c.get('deps').config.publicUrl?.startsWith('https://') ?? false;
}
const cookieName = (secure: boolean) => (secure ? '__Host-plaudit_session' : 'plaudit_session');

function SignIn({ error }: { error?: string }) {
  return (
    <Page title="Sign in to the dashboard">
      <section class="signin">
        <p>
          Paste a secret key with the <code>admin</code> scope. It is exchanged for a session cookie and is
          not stored in the browser.
        </p>
        <form method="post" action="/dashboard/sign-in" class="stack">
          <label for="key">Admin secret key</label>
          <input
            id="key"
            name="key"
            type="password"
            autocomplete="off"
            required
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'key-error' : undefined}
          />
          {error && (
            <p class="field-error" id="key-error">
              {error}
            </p>
          )}
          <button type="submit">Sign in</button>
        </form>
      </section>
    </Page>
  );
}

/** Sign-in, sign-out and the session guard for every other dashboard page. */
export function authRoutes() {
  const app = new Hono<DashEnv>();

  app.get('/dashboard/sign-in', (c) => c.html(<SignIn />));

  app.post('/dashboard/sign-in', async (c) => {
    const key = field(await c.req.parseBody(), 'key');
    const db = c.get('db');
    const principal = key.startsWith('sk_') ? await c.get('keys').resolve(db, key) : null;
    if (principal?.kind !== 'secret' || !principal.scopes.includes('admin')) {
      return c.html(<SignIn error="That is not an active secret key with the admin scope." />, 401);
    }
    const { clock, config } = c.get('deps');
    const value = await openSession(db, config.secret, {
      merchantId: principal.merchant.id,
      apiKeyId: principal.keyId,
      now: clock.now(),
    });
    const secure = isHttps(c);
    setCookie(c, cookieName(secure), value, {
      httpOnly: true,
      secure,
      sameSite: 'Strict',
      path: '/',
      maxAge: SESSION_LIFETIME_MS / 1000,
    });
    return c.redirect('/dashboard', 303);
  });

  app.post('/dashboard/sign-out', requireSession(), verifyCsrf(), async (c) => {
    await closeSession(c.get('db'), c.get('session'));
    deleteCookie(c, cookieName(isHttps(c)), { path: '/', secure: isHttps(c) });
    return c.redirect('/dashboard/sign-in', 303);
  });

  return app;
}

/** Pages need a live session; without one the browser is sent to sign in. */
export function requireSession(): MiddlewareHandler<DashEnv> {
  return async (c, next) => {
    const { clock, config } = c.get('deps');
    const session = await readSession(
      c.get('db'),
      config.secret,
      getCookie(c, cookieName(isHttps(c))),
      clock.now(),
    );
    if (!session) return c.redirect('/dashboard/sign-in', 303);
    c.set('session', session);
    return next();
  };
}

/**
 * Every state-changing request carries the session's CSRF token, as the `_csrf` form field or
 * the `x-csrf-token` header. (The origin check and `SameSite=Strict` come first; this is the
 * defence that does not depend on the browser.)
 */
export function verifyCsrf(): MiddlewareHandler<DashEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const given = c.req.header('x-csrf-token') ?? field(await c.req.parseBody(), '_csrf');
    if (!(await sameSecret(c.get('deps').config.secret, given, c.get('session').csrfToken))) {
      return c.html(
        <Page title="This form has expired" session={c.get('session')}>
          <p>The form was not sent from this session. Go back, reload the page and try again.</p>
        </Page>,
        403,
      );
    }
    return next();
  };
}

export { CsrfField };
