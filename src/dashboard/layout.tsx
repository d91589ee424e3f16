import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { DashEnv } from './context';
import type { DashboardSession } from './session';

export const NAV = [
  { href: '/dashboard', label: 'Overview' },
  { href: '/dashboard/satisfaction', label: 'Satisfaction' },
  { href: '/dashboard/referrals', label: 'Referrals × satisfaction' },
  { href: '/dashboard/rules', label: 'Earning rules' },
  { href: '/dashboard/program', label: 'Rewards & tiers' },
  { href: '/dashboard/customers', label: 'Customers' },
  { href: '/dashboard/webhooks', label: 'Webhooks' },
] as const;

interface PageProps {
  title: string;
  /** The nav entry to mark as the current page. */
  current?: string;
  session?: DashboardSession;
  /** A one-line confirmation or error shown above the content (after a form post). */
  notice?: { kind: 'ok' | 'error'; text: string };
  children?: Child;
}

/** The page frame: landmarks, skip link, navigation and the signed-in merchant. */
export function Page({ title, current, session, notice, children }: PageProps) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>{`${title} · Plaudit`}</title>
        <link rel="stylesheet" href="/dashboard/assets/dashboard.css" />
        <script src="/dashboard/assets/dashboard.js" defer />
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <span class="brand">Plaudit</span>
          {session && (
            <form method="post" action="/dashboard/sign-out" class="who">
              <span>{session.merchant.name}</span>
              <CsrfField session={session} />
              <button type="submit" class="link">
                Sign out
              </button>
            </form>
          )}
        </header>
        {session && (
          <nav aria-label="Dashboard">
            <ul>
              {NAV.map((item) => (
                <li>
                  <a href={item.href} aria-current={item.href === current ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        )}
        <main id="main">
          <h1>{title}</h1>
          {notice && (
            <p class={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
              {notice.text}
            </p>
          )}
          {children}
        </main>
      </body>
    </html>
  );
}

/** The hidden field every dashboard form carries (checked by `verifyCsrf`). */
export function CsrfField({ session }: { session: DashboardSession }) {
  return <input type="hidden" name="_csrf" value={session.csrfToken} />;
}

/** A headline figure. `name` is a stable hook (`data-figure`) for tests and scrapers. */
export function Figure(props: { name: string; label: string; value: string; hint?: string }) {
  return (
    <div class="figure">
      <dt>{props.label}</dt>
      <dd data-figure={props.name}>{props.value}</dd>
      {props.hint && <dd class="hint">{props.hint}</dd>}
    </div>
  );
}

/**
 * The 404 page. An unknown id and another merchant's get the same answer: nothing tells them apart.
 */
export function notFoundPage(c: Context<DashEnv>, props: { current?: string; children: Child }) {
  return c.html(
    <Page title="Not found" current={props.current} session={c.get('session')}>
      <p>{props.children}</p>
    </Page>,
    404,
  );
}
