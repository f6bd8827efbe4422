/**
 * Both bots on one core: the residents' Telegram bot and the staff Slack app in one Fastify app
 * over one test database, each behind its fake platform (tools/dev/fake-telegram-api.ts,
 * fake-slack-api.ts), and one outbox worker with both deliverers; the Slack app fetches residents'
 * files from the fake Telegram as main.ts wires it. Tests read as the conversation goes: a resident
 * sends a photo, the card's thread has it; a staff member replies in the thread, the resident's
 * chat has it.
 */
import type { FastifyInstance } from 'fastify';
import type { Update } from 'grammy/types';
import { createSlackApp, type SlackApp } from '../../src/bots/slack/index.js';
import { createTelegramBot, type TelegramBot } from '../../src/bots/telegram/bot.js';
import { TelegramDeliverer } from '../../src/bots/telegram/deliverer.js';
import { TelegramFiles } from '../../src/bots/telegram/resident-files.js';
import { telegramWebhookPlugin, WEBHOOK_PATH } from '../../src/bots/telegram/webhook.js';
import type { Ticket } from '../../src/core/model.js';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { OutboxWorker } from '../../src/delivery/outbox-worker.js';
import { FakeSlackApi, type FakeSlackMessage } from '../../tools/dev/fake-slack-api.js';
import { FakeTelegramApi, type FakeTelegramMessage } from '../../tools/dev/fake-telegram-api.js';
import { makeTestApp } from './app.js';
import { makeTestCore, type TestCore } from './core.js';
import { BOT_TOKEN, signed, SIGNING_SECRET, slackEvent, textOf } from './slack.js';
import { productionClassifier, telegramCallback, telegramText, TG_SECRET, TG_TOKEN, type TgUser } from './telegram.js';

export interface Conversation {
  core: TestCore;
  app: FastifyInstance;
  tg: FakeTelegramApi;
  slack: FakeSlackApi;
  bot: TelegramBot;
  slackApp: SlackApp;
  worker: OutboxWorker;
  /** the resident sends an update (a message, a photo, a tap); the outbox is delivered before and after */
  resident(update: Update): Promise<void>;
  /** the resident writes a plain message */
  say(user: TgUser, text: string): Promise<void>;
  /** the resident taps the button whose label contains `label` on the newest bot message that has one */
  tap(user: TgUser, label: string): Promise<void>;
  /** what the bot said in the resident's chat, oldest first */
  chat(user: TgUser): string[];
  /** the resident's newest ticket */
  ticketOf(user: TgUser): Promise<Ticket>;
  /** the ticket's dispatch card as staff see it now */
  card(ticketId: number): Promise<FakeSlackMessage>;
  /** the card's thread: each reply's text as staff read it (files by name), oldest first */
  thread(ticketId: number): Promise<string[]>;
  /** a Slack Events API event, signed; waits until the app has handled it, then delivers the outbox */
  slackEvent(event: Record<string, unknown>, o?: { eventId?: string }): Promise<void>;
  /** a Slack interaction (button, modal submission), signed; then delivers the outbox */
  slackInteraction(payload: Record<string, unknown>): Promise<void>;
  /** a staff member (by Slack user id) writes in the ticket card's thread */
  replyInThread(slackUser: string, ticketId: number, text: string, extra?: Record<string, unknown>): Promise<void>;
  drain(): Promise<number>;
  close(): Promise<void>;
}

let tsSeq = 0;

