/** A ticket's quotes (R16), oldest first, each with its items and its state now (a sent quote past its validity reads expired). */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Quote, QuoteItem, Ticket } from '../model.js';
import { quoteItems, quoteState } from './quote-items.js';

export interface QuoteView extends Omit<Quote, 'items'> {
  items: QuoteItem[];
  ticketNumber: string;
  paidNumber: string | null;
}

export async function quoteView(core: Core, quote: Quote, ticket: Pick<Ticket, 'number'>): Promise<QuoteView> {
  const paid = quote.paidTicketId ? await core.stores.views.ticketById(quote.paidTicketId) : null;
  return { ...quote, status: quoteState(quote, core.clock.now()), items: quoteItems(quote), ticketNumber: ticket.number, paidNumber: paid?.number ?? null };
}

export async function listQuotes(core: Core, ticketNumber: string): Promise<QuoteView[]> {
  const ticket = await core.stores.views.ticketByNumber(ticketNumber);
  if (!ticket) throw new AppError('ticket_not_found', `no ticket ${ticketNumber}`, { number: ticketNumber });
  const quotes = await core.stores.quotes.ofTicket(ticket.id);
  return Promise.all(quotes.map((q) => quoteView(core, q, ticket)));
}
