/**
 * Small helpers for answering a resident: long texts in parts, the main menu keyboard, a
 * ForceReply question, and the labels a tapped menu button sends back as text.
 */
import { Keyboard } from 'grammy';
import type { ForceReply, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup } from 'grammy/types';
import { inboundGate } from '../../core/inbound/handle-once.js';
import { firstReceipt } from '../../core/inbound/remember-receipt.js';
import type { Core } from '../../core/context.js';
import { LOCALES, type Locale } from '../../i18n/index.js';
import { tt, type BotContext } from './context.js';
import { receiptOf } from './dedupe.js';
import { splitText } from './split-text.js';
import { BIND_QUESTION_WAITS_MS, QUESTION_WAITS_MS } from './conversation.js';
import { promptTextKey, type PromptKey } from './prompts.js';

type Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ForceReply;

/** Sends a text of any length; the keyboard goes with the last part. */
export async function replyLong(ctx: BotContext, text: string, opts: { reply_markup?: Markup; reply_to?: number } = {}): Promise<Message.TextMessage> {
  const parts = splitText(text);
  let last: Message.TextMessage | undefined;
  for (let i = 0; i < parts.length; i++) {
    const isLast = i === parts.length - 1;
    last = await ctx.reply(parts[i], {
      ...(isLast && opts.reply_markup ? { reply_markup: opts.reply_markup } : {}),
      ...(i === 0 && opts.reply_to ? { reply_parameters: { message_id: opts.reply_to, allow_sending_without_reply: true } } : {}),
    });
  }
  return last!;
}

/** How a question is asked: what it keeps hidden for the answer, and what goes under the input field. */
export interface AskOptions {
  /** values the answer needs that the question does not show (kept with the waiting question) */
  hidden?: Record<string, string>;
  /**
   * A reply keyboard instead of ForceReply (a one-tap phone share): Telegram takes one or the
   * other per message, and the waiting question makes a plain answer work without ForceReply.
   */
  keyboard?: Keyboard;
  /** how long the question waits (QUESTION_WAITS_MS by default) */
  waitsMs?: number;
}

/**
 * Asks a question and keeps it waiting for the chat (conversation.ts): the next plain message
 * answers it, and so does a reply (ForceReply puts the phone in reply mode).
 */
export async function askFor(ctx: BotContext, promptKey: PromptKey, vars: Record<string, string> = {}, placeholderKey?: string, opts: AskOptions = {}) {
  const placeholder = placeholderKey ? ctx.t(placeholderKey).slice(0, 64) : undefined;
  const reply_markup = opts.keyboard
    ? placeholder
      ? opts.keyboard.placeholder(placeholder)
      : opts.keyboard
    : { force_reply: true as const, ...(placeholder ? { input_field_placeholder: placeholder } : {}) };
  const sent = await ctx.reply(ctx.t(promptTextKey(promptKey), vars), { reply_markup });
  if (ctx.chat?.type === 'private') {
    const askedAt = ctx.conversationAt;
    const waits = opts.waitsMs ?? (promptKey.startsWith('bind_') ? BIND_QUESTION_WAITS_MS : QUESTION_WAITS_MS);
    ctx.session.pending = {
      key: promptKey,
      vars,
      ...(opts.hidden && Object.keys(opts.hidden).length ? { hidden: opts.hidden } : {}),
      messageId: sent.message_id,
      askedAt: askedAt.toISOString(),
      expiresAt: new Date(askedAt.getTime() + waits).toISOString(),
    };
  }
  return sent;
}

/** The text a menu button sends, in every language (a resident may switch between taps). */
export function labels(key: string): string[] {
  return LOCALES.map((l) => tt(l, key));
}

/** The menu under the input field: every feature one tap away; linking by phone while unbound. */
export function mainMenu(locale: Locale, bound: boolean): Keyboard {
  const k = new Keyboard()
    .text(tt(locale, 'menu.report'))
    .text(tt(locale, 'menu.status'))
    .row()
    .text(tt(locale, 'menu.suggest'))
    .text(tt(locale, 'menu.ask'))
    .row()
    .text(tt(locale, 'menu.prices'));
  if (!bound) k.requestContact(tt(locale, 'menu.bind'));
  return k.resized().persistent().placeholder(tt(locale, 'menu.placeholder').slice(0, 64));
}

/**
 * True when a button or question was not acted on before: a draft is filed once even when the
 * resident taps "submit" twice or answers the same question twice (two updates, one ticket). The
 * key is stored with the update's receipt (dedupe.ts): with the report the update files, or when
 * its work is done, so a tap whose handling was cut short by a crash can be made again.
 */
export async function firstAction(core: Core, ctx: BotContext, what: string, messageId: number | undefined): Promise<boolean> {
  const key = onceKey(ctx, what, messageId);
  const receipt = receiptOf(ctx);
  if (!receipt) return firstReceipt(core, key);
  if (await inboundGate(core).seen(key)) return false;
  receipt.add(key);
  return true;
}

/**
 * The receipt key of acting once on a button or question. A report carries it into the filing
 * (Draft.onceKey), where it is stored in the ticket's own transaction with the update's own:
 * checked beforehand, a tap whose filing then failed would be spent, and the report lost.
 */
export function onceKey(ctx: BotContext, what: string, messageId: number | undefined): string {
  return `telegram:once:${what}:${ctx.chat?.id}:${messageId}`;
}

/** The biggest size of a photo message. */
export function photoFileId(m: { photo?: { file_id: string; width: number; height: number }[] } | undefined): string | undefined {
  const sizes = m?.photo;
  if (!sizes?.length) return undefined;
  return [...sizes].sort((a, b) => b.width * b.height - a.width * a.height)[0].file_id;
}

/** Edits away a message's buttons; "not modified" (already gone) is not an error. */
export async function dropButtons(ctx: BotContext): Promise<void> {
  try {
    await ctx.editMessageReplyMarkup();
  } catch (e) {
    if (!/not modified|not found/i.test((e as Error).message)) throw e;
  }
}
