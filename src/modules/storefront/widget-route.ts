import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import type { AppEnv } from '../../deps';
import { sha256Hex } from '../../lib/crypto';
import { WIDGET_JS } from './widget';

/** Measured with zlib (level 9) when the widget last changed; a test keeps it honest. */
export const WIDGET_GZIP_BYTES = 4_703;

let etag: Promise<string> | undefined;

/** `GET /widget.js`: public, cacheable for a few minutes, revalidated by ETag after that. */
export function widgetRoute(router: OpenAPIHono<AppEnv>) {
  router.openapi(
    createRoute({
      method: 'get',
      path: '/widget.js',
      tags: ['Storefront'],
      summary: 'The <plaudit-rewards> storefront widget',
      description:
        `A custom element in plain JavaScript, about ${(WIDGET_GZIP_BYTES / 1024).toFixed(1)} KB gzipped ` +
        `(${WIDGET_JS.length} bytes raw), no dependencies, no third-party requests. Embed with ` +
        '`<script src="https://plaudit.example/widget.js" defer></script>` and ' +
        '`<plaudit-rewards api-base="https://plaudit.example" publishable-key="pk_…" customer-token="…"></plaudit-rewards>`. ' +
        'Without `customer-token` it shows a signed-out state (optional `sign-in-url`). Themable with CSS custom ' +
        'properties (`--plaudit-accent`, `--plaudit-accent-contrast`, `--plaudit-radius`, `--plaudit-font`, ' +
        '`--plaudit-bg`, `--plaudit-fg`, `--plaudit-muted`, `--plaudit-border`, `--plaudit-focus`) and `::part()`. ' +
        'Events: `plaudit:redeemed`, `plaudit:token-expired` (set a fresh `customer-token` to reload), `plaudit:error`. ' +
        'Cached for 5 minutes, then revalidated with its ETag.',
      responses: {
        200: { description: 'The script', content: { 'text/javascript': { schema: z.string() } } },
        304: { description: 'Not modified' },
      },
    }),
    async (c) => {
      etag ??= sha256Hex(WIDGET_JS).then((h) => `"${h.slice(0, 32)}"`);
      const tag = await etag;
      const headers = {
        'Cache-Control': 'public, max-age=300, stale-while-revalidate=86400',
        ETag: tag,
        'X-Content-Type-Options': 'nosniff',
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'Access-Control-Allow-Origin': '*',
      };
      if (
        c.req
          .header('if-none-match')
          ?.split(/\s*,\s*/)
          .includes(tag)
      )
        return c.body(null, 304, headers);
      return c.body(WIDGET_JS, 200, { ...headers, 'Content-Type': 'text/javascript; charset=utf-8' });
    },
  );
}
