/**
 * What the Open311 reads need (core/open311: list and get requests, the updates feed): a page of
 * tickets with their city request, customer's account and latest step, and the steps of a time
 * window, each read in a fixed number of statements whatever the page's size. Reads only.
 */
import type { Category, TicketKind } from '../domain.js';
import type { CityRequest, Ticket, TicketEvent } from '../model.js';
import type { Status } from '../tickets/status-machine.js';

/** The ticket columns a request's view reads. */
export type RequestTicket = Pick<
  Ticket,
  | 'id'
  | 'number'
  | 'kind'
  | 'category'
  | 'status'
  | 'description'
  | 'communityId'
  | 'address'
  | 'building'
  | 'unit'
  | 'room'
  | 'branchId'
  | 'conductStaffId'
  | 'incidentId'
  | 'arrivedAt'
  | 'arriveDueAt'
  | 'resolveDueAt'
  | 'createdAt'
  | 'updatedAt'
>;

/** One request of a page. */
export interface RequestRow {
  ticket: RequestTicket;
  /** what a city platform sent with it; null: filed through another channel */
  cityRequest: CityRequest | null;
  /** the customer's heating account, when the ticket has a customer */
  account: string | null;
  /** the latest step a city platform follows (isStatusStep in core/open311/open311-status.ts); null: none stored */
  latestStep: TicketEvent | null;
}

/** A kind, and a category of it (any category when not given). */
export interface KindCategory {
  kind: TicketKind;
  category?: Category;
}

/** Which requests a page holds; every field given narrows it. */
export interface RequestFilter {
  /** these ticket numbers (unknown ones are left out) */
  numbers?: readonly string[];
  /** tickets of any of these kinds and categories */
  services?: readonly KindCategory[];
  /** created at or after */
  from?: Date;
  /** created at or before */
  to?: Date;
  statuses?: readonly Status[];
  /** leave out complaints about staff conduct (category staff_conduct, or a staff member named) */
  hideConduct: boolean;
  limit: number;
}

/** One step of the updates feed, with the ticket it changed as it is now. */
export interface StepRow {
  event: TicketEvent;
  ticket: Pick<Ticket, 'number' | 'kind' | 'category' | 'branchId'>;
}

/** Which steps the feed holds. */
export interface StepFilter {
  /** at or after */
  from: Date;
  /** at or before */
  to: Date;
  /** only events with a greater id (the client's cursor) */
  after?: number;
  hideConduct: boolean;
  limit: number;
}

export interface CityRequestReads {
  /** Newest first (created, then id), at most `limit`. */
  requests(f: RequestFilter): Promise<RequestRow[]>;
  /**
   * The steps a city platform follows (isStatusStep) in a time window, at most `limit`, oldest
   * first: by time then id, or with a cursor by id (the order they were stored, which a cursor pages through).
   */
  steps(f: StepFilter): Promise<StepRow[]>;
}
