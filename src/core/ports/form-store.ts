import type { TicketKind } from '../domain.js';
import type { ServiceForm } from '../model.js';

/** A service form with the ticket it belongs to (R8f, R8l). */
export interface FormOfTicket {
  form: ServiceForm;
  ticketNumber: string;
  branchId: string | null;
  kind: TicketKind;
}

/**
 * overdue: the HQ copy is not back and the service date is before `dueBefore` (R8l: half a
 * month); returned: back at HQ; all: every form.
 */
export type FormStatusFilter = 'overdue' | 'returned' | 'all';

export interface FormFilter {
  status: FormStatusFilter;
  /** one branch's forms; absent: every branch's */
  branchId?: string;
  dueBefore: Date;
}

/** Who marked a form's HQ copy back, and when. */
export interface ReturnMark {
  at: Date;
  /** staff:<id> | api:<client> */
  by: string;
}

/** A branch's overdue forms: their true count, and the oldest few by number. */
export interface OverdueOfBranch {
  branchId: string | null;
  count: number;
  oldest: { ticketNumber: string; serviceDate: Date }[];
}

/** Service forms and their HQ copies (R8f, R8l). */
export interface FormStore {
  /** The form of a ticket by the ticket's number; null when the ticket has none (or no such ticket). */
  byTicketNumber(number: string): Promise<FormOfTicket | null>;
  /** Marks one form back at HQ unless it already is: the form as stored, or null when someone had marked it. */
  markReturned(formId: number, mark: ReturnMark): Promise<ServiceForm | null>;
  /** Marks every form of a branch with a service date in [from, until) that is not back yet; how many it marked. */
  markReturnedInRange(range: { branchId: string; from: Date; until: Date }, mark: ReturnMark): Promise<number>;
  /**
   * A page of forms: overdue oldest service first, returned latest return first, all newest
   * service first; with the count of every form that matches.
   */
  list(filter: FormFilter, page: { skip: number; take: number }): Promise<{ total: number; items: FormOfTicket[] }>;
  /** Overdue forms per branch (only branches that have some): the true count and up to `perBranch` oldest. */
  overdueByBranch(dueBefore: Date, perBranch: number): Promise<OverdueOfBranch[]>;
}
