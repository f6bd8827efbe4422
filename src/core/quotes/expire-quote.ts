/**
 * R16: a quote expires when its validity ends, without anyone acting. Creating a quote stores, in
 * the same transaction, a ScheduledAlert of kind quote_expiry due at its validUntil (keyed once
 * per quote); the deadline sweep (fire-due-alerts.ts) fires it here. A quote still sent is marked
 * expired with its line on the ticket's timeline, the card's thread line and, when the resident
 * reported in the bot, the resident's notice (their quote message loses its buttons, and they are
 * told to ask again), all in one transaction guarded on the status: a quote answered, withdrawn
 * or expired meanwhile is left as it is. Exactly once across instances: the store's update
 * counts only while the quote is sent, and the messages' keys are owed once.
 */
import type { Core } from '../context.js';
import { isAppError } from '../errors.js';
import type { Quote, ScheduledAlert } from '../model.js';
import type { FirePlan, NewAlert } from '../ports/alert-store.js';
import { emptyPlan } from '../deadlines/alert-effects.js';
import { quoteCardRows, quoteExpiredRow } from './quote-messages.js';

export const QUOTE_EXPIRY = 'quote_expiry';

/** The alert that expires a quote at the end of its validity. */
export function quoteExpiryAlert(quote: Pick<Quote, 'id' | 'ticketId' | 'validUntil'>): NewAlert {
  return {
    key: `quote:${quote.id}:expiry`,
    ticketId: quote.ticketId,
    kind: QUOTE_EXPIRY,
    dueAt: quote.validUntil,
    data: JSON.stringify({ quoteId: quote.id }),
  };
}

type SweepCore = Pick<Core, 'stores' | 'org' | 'clock'>;

/** Fires a quote_expiry alert: the quote is expired if it still waits for its answer; the plan only marks the alert fired. */
export async function expireQuote(core: SweepCore, alert: ScheduledAlert, now: Date): Promise<FirePlan> {
  const plan = emptyPlan([alert.id]);
  const { quoteId } = JSON.parse(alert.data ?? '{}') as { quoteId?: number };
  const quote = typeof quoteId === 'number' ? await core.stores.quotes.byId(quoteId) : null;
  if (quote?.status !== 'sent' || quote.validUntil.getTime() > now.getTime()) return plan;
  const ticket = await core.stores.views.ticketById(quote.ticketId);
  if (!ticket) return plan;
  const resident = ticket.residentId !== null ? await core.stores.residents.byId(ticket.residentId) : null;
  const reachable = resident && !resident.unreachableAt ? resident : null;
  try {
    await core.stores.quotes.answer({
      id: quote.id,
      status: 'expired',
      at: now,
      by: null,
      event: {
        at: now,
        type: 'quote_expired',
        actor: 'system',
        fromStatus: null,
        toStatus: null,
        note: null,
        data: JSON.stringify({ quote: quote.number, totalCents: quote.totalCents }),
      },
      owes: (q, eventId) => [...quoteCardRows(core.org, ticket, eventId, now), ...(reachable ? [quoteExpiredRow(q, reachable, now)] : [])],
    });
  } catch (e) {
    // answered (or expired by a tap) between the read and the update: that stands
    if (!isAppError(e, 'quote_already_answered')) throw e;
  }
  return plan;
}
