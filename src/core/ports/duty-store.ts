import type { Severity } from '../domain.js';
import type { Status } from '../tickets/status-machine.js';
import type { DutyLogEntry, Handover, Ticket } from '../model.js';

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
  /** Stores a handover signed by the outgoing person. */
  startHandover(h: Pick<Handover, 'branchId' | 'outgoingStaffId' | 'outgoingSignedAt' | 'summary' | 'openUrgent'>): Promise<Handover>;
  /** Countersigns a handover nobody has signed for yet: the handover as signed, or null when someone already had. */
  acceptHandover(id: number, incoming: { staffId: string; at: Date }): Promise<Handover | null>;
}
