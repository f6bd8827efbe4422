/**
 * The residents' bot: a grammY Bot assembled from small feature Composers. It works the same
 * behind the webhook route (webhook.ts) and with long polling (setup.ts): per-chat order,
 * update dedupe, one error boundary, then the features. Commands and buttons come before the
 * intake of plain messages, which takes any text as a report.
 */
import type { RateGate } from '../../delivery/pacing.js';
import { paceSends } from './pace.js';
import { autoRetry } from '@grammyjs/auto-retry';
import { sequentialize } from '@grammyjs/runner';
import { Bot, type BotConfig } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Core } from '../../core/context.js';
import { createKeywordClassifier } from '../../core/classify-fallback/keyword-classifier.js';
import type { TextClassifier } from './classifier.js';
import { rememberedClassifier } from './remembered-classifier.js';
import { residentMiddleware, silentLog, type BotContext, type BotDeps, type BotLog } from './context.js';
import { conversationMiddleware } from './conversation.js';
import { dedupeUpdates } from './dedupe.js';
import { menuFirst } from './menu-first.js';
import { chatRateLimit, DEFAULT_CHAT_LIMIT, type ChatLimit } from './rate-limit.js';
import { errorBoundary } from './error-boundary.js';
import { monospaceTicketNumbers } from './monospace.js';
import { tolerateStaleAnswers } from './stale-answers.js';
import { bindFeature } from './features/bind.js';
import { blockedFeature } from './features/blocked.js';
import { addressFeature } from './features/filing.js';
import { formFeature } from './features/form.js';
import { incidentFeature } from './features/incident.js';
import { intakeFeature } from './features/intake.js';
import { pricesFeature } from './features/prices.js';
import { quoteFeature } from './features/quote.js';
import { ratingFeature } from './features/rating.js';
import { reportFeatures } from './features/report.js';
import { privateOnly, robustnessFeature } from './features/robustness.js';
import { startFeature } from './features/start.js';
import { statusFeature } from './features/status.js';
import { suggestAskFeature } from './features/suggest-ask.js';
import { handbookFeature } from './features/handbook.js';

export interface TelegramBotOptions {
  core: Core;
  token: string;
  /** another Bot API server: a local one, or the fake in tests (TELEGRAM_API_ROOT) */
  apiRoot?: string;
  /** defaults to the keyword rules of src/core/classify-fallback */
  classifier?: TextClassifier;
  log?: BotLog;
  /** skips getMe at start (tests, or a known bot) */
  botInfo?: UserFromGetMe;
  /**
   * Retry the bot's own replies after a 429 or a 5xx (at most this many times, waiting at most
   * maxDelaySeconds); false turns it off. Outbox messages have their own retries.
   */
  retry?: { maxRetryAttempts: number; maxDelaySeconds: number } | false;
  /**
   * Telegram delivers an update again when it is not answered 200 (webhook mode): a database
   * outage then leaves the update for its second delivery instead of apologising (error-boundary.ts).
   */
  redelivered?: boolean;
  /** runs the outbox worker at once (a filed report owes its confirmation and dispatch card) */
  kick?: () => void;
  /** updates answered per chat and window before one polite notice and silence (rate-limit.ts) */
  chatLimit?: ChatLimit;
  /** the bot-wide rate the outbox worker paces Telegram by: the bot's replies take their turns in it, first (pace.ts) */
  pace?: RateGate;
  /** the /handbook texts (HANDBOOK_DIR); unset: the shipped config/handbook */
  handbookDir?: string;
}

export type TelegramBot = Bot<BotContext>;

export function createTelegramBot(o: TelegramBotOptions): TelegramBot {
  const config: BotConfig<BotContext> = { client: { ...(o.apiRoot ? { apiRoot: o.apiRoot.replace(/\/$/, '') } : {}) } };
  if (o.botInfo) config.botInfo = o.botInfo;
  const bot = new Bot<BotContext>(o.token, config);
  const retry = o.retry ?? { maxRetryAttempts: 2, maxDelaySeconds: 10 };
  if (retry) bot.api.config.use(autoRetry(retry));
  bot.api.config.use(monospaceTicketNumbers(), tolerateStaleAnswers());
  if (o.pace) bot.api.config.use(paceSends(o.pace));

  const deps: BotDeps = { core: o.core, classifier: rememberedClassifier(o.classifier ?? createKeywordClassifier()), log: o.log ?? silentLog, kick: o.kick };
  const { report, ...reportHooks } = reportFeatures(deps);

  // Updates of one chat one after another (long polling runs them concurrently otherwise).
  bot.use(sequentialize<BotContext>((ctx) => (ctx.chat?.id ?? ctx.from?.id)?.toString()));
  // a flood from one chat stops here, before it costs a receipt or a reply
  bot.use(chatRateLimit(o.core, deps.log, o.chatLimit ?? DEFAULT_CHAT_LIMIT));
  bot.use(dedupeUpdates(o.core, deps.log));
  bot
    .errorBoundary(errorBoundary(deps, { redelivered: o.redelivered }))
    .use(residentMiddleware(o.core))
    .use(privateOnly())
    // the menu keyboard with the first thing the bot says to a resident
    .use(menuFirst(o.core))
    // the question the bot waits an answer to, per chat in the database (a plain message answers it)
    .use(conversationMiddleware(o.core))
    .use(blockedFeature(deps), startFeature(deps), bindFeature(deps), statusFeature(deps), suggestAskFeature(deps), pricesFeature(deps))
    .use(handbookFeature(deps, { dir: o.handbookDir }))
    .use(ratingFeature(deps), incidentFeature(deps), quoteFeature(deps), formFeature(deps), report, addressFeature(deps))
    .use(intakeFeature(deps, reportHooks), robustnessFeature(deps));
  // Last resort (a failure outside the boundary, e.g. the receipt could not be stored).
  bot.catch((err) => deps.log.error({ update_id: err.ctx.update.update_id, err: (err.error as Error)?.message }, 'telegram update failed'));
  return bot;
}
