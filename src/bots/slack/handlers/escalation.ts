/**
 * escalation.ack on an urgent (R8j) or major (R8k) alert: who takes it on, and when, becomes a
 * ticket event. On an urgent alert of a ticket nobody accepted yet it also takes the ticket:
 * branch staff who click go themselves (accepted and assigned to them); a centre agent is shown
 * a select of the branch's people, those on duty now first (an ephemeral message, as only they need it), and the choice
 * acknowledges, accepts and assigns in one step (escalation.assign).
 */
import type { App } from '@slack/bolt';
import { onDutyNow } from '../../../core/duty/on-duty-now.js';
import { canAct } from '../../../core/staff/can-act.js';
import { ackOutcome, acknowledgeEscalation, assigneeChoices } from '../../../core/tickets/acknowledge-escalation.js';
import { actorOf, errorText, refusalText, renderCtx, staffFor, tell, ticketWithEvents, type SlackDeps } from '../kit.js';
import { actions, option, readValue, section, staticSelect, type CardValue } from '../render/blocks.js';
import { ASSIGN_ACTION } from '../render/alerts.js';
import { tr } from '../render/names.js';
import { ACTION } from '../render/ticket-card.js';
import { whereClicked, type ActionArgs } from './types.js';

export function registerEscalation(app: App, d: SlackDeps): void {
  const on = (id: string) => async (args: unknown) => {
    const a = args as ActionArgs;
    await a.ack();
    const ctx = renderCtx(d);
    const to = { user: a.body.user.id, channel: whereClicked(a.body).ch };
    const v = readValue(a.action.value ?? a.action.selected_option?.value);
    if (!v?.n) return;
    const level = v.a === 'major' ? 'major' : 'urgent';
    const staff = staffFor(d, a.body.user.id);
    const t = await ticketWithEvents(d, v.n);
    if (!t) return tell(a.client, d, to, tr(ctx, 'error.ticket_not_found'));
    const decision = canAct(d.core.org, staff, t, level === 'major' ? 'ack_major' : 'ack_urgent');
    if (!decision.allowed) return tell(a.client, d, to, refusalText(ctx, decision.reason));
    const picked = id === ASSIGN_ACTION ? v.p : undefined;
    if (id === ASSIGN_ACTION && !picked) return;
    const already = t.events.some((e) => e.type === 'escalation_acked' && (e.data ?? '').includes(`"${level}"`));
    if (!already && ackOutcome(d.core.org, t, { actor: actorOf(staff!), alert: level, assigneeId: picked }) === 'pick') {
      const onDuty = await onDutyNow(d.core, { branchId: t.branchId }, d.core.clock.now());
      const people = assigneeChoices(d.core.org, t.branchId, onDuty);
      if (!people.length) return tell(a.client, d, to, tr(ctx, 'loop.nobody_to_assign'));
      const options = people.map((p) =>
        option(
          `${p.name} · ${tr(ctx, `loop.role.${p.role}`)}${onDuty.includes(p) ? ` · ${tr(ctx, 'loop.on_duty')}` : ''}`,
          JSON.stringify({ n: t.number, a: level, p: p.id } satisfies CardValue),
        ),
      );
      const said = tr(ctx, 'loop.pick_assignee', { number: t.number });
      return tell(a.client, d, to, said, [
        section(said),
        actions(`assign:${t.number}`, [staticSelect(tr(ctx, 'loop.pick_placeholder'), ASSIGN_ACTION, options)]),
      ]);
    }
    try {
      await acknowledgeEscalation(d.core, { number: v.n, actor: actorOf(staff!), alert: level, assigneeId: picked });
      d.kick?.();
    } catch (e) {
      await tell(a.client, d, to, await errorText(d, e, v.n));
    }
  };
  app.action(ACTION.escalationAck, on(ACTION.escalationAck));
  app.action(ASSIGN_ACTION, on(ASSIGN_ACTION));
}
