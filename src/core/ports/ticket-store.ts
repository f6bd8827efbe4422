/**
 * Tickets after filing. A use case reads the ticket, decides a whole step in pure code (its
 * status from the status machine, the fields it changes, its event, the deadline alerts it
 * cancels and adds, the messages it owes, a service form, a callback to open or to claim) and
 * hands the plan to `applyStep`, which stores all of it in one transaction or nothing.
 */
import type { NewDeadline } from '../deadlines/deadline-rows.js';
import type { Callback, CallbackStatus, DeadlineName, KpiAdjustment, ScheduledAlert, ServiceForm, Ticket, TicketEvent } from '../model.js';
import type { OutboxItem } from '../outbox/enqueue.js';
import type { Status } from '../tickets/status-machine.js';

/** A ticket as a step reads it: with where its resident is told of each step. */
export interface TicketForStep {
  ticket: Ticket;
  /**
   * the Telegram chat of the resident who reported it, if any, and if they can be reached there:
   * null for a resident marked unreachable (they blocked the bot), so that a step owes them no
   * message and the callback goes to the centre by phone
   */
  residentChatId: string | null;
}

/** The fields a step may change; the status, version and updatedAt are the store's to write. */
export type TicketPatch = Partial<Omit<Ticket, 'id' | 'number' | 'status' | 'version' | 'createdAt' | 'updatedAt'>>;

/** An alert to store; one whose key is already stored is left as it is. */
export type NewAlert = Pick<ScheduledAlert, 'key' | 'ticketId' | 'kind' | 'dueAt' | 'data'>;

/** The service form written with a resolve (R8f); a second resolve rewrites it. */
export type NewServiceForm = Pick<ServiceForm, 'workDone' | 'materials' | 'feesCents' | 'effect' | 'afterSalesTerms' | 'signed' | 'serviceDate' | 'createdBy'>;

/** A callback to open with a step (R8h). */
export type NewCallback = Pick<Callback, 'channel' | 'customerKey'>;

/** The ids the database gives a step's rows, which some of its messages and alerts name. */
export interface StepIds {
  eventId: number;
  /** the callback the step opened, if it opened one */
  callbackId: number | null;
}

/** What a step owes once its ids are known: messages (outbox) and alerts. Pure. */
export interface Owed {
  messages: OutboxItem[];
  alerts: NewAlert[];
}

/**
 * What a step does to the ticket's deadline rows, applied in this order at the step's time. The
 * due columns in the step's `patch` come from the same plan (deadlines/deadline-rows.ts).
 */
export interface DeadlineSteps {
  /** the running deadlines of these names are met */
  meet: DeadlineName[];
  /** the running deadlines of these names end, met or not (a withdrawn ticket, a restarted clock, a limit gone) */
  supersede: DeadlineName[];
  /** rows to open: in the next generation (a restarted clock) or in the running one (the callback at a resolve) */
  open: NewDeadline[];
  generation: 'next' | 'current';
  /** the running deadlines of these names get these due times; a name with no running row is opened in the running generation */
  redue: NewDeadline[];
}

/** A change to a closed period's figures, as a step decides it (KpiAdjustment without its ids and time). */
export type PlannedAdjustment = Pick<KpiAdjustment, 'periodKey' | 'branchId' | 'action' | 'actor' | 'reason' | 'data'>;

/** One change of a ticket, decided. */
export interface PlannedStep {
  /** the status after the step (from nextStatus); the same status for a step that changes none */
  status: Status;
  patch: TicketPatch;
  /** the step's event; when the step opens a callback, the store adds its id to `data` as `callbackId` */
  event: Pick<TicketEvent, 'type' | 'actor' | 'fromStatus' | 'toStatus' | 'note'> & { data: Record<string, unknown> | null };
  /** pending (not yet fired) alerts of the ticket to remove: by kind, and by key */
  cancelAlertKinds: string[];
  cancelAlertKeys: string[];
  /** alerts known before the step is stored (a restarted clock) */
  alerts: NewAlert[];
  form: NewServiceForm | null;
  openCallback: NewCallback | null;
  /** what the step does to the deadline rows; none when absent */
  deadlines?: DeadlineSteps;
  /**
   * the step changes a ticket of a closed month (KPI snapshot): recorded beside the frozen
   * figures in the step's transaction (core/kpi/closed-period.ts); the ticket and time are the plan's
   */
  adjustment?: PlannedAdjustment | null;
  owed(ids: StepIds): Owed;
}

/**
 * The answer to a pending callback, claimed in the step's transaction: only one answer wins.
 * Its attempts are counted up by one.
 */
export interface CallbackClaim {
  id: number;
  /** the attempts the caller read, when another attempt meanwhile must make this one lose */
  attempts?: number;
  change: { status?: CallbackStatus } & Partial<Pick<Callback, 'result' | 'comment' | 'agentId' | 'channel' | 'answeredAt' | 'lastAttemptAt'>>;
}

export interface StepPlan {
  ticketId: number;
  /** the version the steps were decided on: if it moved, nothing is stored (concurrent_update) */
  version: number;
  /** applied in order, each counting the version up; follow-on steps (the callback after a resolve) stand or fall with the first */
  steps: PlannedStep[];
  /** a callback answer the steps follow from; if it was answered meanwhile, nothing is stored (already_answered) */
  claim?: CallbackClaim;
  /** when: the events' time, and when the messages are due */
  at: Date;
}

export interface AppliedStep {
  /** the ticket as stored after the last step */
  ticket: Ticket;
  /** the event of each step, in order */
  eventIds: number[];
  /** the claimed callback as stored, when the plan claimed one */
  callback: Callback | null;
}

export interface TicketStore {
  forStep(by: { number: string } | { id: number }): Promise<TicketForStep | null>;
  /** a callback with the ticket it is about */
  callbackForStep(id: number): Promise<{ callback: Callback; ticket: TicketForStep } | null>;
  /** the ticket's events of one type, oldest first */
  events(ticketId: number, type: string): Promise<TicketEvent[]>;
  /**
   * The tickets marked as duplicates of this one (or of any of these) that are now in one of
   * `statuses`, oldest first. The statuses are part of the question so that the status index answers it.
   */
  duplicatesOf(original: number | readonly number[], statuses: readonly Status[]): Promise<TicketForStep[]>;
  /** stores the plan in one transaction; concurrent_update or already_answered and nothing stored when it lost a race */
  applyStep(plan: StepPlan): Promise<AppliedStep>;
  /** an attempt to reach the resident that changes no ticket (already_answered when it lost a race) */
  claimCallback(claim: CallbackClaim): Promise<Callback>;
  /** R8f: the resident's confirmation (and opinion) of the service form */
  confirmForm(formId: number, change: Pick<ServiceForm, 'confirmedAt' | 'customerOpinion'>): Promise<ServiceForm>;
}
