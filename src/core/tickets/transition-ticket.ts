/**
 * One step of the closed loop (R8) on a ticket: checks the status machine, decides the step's
 * effects, its event (R8g: stored to the second), its alerts and the messages it owes, and has
 * the ticket store write all of it in one transaction. Concurrent steps on one ticket are caught
 * by the version column: the loser gets concurrent_update and nothing of it is stored.
 */
import { AppError } from '../errors.js';
import { UNIT_KINDS, type Satisfaction, type UnitKind } from '../domain.js';
import type { Core } from '../context.js';
import type { KpiAdjustmentAction, Ticket } from '../model.js';
import type { Org } from '../org/org.js';
import type { AppliedStep, CallbackClaim, DeadlineSteps, NewServiceForm, PlannedStep, TicketForStep, TicketPatch } from '../ports/ticket-store.js';
import { computeDeadlines } from '../deadlines/time-limits.js';
import { DEADLINE_NAMES, generationOf } from '../deadlines/deadline-rows.js';
import { alertRows, deadlineAlertKinds, type TicketDeadline } from '../deadlines/schedule-alerts.js';
import { nextStatus, type Action, type Status } from './status-machine.js';
import { planMessages } from './notify-plan.js';
import { planCallbackStep } from './start-callback.js';
import { eventActor, type ClientActor } from './event-actor.js';
import { followOriginal, ORIGINAL_RESOLVED } from './follow-original.js';
import { checkPaidResolve } from './paid-work.js';
import { adjustmentFor } from '../kpi/closed-period.js';
import { assertAnsweredCallback } from './answered-callback.js';
import { assertCanAct, staffOfActor } from '../staff/can-act.js';
import { isConductComplaint } from '../conduct/conduct-route.js';

export interface ServiceFormInput {
  workDone: string;
  materials?: string;
  feesCents?: number;
  effect?: string;
  afterSalesTerms?: string;
  signed?: boolean;
  /** R12: the reason an own-materials job charges more than the basic labour fee (paid-work.ts) */
  feeOverCapReason?: string;
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
  satisfaction?: Satisfaction;
  /** the status the caller saw; a stale click is refused instead of applied twice */
  expectedStatus?: Status;
  /** the API client that sent the step for the staff member in actor: the event's actor (see event-actor.ts) */
  via?: ClientActor;
}

/** A callback answer that stands or falls with the step it causes (close, reopen). */
export interface StepCause {
  claim: CallbackClaim;
  /** the answered callback's pending time-outs */
  cancelAlertKeys: string[];
}

export interface StepResult {
  ticket: Ticket;
  eventId: number;
}

export async function loadForStep(core: Core, number: string): Promise<TicketForStep> {
  const found = await core.stores.tickets.forStep({ number });
  if (!found) throw new AppError('ticket_not_found', `no ticket ${number}`, { number });
  return found;
}

export async function loadTicket(core: Core, number: string): Promise<Ticket> {
  return (await loadForStep(core, number)).ticket;
}

function need(cond: unknown, field: string, message: string): asserts cond {
  if (!cond) throw new AppError('validation_failed', `${field}: ${message}`, { field });
}

interface Effects {
  patch: TicketPatch;
  /** the deadlines the step meets (and whose alerts it removes) */
  met: TicketDeadline[];
  /** the ticket is withdrawn: its deadlines end unmet, and their alerts go */
  withdraw?: boolean;
  data: Record<string, unknown>;
  /** the deadlines start again from now (a reopen, a transfer to another branch) */
  restart: boolean;
}

