/**
 * R8j, R8k: an urgent alert (branch duty people) or a major alert (leaders) is acknowledged by
 * someone taking it on. Who and when is stored as a ticket event; the first acknowledgement
 * counts and later ones are refused (already_answered, with who was first). The alert message
 * and the ticket's card are refreshed through the outbox, in the same transaction.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { enqueue, type OutboxItem } from '../outbox/enqueue.js';
import { assertCanAct, staffOfActor } from '../staff/can-act.js';
import { planMessages } from './notify-plan.js';
import { loadTicket, type StepResult } from './transition-ticket.js';

export type AlertLevel = 'urgent' | 'major';

export interface EscalationAck {
  number: string;
  /** staff:<id> */
  actor: string;
  alert: AlertLevel;
}

export const ESCALATION_ACKED = 'escalation_acked';

export async function acknowledgeEscalation(core: Core, a: EscalationAck): Promise<StepResult> {
  const now = core.clock.now();
  const t = await loadTicket(core, a.number);
  if (a.alert === 'major' ? t.severity !== 'major' : t.severity === 'normal') {
    throw new AppError('validation_failed', `alert: ticket ${t.number} is ${t.severity}, there is no ${a.alert} alert`, { field: 'alert' });
  }
  assertCanAct(core.org, staffOfActor(core.org, a.actor), t, a.alert === 'major' ? 'ack_major' : 'ack_urgent');
  const earlier = await core.db.ticketEvent.findMany({ where: { ticketId: t.id, type: ESCALATION_ACKED }, orderBy: { id: 'asc' } });
  const first = earlier.find((e) => (JSON.parse(e.data ?? '{}') as { alert?: string }).alert === a.alert);
  if (first) throw new AppError('already_answered', `the ${a.alert} alert of ${t.number} was already acknowledged`, { by: first.actor, at: first.at });

  return core.db.$transaction(async (tx) => {
    // the version column makes two simultaneous acknowledgements one winner and one refusal
    const res = await tx.ticket.updateMany({ where: { id: t.id, version: t.version }, data: { version: { increment: 1 } } });
    if (res.count !== 1) throw new AppError('concurrent_update', `ticket ${t.number} changed while acknowledging`, { number: t.number });
    const event = await tx.ticketEvent.create({
      data: { ticketId: t.id, at: now, type: ESCALATION_ACKED, actor: a.actor, fromStatus: t.status, toStatus: t.status, data: JSON.stringify({ alert: a.alert }) },
    });
    const ticket = (await tx.ticket.findUnique({ where: { id: t.id } }))!;
    const items: OutboxItem[] = planMessages(core.org, ticket, event);
    const payload = { ticketId: t.id, eventId: event.id, event: ESCALATION_ACKED };
    const target = a.alert === 'major' ? core.org.config.centre.channels.leaders : t.branchId ? core.org.branches.get(t.branchId)?.channels.urgent : undefined;
    if (target) items.push({ key: `${a.alert}-ack:${t.id}:${event.id}`, platform: 'slack', target, kind: a.alert === 'major' ? 'major_alert' : 'urgent_alert', payload });
    await enqueue(tx, now, items);
    return { ticket, eventId: event.id };
  });
}
