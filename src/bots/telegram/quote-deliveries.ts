/**
 * A quote (R16) as the resident reads it: what it covers (secondary network and in-building pipes,
 * at engineering settlement and purchase prices, not the price list), its items, total, note and
 * validity, with [accept] [decline]. Sent as plain text (no parse mode), so staff's words in
 * the items can never become markup. Worded at delivery from the quote as it stands: one answered,
 * withdrawn or expired before it went out is not sent. When its validity ends unanswered (the
 * sweep: core/quotes/expire-quote.ts), the message is edited to say so, without its buttons.
 */
import { GrammyError, type Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Core } from '../../core/context.js';
import type { Quote, Ticket } from '../../core/model.js';
import type { Org } from '../../core/org/org.js';
import { formatMinute } from '../../core/local-time.js';
import { quoteItems, quoteState } from '../../core/quotes/quote-items.js';
import { asLocale, type Locale } from '../../i18n/index.js';
import { Buttons, cb } from './callback-data.js';
import { tt } from './context.js';
import { when } from './render.js';
import { splitText } from './split-text.js';

export interface QuoteOfferPayload {
  quoteId: number;
  locale?: string;
}

/** "1234.50" */
export const money = (cents: number) => (cents / 100).toFixed(2);

/** The quote's text, without the buttons. */
export function quoteText(org: Org, quote: Quote, ticket: Pick<Ticket, 'number'>, locale: Locale, now: Date): string {
  const items = quoteItems(quote).map((it, i) =>
    tt(locale, 'quote.item', {
      index: i + 1,
      name: it.name,
      quantity: it.quantity,
      unit: it.unit,
      price: money(it.unitPriceCents),
      amount: money(it.amountCents),
    }),
  );
  return [
    tt(locale, 'quote.title', { quote: quote.number, number: ticket.number }),
    tt(locale, 'quote.covers'),
    ...items,
    tt(locale, 'quote.total', { total: money(quote.totalCents) }),
    ...(quote.note ? [tt(locale, 'quote.note', { note: quote.note })] : []),
    tt(locale, 'quote.valid_until', { time: when(quote.validUntil, now) }),
    '',
    tt(locale, 'quote.next', { hotline: org.config.company.hotline }),
  ].join('\n');
}

export function quoteButtons(quoteId: number, locale: Locale): InlineKeyboardMarkup {
  return new Buttons()
    .button(tt(locale, 'quote.button.accept'), cb.quoteAnswer(quoteId, true))
    .button(tt(locale, 'quote.button.refuse'), cb.quoteAnswer(quoteId, false));
}

/** The outbox's quote_offer row; null when the quote no longer waits for an answer. */
export async function renderQuoteOffer(
  core: Core,
  p: QuoteOfferPayload,
): Promise<{ text: string; reply_markup: InlineKeyboardMarkup; replyTo?: number } | null> {
  const quote = Number.isSafeInteger(p.quoteId) ? await core.stores.quotes.byId(p.quoteId) : null;
  const now = core.clock.now();
  if (!quote || quoteState(quote, now) !== 'sent') return null;
  const ticket = await core.stores.views.ticketById(quote.ticketId);
  if (!ticket) return null;
  const locale = asLocale(p.locale);
  return { text: quoteText(core.org, quote, ticket, locale, now), reply_markup: quoteButtons(quote.id, locale) };
}

export interface QuoteExpiredPayload {
  quoteId: number;
  /** the key of the quote_offer row whose message this edits */
  offerKey: string;
  locale?: string;
}

/** A Telegram refusal that means the message cannot be edited (gone, too old, never editable): the notice goes as a message instead. */
const notEditable = (e: unknown) => e instanceof GrammyError && e.error_code === 400 && !/not modified/i.test(e.description);
const notModified = (e: unknown) => e instanceof GrammyError && e.error_code === 400 && /not modified/i.test(e.description);

/**
 * R16: the outbox's quote_expired row. The resident's quote message is edited to its text with the
 * expiry notice (expired at, ask again, the hotline) and without its buttons. A message that
 * cannot be edited (split into parts, deleted) loses its buttons where it can, and the notice
 * goes as a message under it. Nothing when the offer never reached the chat (it expired before
 * it went out) or the quote is not expired. Other refusals are thrown for the deliverer.
 */
export async function deliverQuoteExpired(
  core: Core,
  api: Api,
  chatId: string,
  p: QuoteExpiredPayload,
): Promise<{ edited: number } | { text: string; replyTo: number } | null> {
  const quote = Number.isSafeInteger(p.quoteId) ? await core.stores.quotes.byId(p.quoteId) : null;
  if (quote?.status !== 'expired') return null;
  const sent = await core.stores.outbox.sentResult(p.offerKey);
  const messageId = sent ? (JSON.parse(sent) as { messageId?: unknown }).messageId : undefined;
  if (typeof messageId !== 'number') return null;
  const ticket = await core.stores.views.ticketById(quote.ticketId);
  if (!ticket) return null;
  const locale = asLocale(p.locale);
  const note = tt(locale, 'quote.expired', { quote: quote.number, time: formatMinute(quote.validUntil), hotline: core.org.config.company.hotline });
  // the offer as the resident read it (worded when it was made), with the notice under it
  const text = `${quoteText(core.org, quote, ticket, locale, quote.createdAt)}\n\n${note}`;
  if (splitText(text).length === 1) {
    try {
      await api.editMessageText(chatId, messageId, text);
      return { edited: messageId };
    } catch (e) {
      if (notModified(e)) return { edited: messageId };
      if (!notEditable(e)) throw e;
    }
  }
  try {
    await api.editMessageReplyMarkup(chatId, messageId);
  } catch (e) {
    if (!notEditable(e) && !notModified(e)) throw e;
  }
  return { text: note, replyTo: messageId };
}