/** The fields a step changes, the deadlines it meets, and whether its clock starts again. */
function effects(org: Org, t: Ticket, input: StepInput, now: Date, original: Ticket | null): Effects {
  const staffId = input.actor.startsWith('staff:') ? input.actor.slice(6) : undefined;
  const plain = (patch: TicketPatch, met: TicketDeadline[] = [], data: Record<string, unknown> = {}): Effects => ({ patch, met, data, restart: false });
  switch (input.action) {
    case 'dispatch': {
      need(input.branchId, 'branchId', 'a branch is needed to dispatch');
      if (!org.branches.has(input.branchId)) throw new AppError('unknown_branch', `no branch ${input.branchId}`, { branch: input.branchId });
      const unit = org.unitFor(input.branchId, t.category);
      return plain({ branchId: input.branchId, unitId: unit?.id ?? null, dispatchedAt: now }, [], { branchId: input.branchId, unitId: unit?.id });
    }
    case 'accept':
      return plain({ acceptedAt: now, assigneeId: staffId ?? t.assigneeId }, ['ack']);
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
      return plain({ unitId }, [], { unitId, fromUnitId: t.unitId });
    }
    case 'arrive':
      return plain({ arrivedAt: now }, ['arrive'], { visitedBy: staffId });
    case 'resolve': {
      const result = input.note?.trim();
      need(result, 'note', 'the result is required');
      return plain({ resolvedAt: now }, ['ack', 'arrive', 'resolve'], { result, ...checkPaidResolve(org, t, input.form) });
    }
    case 'request_callback':
      return plain({});
    case 'close':
      return plain({ closedAt: now, satisfaction: input.satisfaction ?? t.satisfaction }, [], { satisfaction: input.satisfaction });
    case 'reopen':
      return {
        patch: {
          // a duplicate whose resident is still cold after its original's repair is a complaint of its own now (R29, R30)
          ...(t.duplicateOfId !== null ? { duplicateOfId: null } : {}),
          // a report linked to an incident and still cold after the repair is the household's own fault
          // now: an ordinary report again, with the visit a secondary fault is owed (its clock below)
          ...(t.incidentId !== null && t.scope === 'primary' ? { scope: 'secondary' as const } : {}),
          reopenCount: t.reopenCount + 1,
          resolvedAt: null,
          closedAt: null,
          acceptedAt: null,
          arrivedAt: null,
          satisfaction: input.satisfaction ?? t.satisfaction,
        },
        met: [],
        // the assignee stays on the ticket until someone accepts again; the event keeps who it was,
        // so that the card can call them by name with the reason
        data: { satisfaction: input.satisfaction, ...(t.assigneeId ? { previousAssigneeId: t.assigneeId } : {}) },
        restart: true,
      };
    case 'transfer': {
      // R31: a complaint about staff stays with the centre; handing it to a branch would show it to the accused's colleagues
      if (isConductComplaint(t) && t.branchId === null) {
        throw new AppError('invalid_transition', `ticket ${t.number} is a conduct complaint the centre investigates`, {
          from: t.status,
          action: 'transfer',
          reason: 'conduct_stays_with_centre',
        });
      }
      const reason = input.note?.trim();
      need(reason, 'note', 'a reason for the transfer is required');
      const branchId = input.branchId ?? t.branchId;
      need(branchId, 'branchId', 'a branch is needed to transfer');
      if (!org.branches.has(branchId)) throw new AppError('unknown_branch', `no branch ${branchId}`, { branch: branchId });
      const unitId = input.unitId ?? org.unitFor(branchId, t.category)?.id ?? null;
      if (unitId && org.units.get(unitId)?.branchId !== branchId)
        throw new AppError('unknown_unit', `no unit ${unitId} in branch ${branchId}`, { unit: unitId });
      if (branchId === t.branchId && unitId === t.unitId) {
        throw new AppError('transfer_to_same_place', `ticket ${t.number} is already with ${branchId}/${unitId}`, { branchId, unitId });
      }
      // R27, R29: moving a case between units of one branch does not buy that branch new time;
      // another branch answers under its own limits, counted from when it gets the case.
      const restart = branchId !== t.branchId;
      return {
        patch: { branchId, unitId, transferCount: t.transferCount + 1, dispatchedAt: now, acceptedAt: null, assigneeId: null },
        met: [],
        data: { fromBranchId: t.branchId, fromUnitId: t.unitId, branchId, unitId, reason, clock: restart ? 'restarted' : 'kept' },
        restart,
      };
    }
    case 'cancel':
      need(input.note?.trim(), 'note', 'a reason for cancelling is required');
      return { ...plain({ cancelledAt: now }), withdraw: true };
    case 'mark_duplicate': {
      need(input.duplicateOf, 'duplicateOf', 'the number of the original ticket is required');
      need(input.note?.trim(), 'note', 'a reason for marking a duplicate is required');
      if (!original) throw new AppError('ticket_not_found', `no ticket ${input.duplicateOf}`, { number: input.duplicateOf, field: 'duplicateOf' });
      return { ...plain({ duplicateOfId: original.id, cancelledAt: now }, [], { duplicateOf: original.number }), withdraw: true };
    }
    case 'follow_original':
      // planned by follow-original.ts with the original's result; never a step of its own
      throw new AppError('invalid_transition', 'a duplicate follows its original only when the original is resolved', { from: t.status, action: input.action });
  }
}

