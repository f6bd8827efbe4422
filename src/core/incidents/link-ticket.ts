/**
 * A staff member links a report to an open incident (the report was filed in words intake could
 * not place, or before the incident was declared): the incident's branch takes it, its own
 * acknowledgement and visit clocks end (withdrawn, not missed), the incident's resolve time is its
 * deadline and, for R27, its fault is the network's (scope primary). The ticket's card hears of it;
 * the incident's card counts it. The reason is kept on the ticket's event (R30 reads it).
 */
import type { Core } from '../context.js';
import { deadlineAlertKinds } from '../deadlines/schedule-alerts.js';
import { AppError } from '../errors.js';
import type { Incident, Ticket } from '../model.js';
import type { PlannedStep } from '../ports/ticket-store.js';
import { planMessages } from '../tickets/notify-plan.js';
import type { Status } from '../tickets/status-machine.js';
import { cardRows } from './incident-messages.js';
import { loadIncident } from './load-incident.js';
import { adjustmentFor } from '../kpi/closed-period.js';

export interface TicketLink {
  ticketId: number;
  /** id or number */
  incidentId: number | string;
  actor: string;
  reason: string;
}

export const REASON_MAX = 500;

/** The statuses a report can be linked in: nobody has resolved it yet. */
const LINKABLE: readonly Status[] = ['received', 'dispatched', 'accepted', 'on_site'];

export async function linkTicket(core: Core, input: TicketLink): Promise<{ incident: Incident; ticket: Ticket }> {
  const reason = input.reason?.trim();
  if (!reason) throw new AppError('validation_failed', 'reason: must not be empty', { field: 'reason' });
  if (reason.length > REASON_MAX) throw new AppError('validation_failed', `reason: is longer than ${REASON_MAX} characters`, { field: 'reason' });
  const incident = await loadIncident(core, input.incidentId);
  if (incident.status !== 'open')
    throw new AppError('invalid_transition', `incident ${incident.number} is restored`, { from: incident.status, action: 'link' });
  const loaded = await core.stores.tickets.forStep({ id: input.ticketId });
  if (!loaded) throw new AppError('ticket_not_found', `no ticket ${input.ticketId}`, { id: input.ticketId });
  const t = loaded.ticket;
  if (t.incidentId === incident.id) return { incident, ticket: t };
  if (t.incidentId !== null)
    throw new AppError('invalid_transition', `ticket ${t.number} is linked to another incident`, { from: t.status, action: 'link', incidentId: t.incidentId });
  if (!LINKABLE.includes(t.status as Status))
    throw new AppError('invalid_transition', `cannot link a ticket that is ${t.status}`, { from: t.status, action: 'link' });

  const now = core.clock.now();
  const status: Status = t.status === 'received' || t.status === 'dispatched' ? 'accepted' : (t.status as Status);
  const branchId = t.branchId ?? incident.branchIds[0] ?? null;
  const patch = {
    incidentId: incident.id,
    scope: 'primary' as const,
    branchId,
    acceptedAt: t.acceptedAt ?? now,
    ackDueAt: null,
    arriveDueAt: null,
    resolveDueAt: incident.resolveDueAt,
  };
  const after = { ...t, ...patch, status };
  const step: PlannedStep = {
    status,
    patch,
    event: {
      type: 'linked',
      actor: input.actor,
      fromStatus: t.status,
      toStatus: status,
      note: reason,
      data: { incidentId: incident.id, number: incident.number },
    },
    cancelAlertKinds: deadlineAlertKinds(),
    cancelAlertKeys: [],
    alerts: [],
    form: null,
    openCallback: null,
    deadlines: {
      meet: [],
      supersede: ['ack', 'arrive'],
      open: [],
      generation: 'current',
      redue: [{ name: 'resolve', startedAt: now, dueAt: incident.resolveDueAt }],
    },
    owed: ({ eventId }) => ({
      messages: planMessages(core.org, { ...after, residentChatId: loaded.residentChatId }, { id: eventId, type: 'linked' }),
      alerts: [],
    }),
    // a report of a closed month taken over by an incident is recorded beside the frozen figures (closed-period.ts)
    adjustment: await adjustmentFor(core, t, {
      action: 'linked_incident',
      actor: input.actor,
      reason,
      before: { status: t.status, scope: t.scope, branchId: t.branchId },
      after: { status, scope: 'primary', branchId, incident: incident.number },
    }),
  };
  const stored = await core.stores.incidents.link({
    incidentId: incident.id,
    ticket: { ticketId: t.id, version: t.version, steps: [step], at: now },
    note: reason,
    actor: input.actor,
    messages: cardRows(core.org, incident, now),
  });
  return { incident: stored, ticket: { ...after, version: t.version + 1, updatedAt: now } as Ticket };
}
