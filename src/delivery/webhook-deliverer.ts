/**
 * Tells a city platform that a request it filed through Open311 closed (the outbox's
 * city_request_closed rows, owed by core/open311/closed-webhook.ts): a POST of the request as
 * GET requests answers it, to the webhook of the API client that filed it, signed with the
 * client's secret.
 *
 *   POST <url>
 *   Content-Type: application/json
 *   X-Open311-Event: service_request_closed
 *   X-Open311-Delivery: <outbox key>          the same on every attempt: the receiver deduplicates by it
 *   X-Open311-Timestamp: <unix seconds>
 *   X-Open311-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + body)>
 *
 *   { "event": "service_request_closed", "service_request": { ...GET requests' object }, "sent_at": ISO }
 *
 * The request is read when it is delivered, so a retry sends what is true then. A 2xx is
 * delivered. A 429, a 5xx, a network error or no answer within 10 seconds is retried by the
 * outbox with backoff (a Retry-After obeyed); a timeout or a dropped connection may have reached
 * the receiver (outcome unknown), which is why every attempt carries the same delivery id. Any
 * other answer (400, 401, 404, 410 ...) and a redirect are final: the row is dead, visible in
 * /api/outbox. The secret and the signature are never logged or kept in an error.
 */
import { createHmac } from 'node:crypto';
import type { ClientWebhook } from '../config.js';
import type { Core } from '../core/context.js';
import { isAppError } from '../core/errors.js';
import type { OutboxMessage } from '../core/model.js';
import type { ClosedWebhookPayload } from '../core/open311/closed-webhook.js';
import { getCityRequest } from '../core/open311/get-city-request.js';
import { requestJson } from '../http/open311/render.js';
import { DEFAULT_LOCALE, type Locale } from '../i18n/index.js';
import { DeliveryError, type Deliverer, type DeliveryResult } from './types.js';

/** The event name, in the body and in X-Open311-Event. */
export const CLOSED_EVENT = 'service_request_closed';

/** How long a receiver has to answer before the attempt counts as failed (and possibly received). */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** The longest Retry-After obeyed: a receiver asking for a day is tried again within the hour. */
const MAX_RETRY_AFTER_MS = 60 * 60_000;

export interface WebhookDelivererOptions {
  core: Core;
  /** the API clients' webhooks with their secrets (config.ts apiClientWebhooks) */
  webhooks: readonly ClientWebhook[];
  /** the language of the request's words (status_notes, service_name, agency_responsible); zh-CN */
  locale?: Locale;
  timeoutMs?: number;
}

/** X-Open311-Signature's value: what a receiver recomputes with the shared secret to trust the body. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Network failures in which the request cannot have left this machine: retried, not in doubt. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

export class WebhookDeliverer implements Deliverer {
  private readonly hooks: Map<string, ClientWebhook>;

  constructor(private readonly o: WebhookDelivererOptions) {
    this.hooks = new Map(o.webhooks.map((h) => [h.clientId, h]));
  }

  async deliver(msg: OutboxMessage): Promise<DeliveryResult> {
    const hook = this.hooks.get(msg.target);
    // the organisation file no longer gives the client a webhook: nobody to tell
    if (!hook) throw new DeliveryError(`API client ${msg.target} has no webhook`, { permanent: true });
    const { core } = this.o;
    const { number } = JSON.parse(msg.payload) as ClosedWebhookPayload;
    const view = await getCityRequest(core, number, { publicView: false }).catch((e: unknown) => {
      if (isAppError(e, 'ticket_not_found')) throw new DeliveryError(`no request ${number}`, { permanent: true });
      throw e;
    });
    const now = core.clock.now();
    const body = JSON.stringify({
      event: CLOSED_EVENT,
      service_request: requestJson(view, { org: core.org, locale: this.o.locale ?? DEFAULT_LOCALE, publicView: false }),
      sent_at: now.toISOString(),
    });
    const timestamp = String(Math.floor(now.getTime() / 1000));
    const where = hostOf(hook.url);
    let res: Response;
    try {
      res = await fetch(hook.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-open311-event': CLOSED_EVENT,
          'x-open311-delivery': msg.key,
          'x-open311-timestamp': timestamp,
          'x-open311-signature': webhookSignature(hook.secret, timestamp, body),
        },
        body,
        // a signed body is not re-sent to wherever a redirect points
        redirect: 'manual',
        signal: AbortSignal.timeout(this.o.timeoutMs ?? WEBHOOK_TIMEOUT_MS),
      });
    } catch (e) {
      throw networkError(e, where, this.o.timeoutMs ?? WEBHOOK_TIMEOUT_MS);
    }
    const text = await res.text().catch(() => '');
    if (res.ok) return { result: { status: res.status } };
    const said = `${where} answered ${res.status}${text.trim() ? `: ${text.trim().slice(0, 200)}` : ''}`;
    if (res.status === 429 || res.status >= 500) throw new DeliveryError(said, { retryAfterMs: retryAfterMs(res.headers.get('retry-after'), now) });
    throw new DeliveryError(res.status >= 300 && res.status < 400 ? `${said} (redirects are not followed)` : said, { permanent: true });
  }
}

/** Scheme, host and port: enough for an admin to tell receivers apart, without a path or query that may hold a token. */
function hostOf(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}`;
}

function networkError(e: unknown, where: string, timeoutMs: number): DeliveryError {
  const err = e as Error & { cause?: { code?: string } };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return new DeliveryError(`${where} did not answer within ${timeoutMs / 1000} s`, { outcomeUnknown: true });
  }
  const code = err.cause?.code ?? '';
  return new DeliveryError(`${where} could not be reached (${code || err.message})`, { outcomeUnknown: !NOT_SENT.has(code) });
}

/** Retry-After as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | undefined {
  if (!header) return undefined;
  const s = header.trim();
  const ms = /^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s) - now.getTime();
  return Number.isFinite(ms) && ms > 0 ? Math.min(ms, MAX_RETRY_AFTER_MS) : undefined;
}
