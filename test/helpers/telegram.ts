/**
 * Named builders for Telegram updates, and a harness that drives the residents' bot end to end:
 * updates go in through POST /telegram/webhook (app.inject, with the secret header), the bot
 * talks to a fake Bot API on 127.0.0.1, tickets live in the real test database, and the outbox
 * worker delivers the bot's later messages to the same fake.
 */
import type { FastifyInstance } from 'fastify';
import type { Update } from 'grammy/types';
import { createTelegramBot, type TelegramBot } from '../../src/bots/telegram/bot.js';
import { readPrompt } from '../../src/bots/telegram/prompts.js';
import type { TextClassifier } from '../../src/bots/telegram/classifier.js';
import { createClassifier } from '../../src/core/classify/index.js';
import type { BotLog } from '../../src/bots/telegram/context.js';
import { TelegramDeliverer } from '../../src/bots/telegram/deliverer.js';
import { telegramWebhookPlugin, WEBHOOK_PATH } from '../../src/bots/telegram/webhook.js';
import { OutboxWorker } from '../../src/delivery/outbox-worker.js';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { FAKE_BOT, FakeTelegramApi, type FakeTelegramMessage } from '../../tools/dev/fake-telegram-api.js';
import { makeTestApp } from './app.js';
import { makeTestCore, type TestCore } from './core.js';

export const TG_TOKEN = '123456:TEST-token';
export const TG_SECRET = 'test_webhook_secret-0123456789abcdef';

export interface TgUser {
  id: number;
  is_bot: false;
  first_name: string;
  language_code?: string;
}

let updateSeq = 10_000;
let messageSeq = 1;
const nextUpdateId = () => ++updateSeq;
const nextMessageId = () => ++messageSeq;
const now = () => Math.floor(Date.now() / 1000);

/** A person on Telegram; `languageCode` is what their app is set to. */
export function telegramUser(id: number, opts: { firstName?: string; languageCode?: string } = {}): TgUser {
  return {
    id,
    is_bot: false,
    first_name: opts.firstName ?? `Resident${id}`,
    ...(opts.languageCode ? { language_code: opts.languageCode } : { language_code: 'zh-hans' }),
  };
}

const privateChat = (user: TgUser) => ({ id: user.id, type: 'private' as const, first_name: user.first_name });

function commandEntities(text: string) {
  const m = /^\/[A-Za-z0-9_]+(@\w+)?/.exec(text);
  return m ? { entities: [{ type: 'bot_command' as const, offset: 0, length: m[0].length }] } : {};
}

type Reply = { replyTo?: FakeTelegramMessage };

function baseMessage(user: TgUser, opts: Reply & { chat?: { id: number; type: string; title?: string } } = {}) {
  return {
    message_id: nextMessageId(),
    date: now(),
    chat: opts.chat ?? privateChat(user),
    from: user,
    ...(opts.replyTo ? { reply_to_message: stripReply(opts.replyTo) } : {}),
  };
}

function stripReply(m: FakeTelegramMessage) {
  const { reply_to_message: _drop, ...rest } = m;
  return rest;
}

/** A text message (commands get their bot_command entity, as Telegram sends them). */
export function telegramText(user: TgUser, text: string, opts: Reply = {}): Update {
  return { update_id: nextUpdateId(), message: { ...baseMessage(user, opts), text, ...commandEntities(text) } } as Update;
}

/** A photo, with or without a caption. */
export function telegramPhoto(user: TgUser, opts: Reply & { caption?: string; fileId?: string } = {}): Update {
  const fileId = opts.fileId ?? `photo-${nextMessageId()}`;
  return {
    update_id: nextUpdateId(),
    message: {
      ...baseMessage(user, opts),
      photo: [
        { file_id: `${fileId}-small`, file_unique_id: `${fileId}-s`, width: 90, height: 67 },
        { file_id: fileId, file_unique_id: `${fileId}-l`, width: 1280, height: 960 },
      ],
      ...(opts.caption ? { caption: opts.caption } : {}),
    },
  } as Update;
}

