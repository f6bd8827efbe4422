/**
 * One step of the closed loop (R8) on a ticket: checks the status machine, applies the step's
 * effects, appends the event (R8g: stored to the second), and owes the step's messages, all in
 * one transaction. Concurrent steps on one ticket are caught by the version column: the loser
 * gets concurrent_update and nothing of it is stored.
 */
import { AppError } from '../errors.js';
import type { UnitKind } from '../domain.js';
import { UNIT_KINDS } from '../domain.js';
import type { Core, Tx } from '../context.js';
import { insertRows, insertRowsReturning } from '../../db/bulk-insert.js';
import { outboxRow } from '../outbox/enqueue.js';
import { residentById, ticketWhere } from '../../db/fast-reads.js';
import { Params } from '../../db/sql.js';
import { computeDeadlines } from '../deadlines/time-limits.js';
import { nextStatus, type Action, type Status } from './status-machine.js';
import { planMessages } from './notify-plan.js';
import { cancelTicketAlerts, scheduleTicketAlerts, type DeadlineName } from '../deadlines/schedule-alerts.js';
import { startCallback } from './start-callback.js';
import type { Ticket } from '../../db/generated/sqlite/client.js';

export interface ServiceFormInput {
  workDone: string;
  materials?: string;
  feesCents?: number;
  effect?: string;
  afterSalesTerms?: string;
  signed?: boolean;
}

export interface StepInput {
  number: string;
  action: Action;
  /** staff:<id> | resident:<id> | system */
  actor: string;
  note?: string;
  branchId?: string;
  unitId?: string;
  unitKind?: UnitKind;
  duplicateOf?: string;
  form?: ServiceFormInput;
  satisfaction?: 'satisfied' | 'fairly' | 'dissatisfied';
  /** the version the caller saw; a stale click is refused instead of applied twice */
  expectedStatus?: Status;
  /**
   * More writes that stand or fall with this step, run first inside its transaction (the answer
   * to a callback that closes or reopens the ticket). Throwing from it stores nothing.
   */
  alsoInTransaction?: (tx: Tx) => Promise<void>;
}

export interface StepResult {
  ticket: Ticket;
  eventId: number;
}

type Patch = Record<string, unknown>;

export async function loadTicket(core: Core | { db: Tx; provider?: Core['provider'] }, number: string): Promise<Ticket> {
  const t = 'provider' in core && core.provider ? await ticketWhere(core.db, core.provider, { number }) : await core.db.ticket.findUnique({ where: { number } });
  if (!t) throw new AppError('ticket_not_found', `no ticket ${number}`, { number });
  return t;
}

function need(cond: unknown, field: string, message: string): asserts cond {
  if (!cond) throw new AppError('validation_failed', `${field}: ${message}`, { field });
}