function serviceForm(input: StepInput, now: Date): NewServiceForm | null {
  const f = input.form;
  if (input.action !== 'resolve' || !f) return null;
  need(f.workDone?.trim(), 'form.workDone', 'the work done is required on a service form');
  need(f.feesCents === undefined || (Number.isInteger(f.feesCents) && f.feesCents >= 0), 'form.feesCents', 'must be a whole, non-negative number of cents');
  return {
    workDone: f.workDone.trim(),
    materials: f.materials?.trim() || null,
    feesCents: f.feesCents ?? 0,
    effect: f.effect?.trim() || null,
    afterSalesTerms: f.afterSalesTerms?.trim() || null,
    signed: f.signed ?? false,
    serviceDate: now,
    createdBy: input.actor,
  };
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
  follow_original: 'resolved',
};

/**
 * The steps to store for an action, decided in full: a resolve is followed by the callback
 * request, or by the close of a kind that has no callback, in the same plan.
 */
export function planStep(org: Org, loaded: TicketForStep, input: StepInput, now: Date, original: Ticket | null = null): PlannedStep[] {
  const { ticket: t, residentChatId } = loaded;
  const status = nextStatus(t.status, input.action);
  const fx = effects(org, t, input, now, original);
  const patch: TicketPatch = { ...fx.patch };
  let cancelAlertKinds = fx.withdraw ? deadlineAlertKinds() : deadlineAlertKinds(fx.met);
  let alerts: PlannedStep['alerts'] = [];
  const deadlines: DeadlineSteps = { meet: [...fx.met], supersede: [], open: [], generation: 'current', redue: [] };
  if (fx.withdraw) deadlines.supersede = [...DEADLINE_NAMES];
  // a close ends the wait for a callback whether or not it was answered (an answer meets it first)
  if (input.action === 'close') deadlines.supersede = ['callback'];
  if (fx.restart) {
    // a new generation: the running one ends and keeps its outcome; the ticket's due columns
    // are the new generation's, from the same times as its rows
    const g = generationOf(computeDeadlines(org.config, patch.branchId ?? t.branchId, { ...t, ...patch }, now), now);
    Object.assign(patch, g.columns, { overdueAt: null });
    Object.assign(deadlines, { supersede: [...DEADLINE_NAMES], open: g.rows, generation: 'next' });
    // a new generation of alerts: the keys of the ones already fired stay taken
    cancelAlertKinds = deadlineAlertKinds();
    alerts = alertRows(org.config, { id: t.id, branchId: patch.branchId ?? t.branchId, ...g.columns }, now, `${input.action}${t.version + 1}`);
  }
  const after: Ticket = { ...t, ...patch, status };
  const type = EVENT_TYPE[input.action];
  const who = eventActor(input.actor, input.via);
  const data = { ...fx.data, ...who.data };
  const step: PlannedStep = {
    status,
    patch,
    event: {
      type,
      actor: who.actor,
      fromStatus: t.status,
      toStatus: status,
      note: input.note?.trim() || null,
      data: Object.keys(data).length ? data : null,
    },
    cancelAlertKinds,
    cancelAlertKeys: [],
    alerts,
    form: serviceForm(input, now),
    openCallback: null,
    deadlines,
    owed: ({ eventId }) => ({ messages: planMessages(org, { ...after, residentChatId }, { id: eventId, type, from: t.status }), alerts: [] }),
  };
  return input.action === 'resolve' ? [step, planCallbackStep(org, after, residentChatId, now)] : [step];
}

/** The steps that change a closed month's figures, as the adjustment names them (R29, R30). */
const ADJUSTED: Partial<Record<Action, KpiAdjustmentAction>> = {
  cancel: 'cancelled',
  mark_duplicate: 'duplicate',
  transfer: 'transferred',
  reopen: 'reopened',
  close: 'closed',
};

