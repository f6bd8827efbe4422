/**
 * Conduct findings (R31-R33): one per complaint, recorded with the step that answers the
 * complaint, and read back for the leaders' monthly list, the dashboard and the API.
 */
import type { ConductFinding } from '../model.js';
import type { AppliedStep, StepPlan } from './ticket-store.js';

/** A finding to store; the id is the database's. */
export type NewConductFinding = Omit<ConductFinding, 'id'>;

/** What to read: a month (YYYY-MM, company time), a staff member, a branch (their branch at the time). */
export interface ConductFilter {
  month?: string;
  staffId?: string;
  branchId?: string;
}

/** A finding with its ticket's number, as lists show it. */
export type ConductFindingRow = ConductFinding & { ticketNumber: string };

/** A conduct complaint still being investigated (no finding yet). */
export interface OpenConductComplaint {
  ticketId: number;
  number: string;
  status: string;
  conductStaffId: string | null;
  createdAt: Date;
}

export interface ConductStore {
  /**
   * The finding and the ticket's steps (the reply, R8g, and the callback after it) in one
   * transaction, the ticket's conductStaffId/conductConfirmed among the steps' fields: a second
   * finding for the ticket is refused with finding_exists and nothing is stored.
   */
  record(finding: NewConductFinding, plan: StepPlan): Promise<{ finding: ConductFinding; applied: AppliedStep }>;
  /** The finding of a ticket, if recorded. */
  ofTicket(ticketId: number): Promise<ConductFinding | null>;
  /** Findings, oldest first. */
  list(filter: ConductFilter): Promise<ConductFindingRow[]>;
  /** Conduct complaints held by the centre and still open (no finding yet), oldest first. */
  open(): Promise<OpenConductComplaint[]>;
}
