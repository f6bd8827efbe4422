/**
 * The answer to a quote (R16): the resident accepts or refuses it in the bot, or staff record
 * what the resident said on the phone. Each quote is answered once (quote_already_answered);
 * after its validity it can no longer be accepted: it is marked expired and the answer is refused
 * with quote_expired (the resident is told to ask again). An accepted quote is scheduled as paid
 * work (R9): a paid-service ticket of the same branch, for the same place and resident, whose
 * description names the quote and the ticket it came from; the original's card says so.
 */
import type { Core } from '../context.js';
import { AppError, isAppError } from '../errors.js';
import type { Quote, Ticket } from '../model.js';
import { assertCanAct, staffOfActor } from '../staff/can-act.js';
import { createTicket } from '../tickets/create-ticket.js';
import { quoteItems } from './quote-items.js';
import { quoteCardRows } from './quote-messages.js';

export interface QuoteAnswerInput {
  /** the quote's number (Q-T20261207-0001-1) or id */
  quote: string | number;
  accept: boolean;
  /** resident:<id> answering in the bot, or staff:<id> recording a phone answer */
  actor: string;
}

export interface QuoteAnswerOutcome {
  quote: Quote;
  /** the ticket the quote was made on */
  ticket: Ticket;
  /** the paid-service ticket an accepted quote was scheduled as */
  paid: Ticket | null;
}

/** The once-key of the paid ticket an accepted quote files: it is filed once, whatever happens. */
export const paidWorkKey = (quoteId: number) => `quote:${quoteId}:paid`;

export async function loadQuote(core: Core, ref: string | number): Promise<Quote> {
  const quote = typeof ref === 'number' ? await core.stores.quotes.byId(ref) : await core.stores.quotes.byNumber(ref);
  if (!quote) throw new AppError('quote_not_found', `no quote ${ref}`, { quote: ref });
  return quote;
}

export async function answerQuote(core: Core, a: QuoteAnswerInput): Promise<QuoteAnswerOutcome> {
  const quote = await loadQuote(core, a.quote);
  const ticket = await core.stores.views.ticketById(quote.ticketId);
  if (!ticket) throw new AppError('ticket_not_found', `no ticket ${quote.ticketId}`, { id: quote.ticketId });
  if (a.actor.startsWith('resident:')) {
    if (ticket.residentId === null || a.actor !== `resident:${ticket.residentId}`)
      throw new AppError('not_your_ticket', `quote ${quote.number} is not for ${a.actor}`, { number: quote.number });
  } else if (a.actor.startsWith('staff:')) {
    assertCanAct(core.org, staffOfActor(core.org, a.actor), ticket, 'quote');
  } else throw new AppError('validation_failed', 'actor: must be resident:<id> or staff:<id>', { field: 'actor' });
  // accepted, but the process stopped before the paid work was scheduled: accepting again finishes it
  if (quote.status === 'accepted' && quote.paidTicketId === null && a.accept) return schedulePaidWork(core, quote, ticket, quote.answeredBy ?? a.actor);
  // expired by the sweep at the end of its validity (expire-quote.ts): told as expired, not as answered
  if (quote.status === 'expired')
    throw new AppError('quote_expired', `quote ${quote.number} stood until ${quote.validUntil.toISOString()}`, {
      number: quote.number,
      validUntil: quote.validUntil.toISOString(),
    });
  if (quote.status !== 'sent')
    throw new AppError('quote_already_answered', `quote ${quote.number} is ${quote.status}`, { number: quote.number, status: quote.status });

  const now = core.clock.now();
  const line = (type: string, actor: string, extra: Record<string, unknown> = {}) => ({
    at: now,
    type,
    actor,
    fromStatus: null,
    toStatus: null,
    note: null,
    data: JSON.stringify({ quote: quote.number, totalCents: quote.totalCents, ...extra }),
  });
  const owes = (_q: Quote, eventId: number) => quoteCardRows(core.org, ticket, eventId, now);

  if (quote.validUntil.getTime() <= now.getTime()) {
    // answered meanwhile: that answer stands (quote_already_answered from the store)
    await core.stores.quotes.answer({ id: quote.id, status: 'expired', at: now, by: null, event: line('quote_expired', 'system'), owes });
    throw new AppError('quote_expired', `quote ${quote.number} stood until ${quote.validUntil.toISOString()}`, {
      number: quote.number,
      validUntil: quote.validUntil.toISOString(),
    });
  }

  const status = a.accept ? 'accepted' : 'refused';
  const answered = await core.stores.quotes.answer({ id: quote.id, status, at: now, by: a.actor, event: line(`quote_${status}`, a.actor), owes });
  if (!a.accept) return { quote: answered, ticket, paid: null };
  return schedulePaidWork(core, answered, ticket, a.actor);
}

