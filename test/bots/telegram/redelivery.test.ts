/**
 * An update's receipt commits with its work: a process that stops half-way through an update
 * (killed, out of memory, a handler that failed without an answer) leaves no receipt, so
 * Telegram's redelivery is handled, and a report it did file is not filed or answered twice.
 */
import { Bot } from 'grammy';
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/context.js';
import type { IntakeStore } from '../../../src/core/ports/intake-store.js';
import { createTelegramBot } from '../../../src/bots/telegram/bot.js';
import { FILED_REPLY_GRACE_MS } from '../../../src/core/residents/file-resident-report.js';
import type { BotContext } from '../../../src/bots/telegram/context.js';
import { dedupeUpdates } from '../../../src/bots/telegram/dedupe.js';
import { telegramWebhookPlugin } from '../../../src/bots/telegram/webhook.js';
import { makeTestApp } from '../../helpers/app.js';
import { startTelegramHarness, TG_SECRET, TG_TOKEN, telegramText, telegramUser, type Harness } from '../../helpers/telegram.js';

let h: Harness;
beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

const LEAK = '楼上漏水了，水从天花板流下来';
const filedReplies = (userId: number) => h.fake.botMessages(userId).filter((m) => /T\d{8}-\d{4}/.test(m.text ?? ''));

/** The same database seen by a process whose filing never finishes: it is killed before the commit. */
function processKilledWhileFiling(core: Core): { core: Core; reached: Promise<void> } {
  let reached!: () => void;
  const reachedP = new Promise<void>((r) => {
    reached = r;
  });
  const intake: IntakeStore = Object.create(core.stores.intake);
  intake.file = () => {
    reached();
    return new Promise(() => {});
  };
  return { core: { ...core, stores: { ...core.stores, intake } }, reached: reachedP };
}

