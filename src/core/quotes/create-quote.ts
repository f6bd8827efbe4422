/**
 * R16: a quote for work on the secondary network or in-building pipes outside the indoor system,
 * priced item by item at engineering settlement and purchase prices (not the price list). Staff
 * of the ticket's branch or the centre make it on an open ticket; it stands for
 * org.quotes.validForMinutes (7 days by default) and goes to the resident in the bot when they
 * reported there. A newer quote of the same ticket replaces one still waiting.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Quote } from '../model.js';
import { assertCanAct, staffOfActor } from '../staff/can-act.js';
import { priceItems, quoteNote, type QuoteItemInput } from './quote-items.js';
import { quoteExpiryAlert } from './expire-quote.js';
import { quoteCardRows, quoteOfferRow } from './quote-messages.js';

export interface NewQuoteInput {
  ticketNumber: string;
  /** staff:<id> */
  actor: string;
  items: QuoteItemInput[];
  note?: string | null;
}

/** Statuses in which a ticket can no longer be quoted: it is over. */
const OVER = new Set(['closed', 'cancelled', 'duplicate']);

export async function createQuote(core: Core, input: NewQuoteInput): Promise<Quote> {
  const ticket = await core.stores.views.ticketByNumber(input.ticketNumber);
  if (!ticket) throw new AppError('ticket_not_found', `no ticket ${input.ticketNumber}`, { number: input.ticketNumber });
  assertCanAct(core.org, staffOfActor(core.org, input.actor), ticket, 'quote');
  if (OVER.has(ticket.status) || !ticket.branchId) {
    throw new AppError('invalid_transition', `ticket ${ticket.number} is ${ticket.status}: it cannot be quoted`, { from: ticket.status, action: 'quote' });
  }
  const { items, totalCents } = priceItems(input.items);
  const note = quoteNote(input.note);
  const now = core.clock.now();
  const validUntil = new Date(now.getTime() + core.org.config.quotes.validForMinutes * 60_000);
  const resident = ticket.residentId ? await core.stores.residents.byId(ticket.residentId) : null;
  const reachable = resident && !resident.unreachableAt ? resident : null;
  return core.stores.quotes.create({
    ticketNumber: ticket.number,
    quote: {
      ticketId: ticket.id,
      branchId: ticket.branchId,
      items: JSON.stringify(items),
      totalCents,
      note,
      validUntil,
      createdBy: input.actor,
      createdAt: now,
    },
    // the thread line is worded from the event alone: everything it shows is in its data
    event: (quote) => ({
      at: now,
      type: 'quoted',
      actor: input.actor,
      fromStatus: null,
      toStatus: null,
      note,
      data: JSON.stringify({ quote: quote.number, totalCents, items, validUntil: validUntil.toISOString() }),
    }),
    owes: (quote, eventId) => [...quoteCardRows(core.org, ticket, eventId, now), ...(reachable ? [quoteOfferRow(quote, reachable, now)] : [])],
    // it expires at the end of its validity without anyone acting (expire-quote.ts)
    alerts: (quote) => [quoteExpiryAlert(quote)],
  });
}