export async function startConversation(): Promise<Conversation> {
  const tg = await FakeTelegramApi.start();
  const core = await makeTestCore();
  // Slack's message ts follow the test clock, as Slack's follow real time: the outbox's look
  // before posting again reads the thread back from when the row was owed
  const slack = await FakeSlackApi.start({ now: () => core.clock.now().getTime() });
  await seedDemoCustomers(core);
  const bot = createTelegramBot({ core, token: TG_TOKEN, apiRoot: tg.apiRoot, classifier: productionClassifier(), retry: false });
  const slackApp = createSlackApp({
    core,
    token: BOT_TOKEN,
    signingSecret: SIGNING_SECRET,
    apiUrl: slack.url,
    files: new TelegramFiles({ token: TG_TOKEN, apiRoot: tg.apiRoot }),
  });
  const { app } = await makeTestApp({ plugins: [{ plugin: telegramWebhookPlugin, options: { bot, secret: TG_SECRET } }, { plugin: slackApp.plugin }] }, core);
  const worker = new OutboxWorker({
    outbox: core.stores.outbox,
    clock: core.clock,
    deliverers: { slack: slackApp.deliverer, telegram: new TelegramDeliverer({ core, token: TG_TOKEN, apiRoot: tg.apiRoot }) },
  });

  const resident = async (update: Update) => {
    await worker.drain();
    if (update.message) tg.userMessage(update.message as unknown as FakeTelegramMessage);
    const res = await app.inject({ method: 'POST', url: WEBHOOK_PATH, headers: { 'x-telegram-bot-api-secret-token': TG_SECRET }, payload: update });
    if (res.statusCode !== 200) throw new Error(`webhook answered ${res.statusCode}: ${res.body}`);
    await worker.drain();
  };
  const postSlack = async (payload: string, contentType: string) => {
    const ts = Math.floor(core.clock.now().getTime() / 1000);
    const res = await app.inject({
      method: 'POST',
      url: '/slack/events',
      headers: { 'content-type': contentType, ...signed(payload, SIGNING_SECRET, ts) },
      payload,
    });
    if (res.statusCode !== 200) throw new Error(`slack events answered ${res.statusCode}: ${res.body}`);
    await slackApp.idle();
    await worker.drain();
  };
  const cardRow = async (ticketId: number) => {
    const row = await core.stores.outbox.cardOf(ticketId, 'dispatch');
    if (!row) throw new Error(`no dispatch card for ticket ${ticketId}`);
    return row;
  };

  const c: Conversation = {
    core,
    app,
    tg,
    slack,
    bot,
    slackApp,
    worker,
    resident,
    say: (user, text) => resident(telegramText(user, text)),
    tap: async (user, label) => {
      for (const m of [...tg.botMessages(user.id)].reverse()) {
        const b = (m.reply_markup?.inline_keyboard ?? []).flat().find((x: { text: string }) => x.text.includes(label));
        if (b) return resident(telegramCallback(user, b.callback_data, tg.message(user.id, m.message_id)!));
      }
      throw new Error(`no button "${label}"; the bot said:\n${c.chat(user).join('\n---\n')}`);
    },
    chat: (user) => tg.botMessages(user.id).map((m) => m.text ?? m.caption ?? ''),
    ticketOf: async (user) => {
      const r = await core.db.resident.findFirst({ where: { telegramUserId: String(user.id) } });
      const t = r ? await core.db.ticket.findFirst({ where: { residentId: r.id }, orderBy: { id: 'desc' } }) : null;
      if (!t) throw new Error(`resident ${user.id} has no ticket`);
      return (await core.stores.views.ticketById(t.id))!;
    },
    card: async (ticketId) => {
      const row = await cardRow(ticketId);
      const m = slack.message(row.channel, row.ts);
      if (!m) throw new Error(`the fake Slack has no card ${row.channel}/${row.ts}`);
      return m;
    },
    thread: async (ticketId) => {
      const row = await cardRow(ticketId);
      return slack.thread(row.channel, row.ts).map((m) => (m.files?.length ? `[file ${m.files.map((f) => f.name).join(', ')}]` : textOf(m)));
    },
    slackEvent: (event, o) => postSlack(JSON.stringify(slackEvent(event, o)), 'application/json'),
    slackInteraction: (payload) => postSlack(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded'),
    replyInThread: async (slackUser, ticketId, text, extra = {}) => {
      const row = await cardRow(ticketId);
      tsSeq++;
      const ts = `${Number(row.ts.split('.')[0]) + 100 + tsSeq}.${String(tsSeq).padStart(6, '0')}`;
      await c.slackEvent({ type: 'message', channel: row.channel, channel_type: 'channel', user: slackUser, text, ts, thread_ts: row.ts, ...extra });
    },
    drain: () => worker.drain(),
    close: async () => {
      await slackApp.idle();
      await app.close();
      await tg.close();
      await slack.close();
      await core.close();
    },
  };
  return c;
}