describe('an update whose handling was cut short', () => {
  it('is handled when Telegram delivers it again: a leak report killed before its ticket was stored is filed and answered once', async () => {
    const u = telegramUser(4101);
    await h.say(u, '/bind 1010000000 1590');
    const update = telegramText(u, LEAK);
    h.fake.userMessage(update.message as never);
    const before = await h.core.db.ticket.count();

    // the first process takes the update and dies while filing: no answer, no 200
    const killed = processKilledWhileFiling(h.core);
    const dying = createTelegramBot({ core: killed.core, token: TG_TOKEN, apiRoot: h.fake.apiRoot, retry: false });
    await dying.init();
    void dying.handleUpdate(update);
    await killed.reached;

    // the restarted service gets Telegram's redelivery
    expect((await h.post(update)).statusCode).toBe(200);
    expect(await h.core.db.ticket.count()).toBe(before + 1);
    expect(filedReplies(u.id)).toHaveLength(1);

    // and a later copy is a replay: nothing filed, nothing said
    expect((await h.post(update)).statusCode).toBe(200);
    expect(await h.core.db.ticket.count()).toBe(before + 1);
    expect(filedReplies(u.id)).toHaveLength(1);
  });

  it('is not filed or answered again when the process stopped after the report was stored', async () => {
    const u = telegramUser(4102);
    await h.say(u, '/bind 1010007920 9139');
    const update = telegramText(u, LEAK);
    expect((await h.post(update)).statusCode).toBe(200);
    const filed = await h.core.db.ticket.count();
    expect(filedReplies(u.id)).toHaveLength(1);
    // as if the process died after the commit, before the update's work was done: only the
    // receipt the filing stored remains, and the redelivery finds it
    expect(await h.core.db.inboundReceipt.count({ where: { key: `telegram:${update.update_id}` } })).toBe(1);
    expect((await h.post(update)).statusCode).toBe(200);
    expect(await h.core.db.ticket.count()).toBe(filed);
    expect(filedReplies(u.id)).toHaveLength(1);
  });

  it('leaves no receipt when the handler throws, so the redelivery runs it again', async () => {
    const bot = new Bot<BotContext>(TG_TOKEN, { client: { apiRoot: h.fake.apiRoot } });
    const runs: number[] = [];
    bot.use(dedupeUpdates(h.core, { info() {}, warn() {}, error() {} }));
    bot.on('message', async (ctx) => {
      runs.push(ctx.update.update_id);
      if (runs.length === 1) throw new Error('the database went away before the work was done');
      await ctx.reply('done');
    });
    const { app } = await makeTestApp({ plugins: [{ plugin: telegramWebhookPlugin, options: { bot, secret: TG_SECRET } }] }, h.core);
    try {
      const update: Update = telegramText(telegramUser(4103), 'hello');
      const post = () => app.inject({ method: 'POST', url: '/telegram/webhook', headers: { 'x-telegram-bot-api-secret-token': TG_SECRET }, payload: update });
      expect((await post()).statusCode).toBe(500);
      expect((await post()).statusCode).toBe(200);
      expect((await post()).statusCode).toBe(200);
      expect(runs).toEqual([update.update_id, update.update_id]);
      expect(h.fake.botMessages(4103).map((m) => m.text)).toEqual(['done']);
    } finally {
      await app.close();
    }
  });

  it('tells the resident their number through the outbox when the process stopped after the report was stored, before the reply (R3)', async () => {
    const u = telegramUser(4104);
    await h.say(u, '/bind 1010015840 8194');
    const update = telegramText(u, LEAK);
    h.fake.userMessage(update.message as never);
    // the process stops right after the filing's commit: the bot's own reply never goes
    let stored!: () => void;
    const storedP = new Promise<void>((r) => {
      stored = r;
    });
    const intake: IntakeStore = Object.create(h.core.stores.intake);
    intake.file = async (f) => {
      const t = await h.core.stores.intake.file(f);
      stored();
      await new Promise(() => {});
      return t;
    };
    const dying = createTelegramBot({ core: { ...h.core, stores: { ...h.core.stores, intake } }, token: TG_TOKEN, apiRoot: h.fake.apiRoot, retry: false });
    await dying.init();
    void dying.handleUpdate(update);
    await storedP;

    // the restarted service finds the redelivery a replay: nothing is said at once
    expect((await h.post(update)).statusCode).toBe(200);
    expect(filedReplies(u.id)).toHaveLength(0);
    // the confirmation owed with the ticket falls due after its grace, and goes out once
    h.core.clock.advance(FILED_REPLY_GRACE_MS);
    await h.drain();
    expect(filedReplies(u.id)).toHaveLength(1);
    h.core.clock.advance(FILED_REPLY_GRACE_MS);
    await h.drain();
    expect(filedReplies(u.id)).toHaveLength(1);
  });

  it('does not send the number a second time once the bot has answered it itself', async () => {
    const u = telegramUser(4105);
    await h.say(u, '/bind 1010031680 2319');
    expect((await h.post(telegramText(u, LEAK))).statusCode).toBe(200);
    expect(filedReplies(u.id)).toHaveLength(1);
    h.core.clock.advance(2 * FILED_REPLY_GRACE_MS);
    await h.drain();
    expect(filedReplies(u.id)).toHaveLength(1);
  });

  it('leaves a report the database could not take for Telegram to deliver again (503), and files it then, without an apology in between', async () => {
    const u = telegramUser(4106);
    await h.say(u, '/bind 1010039600 2527');
    const update = telegramText(u, LEAK);
    // the database is busy past its timeout for the first filing only
    let busy = true;
    const intake: IntakeStore = Object.create(h.core.stores.intake);
    intake.file = (f) => {
      if (busy) {
        busy = false;
        return Promise.reject(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
      }
      return h.core.stores.intake.file(f);
    };
    const bot = createTelegramBot({
      core: { ...h.core, stores: { ...h.core.stores, intake } },
      token: TG_TOKEN,
      apiRoot: h.fake.apiRoot,
      retry: false,
      redelivered: true,
    });
    const { app } = await makeTestApp({ plugins: [{ plugin: telegramWebhookPlugin, options: { bot, secret: TG_SECRET } }] }, h.core);
    try {
      h.fake.userMessage(update.message as never);
      const post = () => app.inject({ method: 'POST', url: '/telegram/webhook', headers: { 'x-telegram-bot-api-secret-token': TG_SECRET }, payload: update });
      const said = h.botTexts(u).length;
      const first = await post();
      expect([first.statusCode, JSON.parse(first.body).code]).toEqual([503, 'database_unavailable']);
      expect(h.botTexts(u).length).toBe(said);
      expect((await post()).statusCode).toBe(200);
      expect(filedReplies(u.id)).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('apologises at once with long polling, where no second delivery comes', async () => {
    const u = telegramUser(4107);
    await h.say(u, '/bind 1010047520 1471');
    const intake: IntakeStore = Object.create(h.core.stores.intake);
    intake.file = () => Promise.reject(Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }));
    const bot = createTelegramBot({ core: { ...h.core, stores: { ...h.core.stores, intake } }, token: TG_TOKEN, apiRoot: h.fake.apiRoot, retry: false });
    await bot.init();
    const update = telegramText(u, LEAK);
    h.fake.userMessage(update.message as never);
    await bot.handleUpdate(update);
    expect(h.lastText(u)).toContain(h.core.org.config.company.hotline);
  });
});