/** A step on a ticket already read; `cause` is a callback answer stored with it. */
export async function stepOn(core: Core, loaded: TicketForStep, input: StepInput, cause?: StepCause): Promise<AppliedStep> {
  const now = core.clock.now();
  const t = loaded.ticket;
  if (input.expectedStatus && input.expectedStatus !== t.status) {
    throw new AppError('invalid_transition', `ticket ${t.number} is ${t.status} now, not ${input.expectedStatus}`, {
      from: t.status,
      action: input.action,
      stale: true,
    });
  }
  nextStatus(t.status, input.action); // refused before anything else is read
  // R2 whichever transport the step comes through: only the branch records its visit; only the
  // centre or the branch's coordinators withdraw a ticket from the figures (can-act.ts)
  const narrow = input.action === 'arrive' ? 'on_site' : input.action === 'cancel' || input.action === 'mark_duplicate' ? 'amend' : null;
  if (narrow && input.actor.startsWith('staff:')) assertCanAct(core.org, staffOfActor(core.org, input.actor), t, narrow);
  // R28, R29: a satisfaction comes from an answered callback only (answered-callback.ts)
  if (input.action === 'close' && input.satisfaction && !cause) await assertAnsweredCallback(core, t, input.satisfaction);
  const original = input.action === 'mark_duplicate' ? await originalFor(core, t, input) : null;
  if (input.action === 'cancel') await refuseWithWaitingDuplicates(core, t);
  // a ticket of a closed month: the change is recorded beside the frozen figures, with its reason
  // (closed-period.ts); asked before the step is planned, so that a missing reason reads as such
  const adjusted = ADJUSTED[input.action];
  const adjustment = adjusted
    ? await adjustmentFor(core, t, {
        action: cause ? 'callback' : adjusted,
        actor: input.actor,
        via: input.via,
        reason: cause ? null : input.note,
        automatic: cause ? 'callback' : undefined,
        before: { status: t.status, branchId: t.branchId },
        after: {
          status: nextStatus(t.status, input.action),
          branchId: input.action === 'transfer' ? (input.branchId ?? t.branchId) : t.branchId,
          ...(input.duplicateOf ? { duplicateOf: input.duplicateOf.trim() } : {}),
        },
      })
    : null;
  const steps = planStep(core.org, loaded, input, now, original);
  if (adjustment) steps[0].adjustment = adjustment;
  if (cause) {
    steps[0].cancelAlertKeys.push(...cause.cancelAlertKeys);
    // the answer meets the callback deadline, before the step ends or restarts the generation
    steps[0].deadlines?.meet.push('callback');
  }
  const applied = await core.stores.tickets.applyStep({ ticketId: t.id, version: t.version, steps, claim: cause?.claim, at: now });
  // R8h: the duplicates' residents hear the result and are called back too (follow-original.ts)
  if (input.action === 'resolve') await followOriginal(core, applied.ticket);
  if (original && ORIGINAL_RESOLVED.includes(original.status)) await followOriginal(core, original, { ...loaded, ticket: applied.ticket });
  return applied;
}

/**
 * The original a ticket is marked a duplicate of, checked: another ticket (duplicate_of_self),
 * not withdrawn itself (cancelled, or a duplicate: duplicate_chain, so that a resident is never
 * two steps from the repair that answers them), not the original of waiting duplicates itself,
 * and in the same branch unless the centre marks it (duplicate_other_branch, can-act.ts).
 */
async function originalFor(core: Core, t: Ticket, input: StepInput): Promise<Ticket | null> {
  const number = input.duplicateOf?.trim();
  if (!number) return null;
  const original = (await core.stores.tickets.forStep({ number }))?.ticket ?? null;
  if (!original) return null;
  const ctx = { number: original.number, field: 'duplicateOf' };
  if (original.id === t.id) throw new AppError('duplicate_of_self', `ticket ${t.number} cannot be a duplicate of itself`, ctx);
  if (original.status === 'duplicate' || original.duplicateOfId !== null)
    throw new AppError('duplicate_chain', `${original.number} is itself a duplicate`, { ...ctx, original: original.number });
  if (original.status === 'cancelled') throw new AppError('duplicate_of_withdrawn', `${original.number} was cancelled`, ctx);
  // an incident's restoration resolves its reports in bulk, not through here: a duplicate would
  // wait for it in vain; the report is linked to the incident itself instead (link-ticket.ts)
  if (original.incidentId !== null)
    throw new AppError('duplicate_of_linked', `${original.number} is linked to an incident`, { ...ctx, incidentId: original.incidentId });
  if ((await core.stores.tickets.duplicatesOf(t.id, ['duplicate'])).length)
    throw new AppError('duplicate_chain', `${t.number} has duplicates of its own waiting`, { ...ctx, original: t.number });
  const staff = staffOfActor(core.org, input.actor);
  const centre = staff ? staff.branchId === null : !input.actor.startsWith('resident:');
  if (!centre && original.branchId !== t.branchId)
    throw new AppError('duplicate_other_branch', `${original.number} is another branch's ticket`, { ...ctx, branch: original.branchId });
  return original;
}

/** A ticket that duplicates wait for cannot be cancelled: their residents would never hear the result. */
async function refuseWithWaitingDuplicates(core: Core, t: Ticket): Promise<void> {
  const waiting = await core.stores.tickets.duplicatesOf(t.id, ['duplicate']);
  if (waiting.length)
    throw new AppError('has_duplicates', `${t.number} is the original of ${waiting.length} duplicate(s)`, {
      count: waiting.length,
      duplicates: waiting.map((d) => d.ticket.number),
    });
}

export async function transitionTicket(core: Core, input: StepInput): Promise<StepResult> {
  const loaded = await loadForStep(core, input.number);
  const { ticket, eventIds } = await stepOn(core, loaded, input);
  return { ticket, eventId: eventIds[0] };
}
