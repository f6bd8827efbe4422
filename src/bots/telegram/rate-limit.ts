/**
 * Per-chat flood limit (grammY's ratelimiter plugin): one resident who sends hundreds of
 * messages in seconds (a stuck client, a child with the phone, a script) gets the first
 * `updates` of each window answered as usual, then ONE polite message saying we have their
 * earlier messages and when to send the rest again, then silence until the window passes.
 *
 * It sits before the update receipt and the features, so an update past the limit costs no
 * database write and leaves no trace: it is not filed, and the polite message asks the resident
 * to send again whatever was not answered (a leak: call the hotline). Telegram itself delivers no
 * more than about one message a second into a chat, so more replies would only queue.
 *
 * Each update counts once: Telegram delivers an update again until it gets a 200 (the service
 * was restarting, the database busy), and those deliveries must never push the chat over the
 * limit, or the update would be answered 200 without being handled and never come back. An
 * update let through once is let through again whenever it comes back.
 *
 * Counts live in memory on the core's clock (tests move it); behind several instances each
 * counts its own share, which only makes the limit looser.
 */
import { limit } from '@grammyjs/ratelimiter';
import type { Core } from '../../core/context.js';
import { WindowCounter } from '../../core/limits/window-counter.js';
import { meetResident } from '../../core/residents/meet-resident.js';
import { asLocale } from '../../i18n/index.js';
import { tt, type BotContext, type BotLog } from './context.js';

export interface ChatLimit {
  /** updates answered per chat and window */
  updates: number;
  windowMs: number;
}

/** An album of ten photos with a caption and a tap or two still passes. */
export const DEFAULT_CHAT_LIMIT: ChatLimit = { updates: 15, windowMs: 30_000 };

export function chatRateLimit(core: Core, log: BotLog, o: ChatLimit = DEFAULT_CHAT_LIMIT) {
  const counter = new WindowCounter(core.clock);
  // the plugin's Redis-shaped storage: INCR opens the key's window, PEXPIRE is already done by then
  const storageClient = {
    incr: async (key: string) => counter.hit(key, o.windowMs).count,
    pexpire: async () => 1,
  };
  const letThrough = new RecentIds(core, Math.max(o.windowMs, 10 * 60_000));
  const limiter = limit<BotContext, typeof storageClient>({
    timeFrame: o.windowMs,
    limit: o.updates,
    storageClient,
    keyGenerator: (ctx) => (ctx.chat?.id ?? ctx.from?.id)?.toString(),
    keyPrefix: 'chat:',
    // once per window (the plugin calls it for the first update past the limit only)
    onLimitExceeded: async (ctx) => {
      const chat = ctx.chat;
      if (chat?.type !== 'private' || !ctx.from || ctx.from.is_bot) return;
      try {
        const resident = await meetResident(core, { telegramUserId: String(ctx.from.id), chatId: String(chat.id), languageCode: ctx.from.language_code });
        const hit = counter.peek(`chat:${chat.id}`);
        const seconds = hit ? Math.max(1, Math.ceil((hit.resetAt.getTime() - core.clock.now().getTime()) / 1000)) : Math.ceil(o.windowMs / 1000);
        const text = tt(asLocale(resident.locale), 'robust.too_fast', { seconds, hotline: core.org.config.company.hotline });
        if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
        await ctx.api.sendMessage(chat.id, text);
        log.info({ chat: chat.id, updates: hit?.count }, 'telegram chat over its limit: told once, the rest of the window ignored');
      } catch (e) {
        log.warn({ err: (e as Error).message }, 'telegram flood notice not sent');
      }
    },
  });
  return async (ctx: BotContext, next: () => Promise<void>) => {
    const id = ctx.update.update_id;
    if (letThrough.has(id)) return next();
    await limiter(ctx, async () => {
      letThrough.add(id);
      await next();
    });
  };
}

/** Update ids let through lately (bounded: a flood of new ids forgets the oldest). */
class RecentIds {
  private readonly ids = new Map<number, number>();

  constructor(
    private readonly core: Core,
    private readonly keepMs: number,
    private readonly max = 50_000,
  ) {}

  has(id: number): boolean {
    const until = this.ids.get(id);
    return until !== undefined && until > this.core.clock.now().getTime();
  }

  add(id: number): void {
    const now = this.core.clock.now().getTime();
    if (this.ids.size >= this.max) {
      for (const [k, until] of this.ids) {
        if (this.ids.size < this.max * 0.9 && until > now) break;
        this.ids.delete(k);
      }
    }
    this.ids.delete(id);
    this.ids.set(id, now + this.keepMs);
  }
}
