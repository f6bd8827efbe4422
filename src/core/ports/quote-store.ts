/**
 * Quotes (R16): work on the secondary network and in-building pipes is priced item by item at
 * engineering settlement and purchase prices, sent to the resident, and answered once. Each call
 * is one transaction: the quote's row, the line on its ticket's timeline and the messages it owes.
 */
import type { Quote } from '../model.js';
import type { OutboxRow } from '../outbox/enqueue.js';
import type { NewAlert } from './alert-store.js';
import type { EventDraft } from './intake-store.js';

/** The columns a quote's creation decides; its number is drawn by the store. */
export type QuoteDraft = Omit<Quote, 'id' | 'number' | 'status' | 'answeredAt' | 'answeredBy' | 'paidTicketId'>;

export interface NewQuote {
  quote: QuoteDraft;
  /** the ticket's number: the quote's is Q-<ticket number>-<n>, n counting the ticket's quotes */
  ticketNumber: string;
  /** the line on the ticket's timeline (type quoted), once the quote has its number */
  event(quote: Quote): EventDraft;
  /** what the quote owes once it and its event have ids (the card's thread line, the resident's message) */
  owes(quote: Quote, eventId: number): OutboxRow[];
  /** the alerts the quote schedules (its expiry at validUntil, R16); one whose key is stored is left as it is */
  alerts?(quote: Quote): NewAlert[];
}

export interface QuoteAnswer {
  id: number;
  status: 'accepted' | 'refused' | 'expired';
  at: Date;
  /** resident:<id> in the bot, staff:<id> recording a phone answer; null for an expiry */
  by: string | null;
  event: EventDraft;
  owes(quote: Quote, eventId: number): OutboxRow[];
}

export interface QuoteStore {
  /**
   * Stores a new quote. A quote of the same ticket still waiting for its answer is withdrawn in
   * the same transaction: the resident answers the latest price only.
   */
  create(q: NewQuote): Promise<Quote>;
  /**
   * Stores an answer, only while the quote is sent: otherwise nothing is stored and it fails with
   * quote_already_answered (its context names the status), so two answers cannot both count.
   */
  answer(a: QuoteAnswer): Promise<Quote>;
  /** The paid-service ticket an accepted quote was scheduled as, with its timeline line and messages. */
  linkPaid(l: { id: number; paidTicketId: number; event: EventDraft; owes(eventId: number): OutboxRow[] }): Promise<Quote>;
  /**
   * The paid-service ticket filed for an accepted quote whose link was never stored (the process
   * stopped in between): the one whose description starts with the quote's number. null if none.
   */
  paidTicketFiledFor(quoteNumber: string): Promise<number | null>;
  byId(id: number): Promise<Quote | null>;
  byNumber(number: string): Promise<Quote | null>;
  /** a ticket's quotes, oldest first */
  ofTicket(ticketId: number): Promise<Quote[]>;
}
