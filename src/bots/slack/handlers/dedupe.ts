/**
 * Inbound idempotency for Slack: an event Slack retries (X-Slack-Retry-Num) has the same
 * event_id, a replayed interaction the same user, action and action_ts, a replayed command the
 * same trigger_id. Once one was handled, no listener runs for its copy. The receipt is stored
 * when the listeners are done (src/core/inbound/handle-once.ts): a retry that arrives while the
 * first is still running waits for it, and a handling cut short (a crash, a failing listener)
 * leaves none, so Slack's retry or the person's second click is handled. Modal submissions go
 * through the same gate by their view id in the listeners (viewOnce), after validation, so a
 * corrected form still counts.
 */
import type { App } from '@slack/bolt';
import { inboundGate, type InboundReceipt } from '../../../core/inbound/handle-once.js';
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
  const gate = inboundGate(d.core);
  app.use(async ({ body, next }) => {
    const key = receiptKey(body as Record<string, any>);
    if (!key) return next();
    if ((await gate.handle(key, () => next())) === 'replay') d.log.info({ key }, 'slack request seen before: ignored');
  });
}

/**
 * A modal's submission, handled once per view (a double click on Submit sends it twice): the
 * receipt is stored when `work` is done, or by `work` with what it stores (receipt.keys into a
 * filing, then receipt.markStored).
 */
export async function viewOnce(d: SlackDeps, viewId: string, work: (receipt: InboundReceipt) => Promise<void>): Promise<void> {
  if ((await inboundGate(d.core).handle(`slack:view:${viewId}`, work)) === 'replay') d.log.info({ viewId }, 'slack view submitted before: ignored');
}
