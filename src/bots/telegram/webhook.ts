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
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from '../../http/error-handler.js';

export const WEBHOOK_PATH = '/telegram/webhook';
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface TelegramWebhookOptions {
  bot: TelegramBot;
  /** TELEGRAM_WEBHOOK_SECRET: 1-256 characters A-Z a-z 0-9 _ - */
  secret: string;
  path?: string;
  log?: BotLog;
}

/**
 * The parts of an update the bot reads, with their types (additional fields are Telegram's
 * business and pass). A body that is not shaped like this is refused with 400 before the bot
 * sees it: it would fail inside the bot, answer 500, and be delivered again forever.
 */
const user = {
  type: 'object',
  required: ['id'],
  properties: {
    id: { type: 'integer' },
    is_bot: { type: 'boolean' },
    first_name: { type: 'string' },
    last_name: { type: 'string' },
    username: { type: 'string' },
    language_code: { type: 'string' },
  },
};
const entities = {
  type: 'array',
  items: {
    type: 'object',
    required: ['type', 'offset', 'length'],
    properties: { type: { type: 'string' }, offset: { type: 'integer' }, length: { type: 'integer' } },
  },
};
const messageFields = {
  message_id: { type: 'integer' },
  date: { type: 'integer' },
  chat: { type: 'object', required: ['id', 'type'], properties: { id: { type: 'integer' }, type: { type: 'string' } } },
  from: user,
  text: { type: 'string' },
  caption: { type: 'string' },
  entities,
  caption_entities: entities,
  photo: {
    type: 'array',
    items: { type: 'object', required: ['file_id'], properties: { file_id: { type: 'string' }, width: { type: 'integer' }, height: { type: 'integer' } } },
  },
  contact: { type: 'object', required: ['phone_number'], properties: { phone_number: { type: 'string' }, user_id: { type: 'integer' } } },
};
const message = {
  type: 'object',
  required: ['message_id', 'chat'],
  properties: { ...messageFields, reply_to_message: { type: 'object', required: ['message_id', 'chat'], properties: messageFields } },
};
export const UPDATE_SCHEMA = {
  type: 'object',
  required: ['update_id'],
  properties: {
    update_id: { type: 'integer' },
    message,
    edited_message: message,
    callback_query: { type: 'object', required: ['id', 'from'], properties: { id: { type: 'string' }, from: user, data: { type: 'string' }, message } },
    my_chat_member: { type: 'object', required: ['chat', 'from'], properties: { chat: messageFields.chat, from: user } },
  },
} as const;

/** The kinds of update the bot acts on (setup.ts's ALLOWED_UPDATES). */
const HANDLED = Object.keys(UPDATE_SCHEMA.properties).filter((k) => k !== 'update_id');

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
    {
      schema: { hide: true, body: UPDATE_SCHEMA },
      // the secret before anything else, even before the body is read and checked
      onRequest: async (req, reply) => {
        if (!secretMatches(req.headers[SECRET_HEADER], secret)) {
          return reply.code(401).send({ code: 'unauthorized', message: 'wrong or missing secret token' });
        }
      },
    },
    async (req, reply) => {
      const update = req.body as Update;
      // a kind of update the bot does not act on: politely ignored, nothing stored
      if (!HANDLED.some((kind) => kind in update)) return reply.code(200).send({ ok: true });
      await bot.init();
      try {
        await bot.handleUpdate(update);
      } catch (e) {
        (opts.log ?? req.log).error({ update_id: update.update_id, err: (e as Error).message }, 'telegram update not handled');
        if (isDatabaseUnavailable(e)) return reply.code(503).header('retry-after', '1').send(DATABASE_UNAVAILABLE);
        return reply.code(500).send({ code: 'internal_error', message: 'update not handled, deliver it again' });
      }
      return reply.code(200).send({ ok: true });
    },
  );
};
