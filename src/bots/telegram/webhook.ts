/**
 * POST /telegram/webhook: Telegram's updates in webhook mode. The secret token (set with
 * setWebhook, sent back in X-Telegram-Bot-Api-Secret-Token) is checked first, in constant time;
 * without it the answer is 401 and nothing else happens (no getMe, no receipt, no reply).
 * grammY's webhookCallback is not used because it initialises the bot before it checks the
 * secret. A failure inside a feature is the error boundary's business (an apology, and 200, so
 * Telegram does not redeliver an update the resident was already answered about). A failure
 * before that (the update could not even be recorded, the database is down) answers 500, so
 * Telegram delivers it again later.
 */
import { timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Update } from 'grammy/types';
import type { BotLog } from './context.js';
import type { TelegramBot } from './bot.js';

export const WEBHOOK_PATH = '/telegram/webhook';
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface TelegramWebhookOptions {
  bot: TelegramBot;
  /** TELEGRAM_WEBHOOK_SECRET: 1-256 characters A-Z a-z 0-9 _ - */
  secret: string;
  path?: string;
  log?: BotLog;
}

export function secretMatches(given: unknown, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const telegramWebhookPlugin: FastifyPluginAsync<TelegramWebhookOptions> = async (app, opts) => {
  const { bot, secret } = opts;
  if (!secret || !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
    throw new Error('TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -');
  }
  app.post(
    opts.path ?? WEBHOOK_PATH,
    { schema: { hide: true } },
    async (req, reply) => {
      if (!secretMatches(req.headers[SECRET_HEADER], secret)) {
        return reply.code(401).send({ code: 'unauthorized', message: 'wrong or missing secret token' });
      }
      const update = req.body as Update | undefined;
      if (!update || typeof update !== 'object' || !Number.isInteger(update.update_id)) {
        return reply.code(400).send({ code: 'validation_failed', message: 'not a Telegram update' });
      }
      await bot.init();
      try {
        await bot.handleUpdate(update);
      } catch (e) {
        (opts.log ?? req.log).error({ update_id: update.update_id, err: (e as Error).message }, 'telegram update not handled');
        return reply.code(500).send({ code: 'internal_error', message: 'update not handled, deliver it again' });
      }
      return reply.code(200).send({ ok: true });
    },
  );
};
