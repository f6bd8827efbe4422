import type { Severity } from '../domain.js';
import type { Status } from '../tickets/status-machine.js';
import type { DutyAssignment, DutyLogEntry, Handover, Ticket } from '../model.js';

/** A place's duty: a branch id, or null for the centre. */
export type Place = string | null;

/** Duty log and shift handovers (R4). */
export interface DutyStore {
  addEntry(entry: Omit<DutyLogEntry, 'id'>): Promise<DutyLogEntry>;
  /** The place's log after `after` (from the start when null) up to `until`, oldest first. */
  entries(place: Place, range: { after: Date | null; until?: Date }, limit: number): Promise<DutyLogEntry[]>;
  /** Tickets in these statuses and severities, of one branch or (null) of every branch, oldest first. */
  tickets(filter: { branchId: Place; severities: readonly Severity[]; statuses: readonly Status[] }, limit: number): Promise<Ticket[]>;
  /** Tickets by number, oldest first; numbers that do not exist are left out. */
  ticketsByNumber(numbers: readonly string[]): Promise<Ticket[]>;
  handoverById(id: number): Promise<Handover | null>;
  /** The place's latest handover, signed before `before` when given. */
  lastHandover(place: Place, before?: Date): Promise<Handover | null>;
  /**
   * Stores a handover signed by the outgoing person and, in the same transaction, `hold`: the
   * outgoing person keeps the duty until someone signs (R4), as an assignment of this handover.
   */
  startHandover(
    h: Pick<Handover, 'branchId' | 'outgoingStaffId' | 'outgoingSignedAt' | 'summary' | 'openUrgent'>,
    hold?: Omit<DutyAssignment, 'id' | 'handoverId'> | null,
  ): Promise<Handover>;
  /**
   * Countersigns a handover nobody has signed for yet and, in the same transaction, stores `moves`
   * (the duty moved to the incoming person): the handover as signed, or null when someone already had.
   */
  acceptHandover(id: number, incoming: { staffId: string; at: Date }, moves?: Omit<DutyAssignment, 'id'> | null): Promise<Handover | null>;
  /**
   * R4 (无异议后签字): records the incoming person's objection on a handover nobody has signed or
   * objected to, with a duty-log entry of theirs saying what, in one transaction: null when
   * someone already had.
   */
  objectToHandover(id: number, objection: { staffId: string; text: string; at: Date }): Promise<Handover | null>;
  /** The latest assignment of each place with `from` at or before `at` (one indexed look-up per place; it may have ended). */
  assignmentsAt(places: readonly { branchId: string | null; unitId: string | null }[], at: Date): Promise<DutyAssignment[]>;
  /** A place's handovers written in [from, until), newest first. */
  handovers(place: Place, range: DutyRange, page: Page): Promise<Handover[]>;
  /** A place's log written in [from, until), newest first. */
  recentEntries(place: Place, range: DutyRange, page: Page): Promise<DutyLogEntry[]>;
}

export interface DutyRange {
  from?: Date;
  until?: Date;
}

export interface Page {
  limit: number;
  offset: number;
}
