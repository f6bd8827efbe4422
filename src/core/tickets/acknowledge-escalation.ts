/**
 * R8j, R8k: an urgent alert (branch duty people) or a major alert (leaders) is acknowledged by
 * someone taking it on. Who and when is stored as a ticket event; the first acknowledgement
 * counts and later ones are refused (already_answered, with who was first). The alert message
 * and the ticket's card are refreshed through the outbox, in the same transaction.
 *
 * Taking on an urgent alert takes the ticket: a ticket not yet accepted is accepted and assigned,
 * in the same store call as the acknowledgement, to whoever clicked when they may go themselves
 * (the branch's field staff and coordinators), or to the person they picked (a centre agent
 * picks; see assigneeChoices). The accept meets the ticket's accept deadline (R7) and tells the
 * resident who is coming (R6). A major alert's acknowledgement (the leaders, R8k) takes nothing.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Org } from '../org/org.js';
import type { Staff } from '../org/types.js';
import type { OutboxItem } from '../outbox/enqueue.js';
import type { PlannedStep } from '../ports/ticket-store.js';
import { assertCanAct, staffOfActor } from '../staff/can-act.js';
import { planMessages } from './notify-plan.js';
import { loadForStep, planStep, type StepResult } from './transition-ticket.js';

export type AlertLevel = 'urgent' | 'major';

export interface EscalationAck {
  number: string;
  /** staff:<id> */
  actor: string;
  alert: AlertLevel;
  /** who goes (a staff id), when the one who clicked does not go themselves (a centre agent's pick) */
  assigneeId?: string;
}

export const ESCALATION_ACKED = 'escalation_acked';

/** The roles that go to a resident's door or send someone: they may be a ticket's assignee. */
const ASSIGNABLE_ROLES = new Set(['field_staff', 'branch_coordinator']);

/** Whether a staff member may be the assignee of a ticket of this branch. */
export function mayBeAssignee(s: Staff | undefined, branchId: string | null): s is Staff {
  return Boolean(s && branchId && s.branchId === branchId && ASSIGNABLE_ROLES.has(s.role));
}

/**
 * The people a centre agent may pick to go: the branch's field staff and coordinators, those on
 * duty now first (`onDuty`: core/duty/on-duty-now.ts, as the caller read it).
 */
export function assigneeChoices(org: Org, branchId: string | null, onDuty: readonly Staff[]): Staff[] {
  if (!branchId) return [];
  const people = org.staffOf(branchId, 'field_staff', 'branch_coordinator');
  const on = new Set(onDuty.map((s) => s.id));
  return [...people.filter((s) => on.has(s.id)), ...people.filter((s) => !on.has(s.id))];
}

/**
 * What an acknowledgement does to the ticket: 'assign' (accepted and assigned with it), 'pick'
 * (not accepted yet, and the one who clicked does not go: someone must be picked first), or 'ack'
 * (a major alert, or a ticket someone already accepted).
 */
export function ackOutcome(
  org: Org,
  t: { status: string; branchId: string | null },
  a: Pick<EscalationAck, 'actor' | 'alert' | 'assigneeId'>,
): 'assign' | 'pick' | 'ack' {
  if (a.alert === 'major' || t.status !== 'dispatched') return 'ack';
  if (a.assigneeId) return 'assign';
  return mayBeAssignee(staffOfActor(org, a.actor), t.branchId) ? 'assign' : 'pick';
}

export async function acknowledgeEscalation(core: Core, a: EscalationAck): Promise<StepResult> {
  const now = core.clock.now();
  const loaded = await loadForStep(core, a.number);
  const t = loaded.ticket;
  if (a.alert === 'major' ? t.severity !== 'major' : t.severity === 'normal') {
    throw new AppError('validation_failed', `alert: ticket ${t.number} is ${t.severity}, there is no ${a.alert} alert`, { field: 'alert' });
  }
  assertCanAct(core.org, staffOfActor(core.org, a.actor), t, a.alert === 'major' ? 'ack_major' : 'ack_urgent');
  if (a.assigneeId && !mayBeAssignee(core.org.staff.get(a.assigneeId), t.branchId)) {
    throw new AppError('validation_failed', `assigneeId: ${a.assigneeId} cannot take a ticket of ${t.branchId}`, { field: 'assigneeId' });
  }
  const earlier = await core.stores.tickets.events(t.id, ESCALATION_ACKED);
  const first = earlier.find((e) => (JSON.parse(e.data ?? '{}') as { alert?: string }).alert === a.alert);
  if (first) throw new AppError('already_answered', `the ${a.alert} alert of ${t.number} was already acknowledged`, { by: first.actor, at: first.at });
  const outcome = ackOutcome(core.org, t, a);
  if (outcome === 'pick') throw new AppError('validation_failed', `assigneeId: ${a.actor} does not go; pick who does`, { field: 'assigneeId' });

  const { org } = core;
  const target = a.alert === 'major' ? org.config.centre.channels.leaders : t.branchId ? org.branches.get(t.branchId)?.channels.urgent : undefined;
  const assigneeId = outcome === 'assign' ? (a.assigneeId ?? a.actor.slice(6)) : undefined;
  // the version column makes two simultaneous acknowledgements one winner and one refusal
  const step: PlannedStep = {
    status: t.status,
    patch: {},
    event: {
      type: ESCALATION_ACKED,
      actor: a.actor,
      fromStatus: t.status,
      toStatus: t.status,
      note: null,
      data: { alert: a.alert, ...(assigneeId ? { assigneeId } : {}) },
    },
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
  const steps = [step];
  if (assigneeId) {
    // the accept is the card's own step (its deadline met, its messages owed), with the assignee
    // set to who goes rather than to who clicked
    const [accept] = planStep(org, loaded, { number: t.number, action: 'accept', actor: a.actor }, now);
    accept.patch.assigneeId = assigneeId;
    accept.event.data = { ...(accept.event.data ?? {}), assigneeId, via: 'alert' };
    steps.push(accept);
  }
  const { ticket, eventIds } = await core.stores.tickets.applyStep({ ticketId: t.id, version: t.version, steps, at: now });
  return { ticket, eventId: eventIds[0] };
}
