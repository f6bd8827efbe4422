/**
 * Inbound idempotency for Slack (issue 8's receipts): an event Slack retries (X-Slack-Retry-Num)
 * has the same event_id, a replayed interaction the same user, action and action_ts, a replayed
 * command the same trigger_id. The second time, no listener runs. Modal submissions are
 * remembered by their view id in the listeners, after validation, so a corrected form still counts.
 */
import type { App } from '@slack/bolt';
import { firstReceipt } from '../../../core/inbound/remember-receipt.js';
import type { SlackDeps } from '../kit.js';

export function receiptKey(body: Record<string, any>): string | undefined {
  if (body.type === 'event_callback' && body.event_id) return `slack:${body.event_id}`;
  if (body.type === 'block_actions') {
    const a = body.actions?.[0];
    return a ? `slack:act:${body.user?.id}:${a.action_id}:${a.action_ts ?? body.trigger_id}` : undefined;
  }
  if (body.command && body.trigger_id) return `slack:cmd:${body.trigger_id}`;
  return undefined;
}

export function registerDedupe(app: App, d: SlackDeps): void {
  app.use(async ({ body, next }) => {
    const key = receiptKey(body as Record<string, any>);
    if (key && !(await firstReceipt(d.core, key))) {
      d.log.info({ key }, 'slack request seen before: ignored');
      return;
    }
    await next();
  });
}