export function telegramSticker(user: TgUser): Update {
  return {
    update_id: nextUpdateId(),
    message: {
      ...baseMessage(user),
      sticker: { file_id: 'sticker-1', file_unique_id: 'st1', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍' },
    },
  } as Update;
}

export function telegramVoice(user: TgUser): Update {
  return { update_id: nextUpdateId(), message: { ...baseMessage(user), voice: { file_id: 'voice-1', file_unique_id: 'v1', duration: 4 } } } as Update;
}

/** A shared contact; `own` false shares someone else's card. */
export function telegramContact(user: TgUser, phone: string, opts: { own?: boolean } = {}): Update {
  return {
    update_id: nextUpdateId(),
    message: { ...baseMessage(user), contact: { phone_number: phone, first_name: user.first_name, user_id: opts.own === false ? user.id + 1 : user.id } },
  } as Update;
}

export function telegramEdited(user: TgUser, text: string): Update {
  return { update_id: nextUpdateId(), edited_message: { ...baseMessage(user), text, edit_date: now() } } as Update;
}

/** A message in a group the bot was added to. */
export function telegramGroupText(user: TgUser, text: string, groupId = -100_123): Update {
  return {
    update_id: nextUpdateId(),
    message: { ...baseMessage(user, { chat: { id: groupId, type: 'supergroup', title: 'Building 17' } }), text, ...commandEntities(text) },
  } as Update;
}

/** A tap on an inline button of `message` (as the fake Bot API keeps it, with its reply_to_message). */
export function telegramCallback(user: TgUser, data: string, message: FakeTelegramMessage): Update {
  return {
    update_id: nextUpdateId(),
    callback_query: { id: `cq-${nextUpdateId()}`, from: user, chat_instance: `ci-${message.chat.id}`, message, data },
  } as unknown as Update;
}

/** An update of a kind the bot does not handle (a poll's new state). */
export function telegramUnknownUpdate(): Update {
  return {
    update_id: nextUpdateId(),
    poll: { id: 'p1', question: 'q', options: [], total_voter_count: 0, is_closed: false, is_anonymous: true, type: 'regular', allows_multiple_answers: false },
  } as unknown as Update;
}

export interface Harness {
  core: TestCore;
  app: FastifyInstance;
  fake: FakeTelegramApi;
  bot: TelegramBot;
  worker: OutboxWorker;
  /** POST one update to the webhook, with the right secret unless told otherwise */
  post(update: Update, headers?: Record<string, string>): Promise<{ statusCode: number; body: string }>;
  /** the person writes a plain message */
  say(user: TgUser, text: string): Promise<void>;
  /** the person answers the bot's last question with Telegram's reply feature (a plain answer is `say`) */
  answer(user: TgUser, text: string): Promise<void>;
  /** the person taps the button whose label contains `label` on the newest bot message that has one */
  tap(user: TgUser, label: string): Promise<Update>;
  /** what the bot has said in the person's chat, oldest first */
  botTexts(user: TgUser): string[];
  lastText(user: TgUser): string;
  /** the newest bot message in the chat */
  last(user: TgUser): FakeTelegramMessage;
  /** deliver the outbox to the fake */
  drain(): Promise<number>;
  close(): Promise<void>;
}

let trained: TextClassifier | undefined;
/** The classifier production runs (trained from data-corpus once per test process), not the keyword fallback. */
export function productionClassifier(): TextClassifier {
  trained ??= createClassifier();
  return trained;
}

export async function startTelegramHarness(opts: { classifier?: TextClassifier; seed?: boolean; log?: BotLog; org?: unknown } = {}): Promise<Harness> {
  const fake = await FakeTelegramApi.start();
  const core = await makeTestCore({ org: opts.org });
  if (opts.seed !== false) await seedDemoCustomers(core);
  const classifier = opts.classifier ?? productionClassifier();
  const bot = createTelegramBot({ core, token: TG_TOKEN, apiRoot: fake.apiRoot, classifier, log: opts.log, retry: false });
  const { app } = await makeTestApp({ plugins: [{ plugin: telegramWebhookPlugin, options: { bot, secret: TG_SECRET } }] }, core);
  const worker = new OutboxWorker({
    outbox: core.stores.outbox,
    clock: core.clock,
    deliverers: { telegram: new TelegramDeliverer({ core, token: TG_TOKEN, apiRoot: fake.apiRoot }) },
  });

  const post = async (update: Update, headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': TG_SECRET }) => {
    // The outbox worker runs at once after every change in the service: what earlier steps owed
    // the resident is out before they write again, and what this update owes (a filed report's
    // number) right after it.
    await worker.drain();
    if (update.message) fake.userMessage(update.message as unknown as FakeTelegramMessage);
    const res = await app.inject({ method: 'POST', url: WEBHOOK_PATH, headers, payload: update });
    await worker.drain();
    return { statusCode: res.statusCode, body: res.body };
  };
  const expectOk = async (update: Update) => {
    const res = await post(update);
    if (res.statusCode !== 200) throw new Error(`webhook answered ${res.statusCode}: ${res.body}`);
  };
  const botTexts = (user: TgUser) => fake.botMessages(user.id).map((m) => m.text ?? m.caption ?? '');
  const last = (user: TgUser) => {
    const list = fake.botMessages(user.id);
    if (!list.length) throw new Error(`the bot has said nothing to ${user.id}`);
    return list[list.length - 1];
  };

  return {
    core,
    app,
    fake,
    bot,
    worker,
    post,
    say: (user, text) => expectOk(telegramText(user, text)),
    answer: async (user, text) => {
      // a question asked with ForceReply, or with a reply keyboard (the address question's phone button)
      const asked = [...fake.botMessages(user.id)].reverse().find((m) => m.reply_markup?.force_reply || readPrompt(m.text));
      if (!asked) throw new Error('the bot asked no question');
      await expectOk(telegramText(user, text, { replyTo: asked }));
    },
    tap: async (user, label) => {
      for (const m of [...fake.botMessages(user.id)].reverse()) {
        const button = (m.reply_markup?.inline_keyboard ?? []).flat().find((b: { text: string }) => b.text.includes(label));
        if (button) {
          const update = telegramCallback(user, button.callback_data, fake.message(user.id, m.message_id)!);
          await expectOk(update);
          return update;
        }
      }
      throw new Error(`no button "${label}" in the chat; the bot said:\n${botTexts(user).join('\n---\n')}`);
    },
    botTexts,
    lastText: (user) => {
      const m = last(user);
      return m.text ?? m.caption ?? '';
    },
    last,
    drain: () => worker.drain(),
    close: async () => {
      await app.close();
      await fake.close();
      await core.close();
    },
  };
}

/** The inline buttons of a message: what the person can tap. */
export function buttonsOf(m: FakeTelegramMessage): { text: string; callback_data: string }[] {
  return (m.reply_markup?.inline_keyboard ?? []).flat();
}

/**
 * Links the person to a demo account (王秀兰's by default) the way that needs nobody's yes, however
 * many residents have linked it already: sharing their own contact with the account's phone
 * number (every demo account has its own). `/bind <account> <digits>` lets a second resident of
 * an account in only once one already linked allows it.
 */
export async function bindByPhone(h: Harness, user: TgUser, account = '1010000000'): Promise<void> {
  const customer = await h.core.stores.customers.byAccount(account);
  if (!customer) throw new Error(`no demo account ${account}`);
  const res = await h.post(telegramContact(user, customer.phone));
  if (res.statusCode !== 200) throw new Error(`webhook answered ${res.statusCode}: ${res.body}`);
}

export { FAKE_BOT };
