/**
 * Corrects what a ticket is (kind, category, scope, severity) once someone knows better, e.g.
 * the field team finds the fault is on the primary network. Its deadlines are recomputed from
 * when it was received (R7, R27), its pending alerts replaced, and the change is in the log.
 */
import { assertCanAct, staffOfActor } from '../staff/can-act.js';
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { CATEGORIES, SCOPES, SEVERITIES, TICKET_KINDS, type Category, type Scope, type Severity, type TicketKind } from '../domain.js';
import { computeDeadlines } from '../deadlines/time-limits.js';
import { generationOf, TABLE_DEADLINES } from '../deadlines/deadline-rows.js';
import type { Ticket } from '../model.js';
import type { PlannedStep } from '../ports/ticket-store.js';
import { planMessages } from './notify-plan.js';
import { alertRows, deadlineAlertKinds } from '../deadlines/schedule-alerts.js';
import { loadForStep } from './transition-ticket.js';
import { OPEN_STATUSES } from './status-machine.js';
import { eventActor, type ClientActor } from './event-actor.js';
import { adjustmentFor } from '../kpi/closed-period.js';

export interface Reclassify {
  number: string;
  actor: string;
  /** the API client that sent it for the staff member in actor (see event-actor.ts) */
  via?: ClientActor;
  kind?: TicketKind;
  category?: Category;
  scope?: Scope;
  severity?: Severity;
  note?: string;
  /** why the class changes: required, it moves the ticket between the KPI's counts (R27, R29, R30) */
  reason?: string;
}

export async function reclassifyTicket(core: Core, input: Reclassify): Promise<Ticket> {
  const bad = (f: string, list: readonly string[]) => {
    throw new AppError('validation_failed', `${f}: must be one of ${list.join(', ')}`, { field: f });
  };
  if (input.kind && !TICKET_KINDS.includes(input.kind)) bad('kind', TICKET_KINDS);
  if (input.category && !CATEGORIES.includes(input.category)) bad('category', CATEGORIES);
  if (input.scope && !SCOPES.includes(input.scope)) bad('scope', SCOPES);
  if (input.severity && !SEVERITIES.includes(input.severity)) bad('severity', SEVERITIES);
  // a note on a reclassification (the field before reasons were required) is its reason
  const reason = (input.reason ?? input.note)?.trim();
  if (!reason) throw new AppError('reason_required', 'reason: a reclassification needs a reason', { field: 'reason' });
  const { ticket: t, residentChatId } = await loadForStep(core, input.number);
  // R2: the centre or the branch's coordinators move a ticket to another time limit (can-act.ts)
  if (input.actor.startsWith('staff:')) assertCanAct(core.org, staffOfActor(core.org, input.actor), t, 'amend');
  if (!OPEN_STATUSES.includes(t.status) || t.status === 'resolved' || t.status === 'callback') {
    throw new AppError('invalid_transition', `ticket ${t.number} is ${t.status}: it can no longer be reclassified`, { from: t.status, action: 'reclassify' });
  }
  // R31-R33: the centre holds a conduct complaint so that the accused's branch never sees it; moving a
  // ticket into or out of that category would leave it with the wrong holder, so it is filed anew instead
  if (input.category && input.category !== t.category && (input.category === 'staff_conduct' || t.category === 'staff_conduct')) {
    throw new AppError('conduct_category_fixed', `ticket ${t.number}: a conduct complaint is filed as one with the centre, not reclassified`, {
      from: t.category,
      to: input.category,
    });
  }
  const cls = {
    kind: input.kind ?? t.kind,
    category: input.category ?? t.category,
    scope: input.scope ?? t.scope,
    severity: input.severity ?? t.severity,
  };
  const before = { kind: t.kind, category: t.category, scope: t.scope, severity: t.severity };
  if (JSON.stringify(before) === JSON.stringify(cls)) return t;
  // the running deadlines take the new due times (met or not: the ticket's due columns, which
  // follow the same times, are the running generation's); a limit the new class does not have ends
  const d = generationOf(computeDeadlines(core.org.config, t.branchId, cls, t.createdAt), t.createdAt);
  const now = core.clock.now();
  const patch = { ...cls, ...d.columns };
  const gone = TABLE_DEADLINES.filter((name) => !d.rows.some((r) => r.name === name));
  const after: Ticket = { ...t, ...patch };
  // a case that became severe is escalated at once (R8j, R8k)
  const type = cls.severity !== 'normal' && cls.severity !== before.severity ? 'escalated' : 'reclassified';
  const who = eventActor(input.actor, input.via);
  const step: PlannedStep = {
    status: t.status,
    patch,
    event: {
      type: 'reclassified',
      actor: who.actor,
      fromStatus: null,
      toStatus: null,
      note: input.note?.trim() || reason,
      // the reason is the note unless both were given
      data: { before, after: cls, ...(reason !== input.note?.trim() ? { reason } : {}), ...who.data },
    },
    cancelAlertKinds: deadlineAlertKinds(),
    cancelAlertKeys: [],
    alerts: alertRows(core.org.config, after, now, `re${t.version + 1}`),
    form: null,
    openCallback: null,
    deadlines: { meet: [], supersede: gone, open: [], generation: 'current', redue: d.rows },
    owed: ({ eventId }) => ({ messages: planMessages(core.org, { ...after, residentChatId }, { id: eventId, type }), alerts: [] }),
    // a ticket of a closed month: the new class is recorded beside the frozen figures (closed-period.ts)
    adjustment: await adjustmentFor(core, t, { action: 'reclassified', actor: input.actor, via: input.via, reason, before, after: cls }),
  };
  const { ticket } = await core.stores.tickets.applyStep({ ticketId: t.id, version: t.version, steps: [step], at: now });
  return ticket;
}
