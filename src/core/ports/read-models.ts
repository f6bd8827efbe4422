/**
 * What the bots and pages show: tickets with what their cards and status pages need, read in
 * as few statements as the view allows. Reads only; nothing here changes a row.
 */
import type { Callback, ServiceForm, Ticket, TicketEvent, TicketPhoto } from '../model.js';

/** A ticket with everything its Slack card, dashboard page and resident status show. */
export interface TicketView {
  ticket: Ticket;
  /** oldest first (by time, then id) */
  events: TicketEvent[];
  photos: TicketPhoto[];
  form: ServiceForm | null;
  /** oldest first */
  callbacks: Callback[];
}

export interface ReadModels {
  ticketById(id: number): Promise<Ticket | null>;
  ticketByNumber(number: string): Promise<Ticket | null>;
  /** in no particular order; ids that do not exist are left out */
  ticketsByIds(ids: readonly number[]): Promise<Ticket[]>;
  ticketView(by: { id: number } | { number: string }): Promise<TicketView | null>;
  eventById(id: number): Promise<TicketEvent | null>;
  callbackById(id: number): Promise<Callback | null>;
}