/** The fields a step changes, and the deadlines it meets. */
async function effects(core: Core, t: Ticket, input: StepInput, now: Date): Promise<{ patch: Patch; met: DeadlineName[]; data: Patch }> {
  const { org } = core;
  const staffId = input.actor.startsWith('staff:') ? input.actor.slice(6) : undefined;
  switch (input.action) {
    case 'dispatch': {
      need(input.branchId, 'branchId', 'a branch is needed to dispatch');
      if (!org.branches.has(input.branchId)) throw new AppError('unknown_branch', `no branch ${input.branchId}`, { branch: input.branchId });
      const unit = org.unitFor(input.branchId, t.category as never);
      return { patch: { branchId: input.branchId, unitId: unit?.id ?? null, dispatchedAt: now }, met: [], data: { branchId: input.branchId, unitId: unit?.id } };
    }
    case 'accept':
      return { patch: { acceptedAt: now, assigneeId: staffId ?? t.assigneeId }, met: ['ack'], data: {} };
    case 'route': {
      need(t.branchId, 'branchId', 'the ticket has no branch yet');
      let unitId = input.unitId;
      if (!unitId && input.unitKind) {
        need(UNIT_KINDS.includes(input.unitKind), 'unitKind', `must be one of ${UNIT_KINDS.join(', ')}`);
        unitId = org.unitOfKind(t.branchId, input.unitKind)?.id;
        if (!unitId) throw new AppError('unknown_unit', `branch ${t.branchId} has no ${input.unitKind}`, { unitKind: input.unitKind });
      }
      need(unitId, 'unitId', 'a unit or unit kind is needed to route');
      const unit = org.units.get(unitId);
      if (!unit || unit.branchId !== t.branchId) throw new AppError('unknown_unit', `no unit ${unitId} in branch ${t.branchId}`, { unit: unitId });
      return { patch: { unitId }, met: [], data: { unitId, fromUnitId: t.unitId } };
    }
    case 'arrive':
      return { patch: { arrivedAt: now }, met: ['arrive'], data: { visitedBy: staffId } };
    case 'resolve': {
      need(input.note?.trim(), 'note', 'the result is required');
      return { patch: { resolvedAt: now }, met: ['ack', 'arrive', 'resolve'], data: { result: input.note!.trim() } };
    }
    case 'request_callback':
      return { patch: {}, met: [], data: {} };
    case 'close':
      return { patch: { closedAt: now, satisfaction: input.satisfaction ?? t.satisfaction }, met: [], data: { satisfaction: input.satisfaction } };
    case 'reopen':
      return {
        patch: { reopenCount: t.reopenCount + 1, resolvedAt: null, closedAt: null, acceptedAt: null, arrivedAt: null, satisfaction: input.satisfaction ?? t.satisfaction },
        met: [],
        data: { satisfaction: input.satisfaction },
      };
    case 'transfer': {
      need(input.note?.trim(), 'note', 'a reason for the transfer is required');
      const branchId = input.branchId ?? t.branchId;
      need(branchId, 'branchId', 'a branch is needed to transfer');
      if (!org.branches.has(branchId)) throw new AppError('unknown_branch', `no branch ${branchId}`, { branch: branchId });
      const unitId = input.unitId ?? org.unitFor(branchId, t.category as never)?.id ?? null;
      if (unitId && org.units.get(unitId)?.branchId !== branchId) throw new AppError('unknown_unit', `no unit ${unitId} in branch ${branchId}`, { unit: unitId });
      if (branchId === t.branchId && unitId === t.unitId) {
        throw new AppError('transfer_to_same_place', `ticket ${t.number} is already with ${branchId}/${unitId}`, { branchId, unitId });
      }
      return {
        patch: { branchId, unitId, transferCount: t.transferCount + 1, dispatchedAt: now, acceptedAt: null, assigneeId: null },
        met: [],
        data: { fromBranchId: t.branchId, fromUnitId: t.unitId, branchId, unitId, reason: input.note!.trim() },
      };
    }
    case 'cancel':
      need(input.note?.trim(), 'note', 'a reason for cancelling is required');
      return { patch: { cancelledAt: now }, met: ['ack', 'arrive', 'resolve'], data: {} };
    case 'mark_duplicate': {
      need(input.duplicateOf, 'duplicateOf', 'the number of the original ticket is required');
      const original = await core.db.ticket.findUnique({ where: { number: input.duplicateOf } });
      if (!original || original.id === t.id) throw new AppError('ticket_not_found', `no other ticket ${input.duplicateOf}`, { number: input.duplicateOf });
      return { patch: { duplicateOfId: original.id, cancelledAt: now }, met: ['ack', 'arrive', 'resolve'], data: { duplicateOf: original.number } };
    }
  }
}

const EVENT_TYPE: Record<Action, string> = {
  dispatch: 'dispatched',
  accept: 'accepted',
  route: 'routed',
  arrive: 'arrived',
  resolve: 'resolved',
  request_callback: 'callback_requested',
  close: 'closed',
  reopen: 'reopened',
  transfer: 'transferred',
  cancel: 'cancelled',
  mark_duplicate: 'duplicate',
};