/** "¥1234.50" */
const money = (cents: number) => `¥${(cents / 100).toFixed(2)}`;

/** The paid-service ticket's description: the quote's number, the ticket it came from, its items, total and note (staff's words, no wording of ours). */
function paidDescription(quote: Quote, ticket: Ticket): string {
  const items = quoteItems(quote).map((i) => `- ${i.name} ${i.quantity} ${i.unit} × ${money(i.unitPriceCents)} = ${money(i.amountCents)}`);
  return [`${quote.number} ← ${ticket.number}`, ...items, `= ${money(quote.totalCents)}`, ...(quote.note ? [quote.note] : [])].join('\n');
}

/** R9, R16: the accepted quote becomes paid work of the same branch, and the original's card names it. */
async function schedulePaidWork(core: Core, quote: Quote, ticket: Ticket, actor: string): Promise<QuoteAnswerOutcome> {
  const paid = await filePaidWork(core, quote, ticket, actor);
  const now = core.clock.now();
  const linked = await core.stores.quotes.linkPaid({
    id: quote.id,
    paidTicketId: paid.id,
    event: {
      at: now,
      type: 'quote_scheduled',
      actor: 'system',
      fromStatus: null,
      toStatus: null,
      note: null,
      data: JSON.stringify({ quote: quote.number, paidTicketId: paid.id, paidNumber: paid.number }),
    },
    owes: (eventId) => quoteCardRows(core.org, ticket, eventId, now),
  });
  return { quote: linked, ticket, paid };
}

/** Files the paid-service ticket once (its once-key); filed already by an attempt that stopped before the link: that one. */
async function filePaidWork(core: Core, quote: Quote, ticket: Ticket, actor: string): Promise<Ticket> {
  const customer = ticket.customerId ? await core.stores.customers.byId(ticket.customerId) : null;
  const byResident = actor.startsWith('resident:');
  try {
    return await createTicket(core, {
      kind: 'paid_service',
      category: ticket.category,
      scope: 'secondary',
      severity: 'normal',
      source: byResident ? 'telegram' : 'hotline',
      description: paidDescription(quote, ticket),
      firstResponder: byResident ? 'telegram' : actor,
      ...(customer ? { customerAccount: customer.account, known: { customer } } : {}),
      ...(ticket.residentId !== null ? { residentId: ticket.residentId } : {}),
      ...(ticket.communityId ? { communityId: ticket.communityId } : {}),
      ...(ticket.address ? { address: ticket.address } : {}),
      ...(ticket.building ? { building: ticket.building } : {}),
      ...(ticket.unit ? { unit: ticket.unit } : {}),
      ...(ticket.room ? { room: ticket.room } : {}),
      ...(ticket.contactName ? { contactName: ticket.contactName } : {}),
      ...(ticket.contactPhone ? { contactPhone: ticket.contactPhone } : {}),
      branchId: quote.branchId,
      paidMaterials: 'company',
      verified: ticket.verified,
      onceKeys: [paidWorkKey(quote.id)],
    });
  } catch (e) {
    if (!isAppError(e, 'already_filed')) throw e;
    const id = await core.stores.quotes.paidTicketFiledFor(quote.number);
    const filed = id === null ? null : await core.stores.views.ticketById(id);
    if (!filed) throw e;
    return filed;
  }
}
