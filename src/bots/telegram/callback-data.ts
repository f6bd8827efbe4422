/**
 * Button payloads. Telegram refuses callback_data over 64 bytes, so every payload is built here,
 * short and checked; anything longer than a choice and an id (a resident's text, a draft) is not
 * carried in a button but read back from the message the button belongs to.
 */
import { InlineKeyboard } from 'grammy';
import { CATEGORIES, SATISFACTION, TICKET_KINDS, type Category, type Satisfaction, type TicketKind } from '../../core/domain.js';

export const MAX_CALLBACK_DATA_BYTES = 64;

const RATING_CODE: Record<Satisfaction, string> = { satisfied: 's', fairly: 'f', dissatisfied: 'd' };

/** Every payload the bot puts on a button. */
export const cb = {
  lang: (locale: string) => `lang:${locale}`,
  /** /report menu: a category chosen by tap */
  reportNew: (category: Category) => `rn:${category}`,
  /** file a report of this kind and category with no more words than the tap */
  reportNow: (category: Category) => `rs:${category}`,
  /** file the message this proposal replies to, as this kind and category */
  reportOk: (kind: TicketKind, category: Category) => `ro:${kind}:${category}`,
  reportPick: 'rp',
  /** one problem (by its place in the message the offer replies to) of several in one message, or 'all' */
  several: (part: number | 'all') => `mp:${part}`,
  reportCancel: 'rx',
  /** add the message this question replies to onto the resident's open ticket `number` */
  followUp: (number: string) => `fu:${number}`,
  /** the message this question replies to is a new problem: propose it */
  followUpNew: 'fn',
  status: (number: string) => `st:${number}`,
  rate: (callbackId: number, s: Satisfaction) => `cb:${callbackId}:${RATING_CODE[s]}`,
  /** a while after a heating repair: the radiators are warm now (h) or still cold (c) */
  warm: (callbackId: number, hot: boolean) => `wc:${callbackId}:${hot ? 'h' : 'c'}`,
  formOk: (number: string) => `fo:${number}`,
  formOpinion: (number: string) => `fp:${number}`,
  paid: (materials: 'company' | 'own') => `pv:${materials}`,
  faq: (id: string) => `fq:${id}`,
  /** the question this answer replies to still needs a person: make it a consultation ticket */
  askCentre: 'aq',
  bind: 'bd',
  /** a resident already bound to an account allows (or refuses) request `attemptId` to bind it too */
  bindAnswer: (attemptId: number, allow: boolean) => `ba:${attemptId}:${allow ? 'y' : 'n'}`,
  /** under the heat-back notice of incident `incidentId`: is the heating back (h) or still cold (c) */
  restoreCheck: (incidentId: number, hot: boolean) => `ir:${incidentId}:${hot ? 'h' : 'c'}`,
  /** under a quote (R16): accept (y) or decline (n) quote `quoteId` */
  quoteAnswer: (quoteId: number, accept: boolean) => `qa:${quoteId}:${accept ? 'y' : 'n'}`,
} as const;

export function checkCallbackData(data: string): string {
  const bytes = Buffer.byteLength(data, 'utf8');
  if (bytes === 0 || bytes > MAX_CALLBACK_DATA_BYTES) throw new Error(`callback_data must be 1-${MAX_CALLBACK_DATA_BYTES} bytes, got ${bytes}: ${data}`);
  return data;
}

/** An inline keyboard whose buttons are checked against the 64-byte limit as they are added. */
export class Buttons extends InlineKeyboard {
  button(label: string, data: string): this {
    return this.text(label, checkCallbackData(data));
  }
}

export function parseKind(s: string | undefined): TicketKind | undefined {
  return (TICKET_KINDS as readonly string[]).includes(s ?? '') ? (s as TicketKind) : undefined;
}

export function parseCategory(s: string | undefined): Category | undefined {
  return (CATEGORIES as readonly string[]).includes(s ?? '') ? (s as Category) : undefined;
}

export function parseRating(code: string | undefined): Satisfaction | undefined {
  return SATISFACTION.find((s) => RATING_CODE[s] === code);
}
