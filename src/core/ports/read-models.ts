/**
 * What the bots and pages show: tickets with what their cards and status pages need, read in
 * as few statements as the view allows. Reads only; nothing here changes a row.
 */
import type { Category, TicketKind } from '../domain.js';
import type { Callback, CityRequest, Deadline, ServiceForm, Ticket, TicketEvent, TicketPhoto } from '../model.js';
import type { Status } from '../tickets/status-machine.js';

/** A ticket with everything its Slack card, dashboard page and resident status show. */
export interface TicketView {
  ticket: Ticket;
  /** oldest first (by time, then id) */
  events: TicketEvent[];
  photos: TicketPhoto[];
  form: ServiceForm | null;
  /** in the order they were opened */
  callbacks: Callback[];
  /** every generation's deadlines, oldest generation first: the running ones are those not superseded */
  deadlines: Deadline[];
  /** what a city platform sent beyond the ticket's fields (its answers, media URL, e-mail, point, address text); null for a ticket from another channel */
  cityRequest: CityRequest | null;
}

/** Which tickets a list shows; every field given narrows it. */
export interface TicketListFilter {
  status?: readonly Status[];
  branchId?: string;
  kind?: TicketKind;
  category?: Category;
  residentId?: number;
  /**
   * Only tickets open at this instant with a deadline passed and its step not done: not
   * acknowledged (received or dispatched), nobody on site yet (received, dispatched, accepted,
   * not resolved), not resolved (before resolved).
   */
  overdueAt?: Date;
  /** created at or after */
  from?: Date;
  /** created before */
  to?: Date;
}

export interface ReadModels {
  ticketById(id: number): Promise<Ticket | null>;
  ticketByNumber(number: string): Promise<Ticket | null>;
  /** in no particular order; ids that do not exist are left out */
  ticketsByIds(ids: readonly number[]): Promise<Ticket[]>;
  ticketView(by: { id: number } | { number: string }): Promise<TicketView | null>;
  eventById(id: number): Promise<TicketEvent | null>;
  callbackById(id: number): Promise<Callback | null>;
  /** A page of tickets, newest first, and how many match in all. */
  ticketList(f: TicketListFilter, page: { offset: number; limit: number }): Promise<{ total: number; items: Ticket[] }>;
  /**
   * What the incident proposal looks at (core/incidents/propose-incidents.ts): the no-heat and
   * leak reports created since `since` and linked to no incident, counted per community; the
   * communities an open incident covers; and the proposals owed since `proposedSince`.
   */
  recentFaultReports(since: Date, proposedSince: Date): Promise<FaultReportDigest>;
}

/** Recent fault reports per community, and what already answers them. */
export interface FaultReportDigest {
  /** communities with at least one such report: how many, and when the first of them came */
  communities: { communityId: string; count: number; first: Date }[];
  /** communities covered by an open incident */
  covered: string[];
  /** incident proposals owed (one per area and channel), with the area they named */
  proposals: { areaKey: string; at: Date }[];
}
