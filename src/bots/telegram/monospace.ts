/**
 * Ticket numbers go out in monospace, so that a resident can tap one to copy it (to quote it on
 * the hotline, or in /status) and tell it apart from the words around it. Done once, as a grammY
 * API transformer on every client that writes to residents (the bot's and the outbox deliverer's),
 * instead of in each reply: a text sent with neither `parse_mode` nor entities gets a `code`
 * entity per ticket number. Texts that bring their own formatting are left alone (entities and
 * parse_mode cannot be mixed, and HTML already escapes what it shows).
 */
import type { Transformer } from 'grammy';
import type { MessageEntity } from 'grammy/types';

/**
 * A ticket number as numbering.ts makes them (kind letter, local date, the day's sequence), not
 * glued to a longer word or number. Offsets of a JavaScript string are UTF-16 code units, which
 * is what Telegram counts: an emoji or a CJK character before the number needs no arithmetic.
 */
const TICKET_NUMBER = /(?<![A-Za-z0-9])[TSQP]\d{8}-\d{4,}(?!\d)/g;

/** The `code` entities of the ticket numbers in `text`, in order (empty when there are none). */
export function ticketNumberEntities(text: string): MessageEntity.CommonMessageEntity[] {
  const out: MessageEntity.CommonMessageEntity[] = [];
  for (const m of text.matchAll(TICKET_NUMBER)) out.push({ type: 'code', offset: m.index, length: m[0].length });
  return out;
}

/** Which payload field holds the words, and which field would hold their entities. */
const TEXT_FIELDS: Record<string, { text: string; entities: string }> = {
  sendMessage: { text: 'text', entities: 'entities' },
  editMessageText: { text: 'text', entities: 'entities' },
  sendPhoto: { text: 'caption', entities: 'caption_entities' },
  sendDocument: { text: 'caption', entities: 'caption_entities' },
  sendAudio: { text: 'caption', entities: 'caption_entities' },
  sendVoice: { text: 'caption', entities: 'caption_entities' },
  editMessageCaption: { text: 'caption', entities: 'caption_entities' },
};

/**
 * The payload with `code` entities for its ticket numbers, or the payload itself when it has
 * formatting of its own, no words, or no number. Pure, for the transformer and its tests.
 */
export function withMonospaceNumbers(method: string, payload: Record<string, unknown>): Record<string, unknown> {
  const f = TEXT_FIELDS[method];
  if (!f) return payload;
  const text = payload[f.text];
  if (typeof text !== 'string' || payload.parse_mode !== undefined || payload[f.entities] !== undefined) return payload;
  const entities = ticketNumberEntities(text);
  return entities.length ? { ...payload, [f.entities]: entities } : payload;
}

/** The transformer: `bot.api.config.use(monospaceTicketNumbers())`. */
export function monospaceTicketNumbers(): Transformer {
  return (prev, method, payload, signal) => prev(method, withMonospaceNumbers(method, payload as Record<string, unknown>) as typeof payload, signal);
}