export async function transitionTicket(core: Core, input: StepInput): Promise<StepResult> {
  const now = core.clock.now();
  const t = await loadTicket(core, input.number);
  if (input.expectedStatus && input.expectedStatus !== t.status) {
    throw new AppError('invalid_transition', `ticket ${t.number} is ${t.status} now, not ${input.expectedStatus}`, {
      from: t.status,
      action: input.action,
      stale: true,
    });
  }
  const to = nextStatus(t.status as Status, input.action);
  const { patch, met, data } = await effects(core, t, input, now);

  return core.db.$transaction(async (tx) => {
    await input.alsoInTransaction?.(tx);
    // Raw statements: a click from Slack runs this, and Prisma's compiled queries cost four
    // times the CPU of raw ones (bench/). The version check makes concurrent steps safe.
    const p = new Params(core.provider);
    const sets = Object.entries({ ...patch, status: to, updatedAt: now }).map(([k, v]) => `"${k}" = ${p.add(v ?? null)}`);
    const changed = await tx.$executeRawUnsafe(
      `UPDATE "Ticket" SET ${sets.join(', ')}, "version" = "version" + 1 WHERE "id" = ${p.add(t.id)} AND "version" = ${p.add(t.version)}`,
      ...p.values,
    );
    if (changed !== 1) {
      throw new AppError('concurrent_update', `ticket ${t.number} changed while this step was being applied`, { number: t.number });
    }
    let ticket = (await ticketWhere(tx, core.provider, { id: t.id }))!;
    const [inserted] = await insertRowsReturning<{ id: number | bigint }>(
      tx,
      core.provider,
      'TicketEvent',
      [
        {
          ticketId: t.id,
          at: now,
          type: EVENT_TYPE[input.action],
          actor: input.actor,
          fromStatus: t.status,
          toStatus: to,
          note: input.note?.trim() || null,
          data: Object.keys(data).length ? JSON.stringify(data) : null,
        },
      ],
      { returning: ['id'] },
    );
    const event = { id: Number(inserted.id), type: EVENT_TYPE[input.action] };
    await cancelTicketAlerts(tx, t.id, met, core.provider);
    if (input.action === 'resolve' && input.form) await saveForm(tx, t.id, input, now);
    if (input.action === 'reopen' || input.action === 'transfer') {
      ticket = await restartClock(core, tx, ticket, now, input.action === 'reopen' ? 'reopen' : 'transfer');
    }
    const resident = ticket.residentId ? await residentById(tx, core.provider, ticket.residentId) : null;
    const messages = planMessages(core.org, { ...ticket, residentChatId: resident?.chatId }, event);
    await insertRows(
      tx,
      core.provider,
      'OutboxMessage',
      messages.map((m) => outboxRow(m, now)),
      { ignoreConflictOn: 'key' },
    );
    if (input.action === 'resolve') ticket = await startCallback(core, tx, ticket, now, resident?.chatId ?? null);
    return { ticket, eventId: event.id };
  });
}

async function saveForm(tx: Tx, ticketId: number, input: StepInput, now: Date): Promise<void> {
  const f = input.form!;
  need(f.workDone?.trim(), 'form.workDone', 'the work done is required on a service form');
  need(f.feesCents === undefined || (Number.isInteger(f.feesCents) && f.feesCents >= 0), 'form.feesCents', 'must be a whole, non-negative number of cents');
  const data = {
    workDone: f.workDone.trim(),
    materials: f.materials?.trim() || null,
    feesCents: f.feesCents ?? 0,
    effect: f.effect?.trim() || null,
    afterSalesTerms: f.afterSalesTerms?.trim() || null,
    signed: f.signed ?? false,
    serviceDate: now,
    createdBy: input.actor,
  };
  await tx.serviceForm.upsert({ where: { ticketId }, create: { ticketId, ...data }, update: data });
}

/** A reopened or transferred ticket gets fresh deadlines from now (and fresh alerts). */
async function restartClock(core: Core, tx: Tx, t: Ticket, now: Date, why: string): Promise<Ticket> {
  const d = computeDeadlines(core.org.config, t.branchId, t as never, now);
  await tx.scheduledAlert.deleteMany({ where: { ticketId: t.id, firedAt: null, kind: { not: { startsWith: 'callback' } } } });
  const updated = await tx.ticket.update({
    where: { id: t.id },
    data: { ackDueAt: d.ackDueAt, arriveDueAt: d.arriveDueAt, resolveDueAt: d.resolveDueAt, overdueAt: null },
  });
  await scheduleTicketAlerts(tx, core.provider, core.org.config, updated, now, `${why}${updated.version}`);
  return updated;
}
