/** What a quote owes: its line in the ticket card's thread (the card refreshed with it) and the resident's message. */
import type { Org } from '../org/org.js';
import type { Quote, Ticket } from '../model.js';
import { outboxRow, type OutboxRow } from '../outbox/enqueue.js';

/** The ticket's card in its branch's dispatch channel, refreshed with the event's thread line. */
export function quoteCardRows(org: Org, ticket: Pick<Ticket, 'id' | 'branchId'>, eventId: number, now: Date): OutboxRow[] {
  const channel = ticket.branchId ? org.branches.get(ticket.branchId)?.channels.dispatch : undefined;
  if (!channel) return [];
  return [
    outboxRow({ key: `card:${ticket.id}:${eventId}`, platform: 'slack', target: channel, kind: 'ticket_card', payload: { ticketId: ticket.id, eventId } }, now),
  ];
}

/** The quote to the resident in the bot, worded at delivery from the quote as it stands then. */
export function quoteOfferRow(quote: Pick<Quote, 'id'>, resident: { chatId: string; locale: string }, now: Date): OutboxRow {
  return outboxRow(
    { key: `quote:${quote.id}`, platform: 'telegram', target: resident.chatId, kind: 'quote_offer', payload: { quoteId: quote.id, locale: resident.locale } },
    now,
  );
}

/** R16: the quote's validity ended unanswered: the resident's quote message loses its buttons and they are told how to ask again. */
export function quoteExpiredRow(quote: Pick<Quote, 'id'>, resident: { chatId: string; locale: string }, now: Date): OutboxRow {
  return outboxRow(
    {
      key: `quote:${quote.id}:expired`,
      platform: 'telegram',
      target: resident.chatId,
      kind: 'quote_expired',
      payload: { quoteId: quote.id, offerKey: `quote:${quote.id}`, locale: resident.locale },
    },
    now,
  );
}
