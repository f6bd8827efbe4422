/**
 * R8j, R8k: an urgent alert (branch duty people) or a major alert (leaders) is acknowledged by
 * someone taking it on. Who and when is stored as a ticket event; the first acknowledgement
 * counts and later ones are refused (already_answered, with who was first). The alert message
 * and the ticket's card are refreshed through the outbox, in the same transaction.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { OutboxItem } from '../outbox/enqueue.js';
import type { PlannedStep } from '../ports/ticket-store.js';
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
  const earlier = await core.stores.tickets.events(t.id, ESCALATION_ACKED);
  const first = earlier.find((e) => (JSON.parse(e.data ?? '{}') as { alert?: string }).alert === a.alert);
  if (first) throw new AppError('already_answered', `the ${a.alert} alert of ${t.number} was already acknowledged`, { by: first.actor, at: first.at });

  const { org } = core;
  const target = a.alert === 'major' ? org.config.centre.channels.leaders : t.branchId ? org.branches.get(t.branchId)?.channels.urgent : undefined;
  // the version column makes two simultaneous acknowledgements one winner and one refusal
  const step: PlannedStep = {
    status: t.status,
    patch: {},
    event: { type: ESCALATION_ACKED, actor: a.actor, fromStatus: t.status, toStatus: t.status, note: null, data: { alert: a.alert } },
    cancelAlertKinds: [],
    cancelAlertKeys: [],
    alerts: [],
    form: null,
    openCallback: null,
    owed: ({ eventId }) => {
      const messages: OutboxItem[] = planMessages(org, t, { id: eventId, type: ESCALATION_ACKED });
      const payload = { ticketId: t.id, eventId, event: ESCALATION_ACKED };
      if (target)
        messages.push({
          key: `${a.alert}-ack:${t.id}:${eventId}`,
          platform: 'slack',
          target,
          kind: a.alert === 'major' ? 'major_alert' : 'urgent_alert',
          payload,
        });
      return { messages, alerts: [] };
    },
  };
  const { ticket, eventIds } = await core.stores.tickets.applyStep({ ticketId: t.id, version: t.version, steps: [step], at: now });
  return { ticket, eventId: eventIds[0] };
}
