/**
 * Corrects what a ticket is (kind, category, scope, severity) once someone knows better, e.g.
 * the field team finds the fault is on the primary network. Its deadlines are recomputed from
 * when it was received (R7, R27), its pending alerts replaced, and the change is in the log.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { CATEGORIES, SCOPES, SEVERITIES, TICKET_KINDS, type Category, type Scope, type Severity, type TicketKind } from '../domain.js';
import { computeDeadlines } from '../deadlines/time-limits.js';
import { enqueue } from '../outbox/enqueue.js';
import { planMessages } from './notify-plan.js';
import { scheduleTicketAlerts } from '../deadlines/schedule-alerts.js';
import { loadTicket } from './transition-ticket.js';
import { OPEN_STATUSES, type Status } from './status-machine.js';

export interface Reclassify {
  number: string;
  actor: string;
  kind?: TicketKind;
  category?: Category;
  scope?: Scope;
  severity?: Severity;
  note?: string;
}

export async function reclassifyTicket(core: Core, input: Reclassify) {
  const bad = (f: string, list: readonly string[]) => {
    throw new AppError('validation_failed', `${f}: must be one of ${list.join(', ')}`, { field: f });
  };
  if (input.kind && !TICKET_KINDS.includes(input.kind)) bad('kind', TICKET_KINDS);
  if (input.category && !CATEGORIES.includes(input.category)) bad('category', CATEGORIES);
  if (input.scope && !SCOPES.includes(input.scope)) bad('scope', SCOPES);
  if (input.severity && !SEVERITIES.includes(input.severity)) bad('severity', SEVERITIES);
  const t = await loadTicket(core, input.number);
  if (!OPEN_STATUSES.includes(t.status as Status) || ['resolved', 'callback'].includes(t.status)) {
    throw new AppError('invalid_transition', `ticket ${t.number} is ${t.status}: it can no longer be reclassified`, { from: t.status, action: 'reclassify' });
  }
  const cls = {
    kind: input.kind ?? (t.kind as TicketKind),
    category: input.category ?? (t.category as Category),
    scope: input.scope ?? (t.scope as Scope),
    severity: input.severity ?? (t.severity as Severity),
  };
  const before = { kind: t.kind, category: t.category, scope: t.scope, severity: t.severity };
  if (JSON.stringify(before) === JSON.stringify(cls)) return t;
  const d = computeDeadlines(core.org.config, t.branchId, cls, t.createdAt);
  const now = core.clock.now();
  return core.db.$transaction(async (tx) => {
    const res = await tx.ticket.updateMany({
      where: { id: t.id, version: t.version },
      data: { ...cls, ackDueAt: d.ackDueAt, arriveDueAt: d.arriveDueAt, resolveDueAt: d.resolveDueAt, version: { increment: 1 } },
    });
    if (res.count !== 1) throw new AppError('concurrent_update', `ticket ${t.number} changed meanwhile`, { number: t.number });
    const updated = (await tx.ticket.findUnique({ where: { id: t.id } }))!;
    const event = await tx.ticketEvent.create({
      data: { ticketId: t.id, at: now, type: 'reclassified', actor: input.actor, note: input.note?.trim() || null, data: JSON.stringify({ before, after: cls }) },
    });
    await tx.scheduledAlert.deleteMany({ where: { ticketId: t.id, firedAt: null, kind: { not: { startsWith: 'callback' } } } });
    await scheduleTicketAlerts(tx, core.provider, core.org.config, updated, now, `re${updated.version}`);
    // a case that became severe is escalated at once (R8j, R8k)
    const escalated = cls.severity !== 'normal' && cls.severity !== before.severity ? { ...event, type: 'escalated' } : event;
    const resident = updated.residentId ? await tx.resident.findUnique({ where: { id: updated.residentId } }) : null;
    await enqueue(tx, now, planMessages(core.org, { ...updated, residentChatId: resident?.chatId }, escalated));
    return updated;
  });
}
