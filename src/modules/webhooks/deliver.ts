import { Webhook } from 'standardwebhooks';
import type { AttemptOutcome } from './retry-policy';
import { type UrlPolicy, webhookUrlProblem } from './ssrf';

export const SEND_TIMEOUT_MS = 15_000;
const MAX_ERROR_LENGTH = 500;

/** An outbox event as it is sent: the body is `{id, type, createdAt, data}`. */
export interface OutgoingEvent {
  id: string;
  type: string;
  createdAt: Date;
  data: Record<string, unknown>;
}

export interface SendResult {
  outcome: AttemptOutcome;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
}

/** The Standard Webhooks headers; one `v1,` signature per live secret, space-separated. */
export function signedHeaders(
  event: OutgoingEvent,
  body: string,
  secrets: string[],
  timestamp: Date,
): Record<string, string> {
  const signatures = secrets.map((s) => new Webhook(s).sign(event.id, timestamp, body));
  return {
    'content-type': 'application/json',
    'user-agent': 'Plaudit-Webhooks/1',
    'webhook-id': event.id,
    'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}

/**
 * Sends one event to one URL. The URL is checked again first (its DNS may have changed since
 * registration); redirects are never followed, so a 3xx is a failed attempt. Never throws:
 * every failure comes back as a result to be logged and retried.
 */
export async function sendWebhook(
  url: string,
  event: OutgoingEvent,
  secrets: string[],
  policy: UrlPolicy,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const refused = await webhookUrlProblem(url, policy);
  if (refused) return failure(null, elapsed(), `url refused: ${refused}`);

  const body = JSON.stringify({
    id: event.id,
    type: event.type,
    createdAt: event.createdAt.toISOString(),
    data: event.data,
  });
  // Transport time, not business time: receivers compare it with their own clock.
  const headers = signedHeaders(event, body, secrets, new Date());
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers,
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    await res.body?.cancel().catch(() => {});
    const durationMs = elapsed();
    if (res.status >= 200 && res.status < 300) {
      return { outcome: 'succeeded', statusCode: res.status, durationMs, error: null };
    }
    if (res.status === 410) return { ...failure(410, durationMs, 'HTTP 410 Gone'), outcome: 'gone' };
    const redirect = res.status >= 300 && res.status < 400 ? ' (redirects are not followed)' : '';
    return failure(res.status, durationMs, `HTTP ${res.status}${redirect}`);
  } catch (error) {
    const timedOut = error instanceof Error && error.name === 'TimeoutError';
    return failure(
      null,
      elapsed(),
      timedOut ? `timed out after ${SEND_TIMEOUT_MS / 1000} s` : describe(error),
    );
  }
}

function failure(statusCode: number | null, durationMs: number, error: string): SendResult {
  return { outcome: 'failed', statusCode, durationMs, error: error.slice(0, MAX_ERROR_LENGTH) };
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? `: ${cause.message}` : '';
  return `${error.message}${detail}`;
}
