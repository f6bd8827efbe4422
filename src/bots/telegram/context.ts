/**
 * The bot's context: grammY's Context plus the resident behind the chat and their language.
 * Every word goes through ctx.t (locales/<lang>/telegram.json), never a literal.
 */
import type { Context } from 'grammy';
import type { Core } from '../../core/context.js';
import { meetResident } from '../../core/residents/meet-resident.js';
import { asLocale, t, type Locale, type Vars } from '../../i18n/index.js';
import type { Resident } from '../../core/model.js';
import type { TextClassifier } from './classifier.js';
import type { ConversationFlavor } from './conversation.js';

export interface ResidentFlavor {
  /** set for every update from a person in a private chat (see residentMiddleware) */
  resident: Resident;
  locale: Locale;
  /** a text of the telegram namespace in the resident's language */
  t(key: string, vars?: Vars): string;
}

/** ctx.session: where the conversation with the chat stands (conversation.ts); private chats only */
export type BotContext = Context & ResidentFlavor & ConversationFlavor;

/** What the features are built from. */
export interface BotDeps {
  core: Core;
  classifier: TextClassifier;
  log: BotLog;
  /** the outbox worker: a change owes messages now */
  kick?: () => void;
}

export interface BotLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLog: BotLog = { info() {}, warn() {}, error() {} };

/** A text of the telegram namespace. */
export function tt(locale: Locale | string, key: string, vars?: Vars): string {
  return t(locale, `telegram.${key}`, vars);
}

/** Sets ctx.t before anything has been looked up (the error boundary needs it even then). */
export function withLocale(ctx: BotContext, locale: Locale): void {
  ctx.locale = locale;
  ctx.t = (key, vars) => tt(locale, key, vars);
}

/** Finds or registers the resident behind a private chat and speaks their language from then on. */
export function residentMiddleware(core: Core) {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    withLocale(ctx, asLocale(ctx.from?.language_code));
    if (!ctx.from || ctx.chat?.type !== 'private') return next();
    ctx.resident = await meetResident(core, { telegramUserId: String(ctx.from.id), chatId: String(ctx.chat.id), languageCode: ctx.from.language_code });
    withLocale(ctx, asLocale(ctx.resident.locale));
    return next();
  };
}
