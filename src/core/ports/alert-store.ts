/**
 * Time-bound alerts (deadline warnings, overdue, escalation, callback time-outs, scheduled
 * reports). A sweep claims what is due, the core decides what firing means (pure), and one
 * `fire` stores it: the alerts marked fired together with everything firing them causes, or
 * nothing at all.
 */
import type { Deadline, ScheduledAlert, Ticket, TicketEvent } from '../model.js';
import type { OutboxRow } from '../outbox/enqueue.js';

/** What a deadline alert reads of its ticket, and the chat of the resident who reported it (none when Telegram refuses them). */
export type AlertTicket = Pick<Ticket, 'id' | 'status' | 'acceptedAt' | 'arrivedAt' | 'resolvedAt' | 'branchId' | 'unitId' | 'assigneeId' | 'severity'> &
  /** what it is about: a conduct complaint is urged in the centre's supervision channel (R31) */
  Partial<Pick<Ticket, 'kind' | 'category'>> & {
    residentChatId?: string | null;
  };

/** A due alert as a sweep holds it (leased to the sweep's owner), with its ticket when it has one that still exists. */
export interface DueAlert {
  alert: ScheduledAlert;
  ticket: AlertTicket | null;
  /** the running deadline the alert is about (its kind names it), if the ticket has one */
  deadline: AlertDeadline | null;
}

/** What the sweep reads of a deadline: whether it still runs (deadline-rows.ts), and which row to mark missed. */
export type AlertDeadline = Pick<Deadline, 'id' | 'metAt' | 'supersededAt'>;

/** An alert to store; one whose key is already stored is left as it is. */
export type NewAlert = Pick<ScheduledAlert, 'key' | 'ticketId' | 'kind' | 'dueAt' | 'data'>;

/** A line of a ticket's history written by firing. */
export type NewTicketEvent = Pick<TicketEvent, 'ticketId' | 'at' | 'type' | 'actor' | 'note' | 'data'>;

/** Everything firing a set of alerts stores, decided before anything is written. */
export interface FirePlan {
  /** marked fired only if every one is still unfired and held by the sweep's owner; otherwise nothing of the plan is stored */
  alertIds: number[];
  /** tickets marked overdue (those already marked keep their first time) */
  overdue: number[];
  /** deadlines (ids) marked missed (those already marked keep their first time) */
  missed: number[];
  events: NewTicketEvent[];
  /** the next levels of escalation */
  alerts: NewAlert[];
  /** the next occurrence of a report, stored unless one of its kind is already waiting */
  reports: NewAlert[];
  /** messages owed (outboxRow); one whose key is already stored is left as it is */
  messages: OutboxRow[];
  /**
   * The effects hold only while this callback is still pending (R8h): answered meanwhile, the
   * alerts are marked fired and nothing else is stored. `toPhone` turns it into a phone call.
   */
  callback?: { id: number; toPhone: boolean };
}

/** A report's counts per branch (null: tickets with no branch yet) over a period. */
export interface BranchCounts {
  branchId: string | null;
  newTickets: number;
  finished: number;
  overdueOpen: number;
}

/** Suggestions of the period by holder and community: HQ holds most, and they count for the community's branch. */
export interface SuggestionCount {
  branchId: string | null;
  communityId: string | null;
  n: number;
}

/** An answered callback of the period, with its ticket's branch. */
export interface AnsweredCallback {
  branchId: string | null;
  result: string | null;
}

/** A service form not back at HQ (R8l). */
export interface FormNotBack {
  ticketNumber: string;
  branchId: string | null;
  serviceDate: Date;
}

export interface AlertStore {
  /**
   * Up to `limit` due alerts (oldest first) with their tickets, leased to `owner` until
   * `leaseUntil`: alerts another sweep holds, or is claiming at this moment, are left out.
   */
  claimDue(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<DueAlert[]>;
  /** Stores a plan in one transaction; false (nothing stored) when an alert of it was fired or taken by someone else. */
  fire(owner: string, now: Date, plan: FirePlan): Promise<boolean>;
  /** When the next unfired alert falls due, or null. */
  nextDue(): Promise<Date | null>;
  /** The unfired alert with this key falls due at `at` if it was due later; true when it was moved. */
  bringForward(key: string, at: Date): Promise<boolean>;
  /** Stores a report's occurrence unless one of its kind is already waiting (several instances start at once). */
  scheduleReport(next: NewAlert): Promise<void>;
  /** A daily report's numbers: tickets per branch in [from, to), and the callbacks answered then. */
  dailyCounts(from: Date, to: Date): Promise<{ branches: BranchCounts[]; callbacks: AnsweredCallback[]; suggestions: SuggestionCount[] }>;
  /** Service forms of services before `before` not yet back at HQ, oldest first, at most `limit`. */
  formsNotBack(before: Date, limit: number): Promise<FormNotBack[]>;
}
