/**
 * Web API failures, seen by the outbox: a 429 is retried after its Retry-After, a channel that
 * does not exist (or that the app may not post to) goes straight to dead, anything else is retried
 * with backoff. Codes are read by string, as the Web API client documents them.
 */
import { DeliveryError } from '../../delivery/types.js';

/** Slack errors no retry will fix: the operator must change the config or the app's channels. */
const PERMANENT = new Set([
  'channel_not_found',
  'is_archived',
  'not_in_channel',
  'invalid_blocks',
  'invalid_blocks_format',
  'msg_too_long',
  'no_text',
  'restricted_action',
  'cant_update_message',
  'edit_window_closed',
  'user_not_found',
  'user_not_in_channel',
]);

export function slackErrorCode(e: unknown): string | undefined {
  const x = e as { code?: string; data?: { error?: string } };
  return x?.code === 'slack_webapi_platform_error' ? x.data?.error : undefined;
}

export function toDeliveryError(e: unknown): DeliveryError {
  if (e instanceof DeliveryError) return e;
  const x = e as { code?: string; retryAfter?: number; statusCode?: number; message?: string };
  if (x?.code === 'slack_webapi_rate_limited_error') {
    return new DeliveryError(`slack rate limited, retry after ${x.retryAfter}s`, { retryAfterMs: (x.retryAfter ?? 1) * 1000 });
  }
  const platform = slackErrorCode(e);
  if (platform) return new DeliveryError(`slack error: ${platform}`, { permanent: PERMANENT.has(platform) });
  if (x?.code === 'slack_webapi_http_error') return new DeliveryError(`slack HTTP ${x.statusCode}`);
  return new DeliveryError(`slack request failed: ${x?.message ?? String(e)}`);
}
