/** escalation.ack on an urgent (R8j) or major (R8k) alert: who takes it on, and when, becomes a ticket event. */
import type { App } from '@slack/bolt';
import { canAct } from '../../../core/staff/can-act.js';
import { acknowledgeEscalation } from '../../../core/tickets/acknowledge-escalation.js';
import { actorOf, errorText, refusalText, renderCtx, staffFor, tell, ticketWithEvents, type SlackDeps } from '../kit.js';
import { readValue } from '../render/blocks.js';
import { tr } from '../render/names.js';
import { ACTION } from '../render/ticket-card.js';
import { whereClicked, type ActionArgs } from './types.js';

export function registerEscalation(app: App, d: SlackDeps): void {
  app.action(ACTION.escalationAck, async (args) => {
    const a = args as unknown as ActionArgs;
    await a.ack();
    const ctx = renderCtx(d);
    const to = { user: a.body.user.id, channel: whereClicked(a.body).ch };
    const v = readValue(a.action.value);
    if (!v?.n) return;
    const level = v.a === 'major' ? 'major' : 'urgent';
    const staff = staffFor(d, a.body.user.id);
    const t = await ticketWithEvents(d, v.n);
    if (!t) return tell(a.client, d, to, tr(ctx, 'error.ticket_not_found'));
    const decision = canAct(d.core.org, staff, t, level === 'major' ? 'ack_major' : 'ack_urgent');
    if (!decision.allowed) return tell(a.client, d, to, refusalText(ctx, decision.reason));
    try {
      await acknowledgeEscalation(d.core, { number: v.n, actor: actorOf(staff!), alert: level });
      d.kick?.();
    } catch (e) {
      await tell(a.client, d, to, await errorText(d, e, v.n));
    }
  });
}
