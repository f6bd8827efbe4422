/**
 * callback.record on a phone callback task (R8h): the centre agent calls the customer and records
 * reached or not, satisfaction and a note (R28). The core closes or reopens the ticket (R30); the
 * task message shows the outcome in place.
 */
import type { App } from '@slack/bolt';
import { canAct } from '../../../core/staff/can-act.js';
import { nextAttemptAt, recordCallback } from '../../../core/tickets/record-callback.js';
import { formatMinute } from '../../../core/local-time.js';
import { actorOf, errorText, refusalText, renderCtx, staffFor, tell, ticketWithEvents, type SlackDeps } from '../kit.js';
import { CALLBACK_VIEW, callbackModal, readCallback } from '../modals/callback-modal.js';
import { origin } from '../modals/view-state.js';
import { callbackTask } from '../render/alerts.js';
import { readValue } from '../render/blocks.js';
import { tr } from '../render/names.js';
import { ACTION } from '../render/ticket-card.js';
import { viewOnce } from './dedupe.js';
import { whereClicked, type ActionArgs, type ViewArgs } from './types.js';

export function registerCallbacks(app: App, d: SlackDeps): void {
  app.action(ACTION.callbackRecord, async (args) => {
    const a = args as unknown as ActionArgs;
    await a.ack();
    const ctx = renderCtx(d);
    const where = whereClicked(a.body);
    const to = { user: a.body.user.id, channel: where.ch };
    const v = readValue(a.action.value);
    if (!v?.n || !v.c) return;
    const staff = staffFor(d, a.body.user.id);
    const t = await ticketWithEvents(d, v.n);
    if (!t) return tell(a.client, d, to, tr(ctx, 'error.ticket_not_found'));
    const decision = canAct(d.core.org, staff, t, 'callback');
    if (!decision.allowed) return tell(a.client, d, to, refusalText(ctx, decision.reason));
    const cb = await d.core.stores.views.callbackById(v.c);
    if (!cb || cb.ticketId !== t.id) return tell(a.client, d, to, tr(ctx, 'error.not_found'));
    if (cb.status !== 'pending')
      return tell(
        a.client,
        d,
        to,
        tr(ctx, 'callback.already', { status: cb.status === 'unreachable' ? tr(ctx, 'callback.unreachable') : tr(ctx, 'callback.answered') }),
      );
    await a.client.views.open({ trigger_id: a.body.trigger_id!, view: callbackModal(ctx, t, cb.id, where) });
  });

  app.view(CALLBACK_VIEW, async (args) => {
    const a = args as unknown as ViewArgs;
    const ctx = renderCtx(d);
    const r = readCallback(ctx, a.view);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    const from = origin(a.view);
    // R28: a "not reached" inside the retry spacing would not count; say so in the modal, before it closes
    const tooSoon = !r.value.reached && from.c ? await retryTooSoon(d, ctx, from.c) : null;
    if (tooSoon) return a.ack({ response_action: 'errors', errors: { reached: tooSoon } });
    await a.ack();
    const to = { user: a.body.user.id, channel: from.ch };
    const { c: callbackId, n: number } = from;
    if (!callbackId || !number) return;
    // the receipt after the answer is stored: a second one is refused by the callback's own state (already_answered)
    await viewOnce(d, a.view.id, async () => {
      const staff = staffFor(d, a.body.user.id);
      const t = await ticketWithEvents(d, number);
      if (!t) return tell(a.client, d, to, tr(ctx, 'error.ticket_not_found'));
      const decision = canAct(d.core.org, staff, t, 'callback');
      if (!decision.allowed) return tell(a.client, d, to, refusalText(ctx, decision.reason));
      try {
        const out = await recordCallback(d.core, { callbackId, actor: actorOf(staff!), ...r.value });
        d.kick?.();
        if (from.ch && from.ts) {
          const fresh = (await ticketWithEvents(d, number))!;
          await a.client.chat
            .update({ channel: from.ch, ts: from.ts, ...callbackTask(renderCtx(d), fresh, out.callback) })
            .catch((e) => d.log.warn({ err: (e as Error).message }, 'callback task not updated'));
        }
      } catch (e) {
        await tell(a.client, d, to, await errorText(d, e, number));
      }
    });
  });
}

/** The modal's words when a "not reached" attempt would come sooner than escalation.callbackRetrySpacing after the last counted one. */
async function retryTooSoon(d: SlackDeps, ctx: ReturnType<typeof renderCtx>, callbackId: number): Promise<string | null> {
  const cb = await d.core.stores.views.callbackById(callbackId);
  const next = cb && cb.status === 'pending' ? nextAttemptAt(d.core, cb) : null;
  if (!cb?.lastAttemptAt || !next || d.core.clock.now() >= next) return null;
  const spacing = d.core.org.config.escalation.callbackRetrySpacingMinutes;
  return tr(ctx, 'integrity.retry_too_soon', {
    last: formatMinute(cb.lastAttemptAt),
    attempts: cb.attempts,
    spacing: spacing % 60 === 0 ? tr(ctx, 'integrity.hours', { n: spacing / 60 }) : tr(ctx, 'integrity.minutes', { n: spacing }),
    at: formatMinute(next),
  });
}
