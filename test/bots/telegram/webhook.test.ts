/** The webhook door and everything that is not a feature: secret, duplicates, odd updates, failures. */
import Fastify from 'fastify';
import { makeTestCore } from '../../helpers/core.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../../src/bots/telegram/bot.js';
import { telegramWebhookPlugin } from '../../../src/bots/telegram/webhook.js';
import {
  startTelegramHarness,
  telegramEdited,
  telegramGroupText,
  telegramSticker,
  telegramText,
  telegramUnknownUpdate,
  telegramUser,
  telegramVoice,
  TG_SECRET,
  TG_TOKEN,
  type Harness,
} from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 7000;
const newUser = () => telegramUser(++nextUser);

beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

describe('the secret token', () => {
  it.each([
    ['missing', {}],
    ['wrong', { 'x-telegram-bot-api-secret-token': 'not-the-secret' }],
    ['almost right', { 'x-telegram-bot-api-secret-token': `${TG_SECRET.slice(0, -1)}X` }],
  ])('%s: 401 and no side effect', async (_name, headers) => {
    const u = newUser();
    h.fake.clearCalls();
    const update = telegramText(u, '楼上跑水了');
    const res = await h.post(update, headers as Record<string, string>);
    expect(res.statusCode).toBe(401);
    expect(h.fake.calls).toEqual([]);
    expect(await h.core.db.inboundReceipt.count({ where: { key: `telegram:${update.update_id}` } })).toBe(0);
    expect(await h.core.db.resident.count({ where: { telegramUserId: String(u.id) } })).toBe(0);
  });

  it('a body that is not an update is refused with 400', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/telegram/webhook',
      headers: { 'x-telegram-bot-api-secret-token': TG_SECRET },
      payload: { hello: 'world' },
    });
    expect(res.statusCode).toBe(400);
  });
});

describe('duplicates', () => {
  it('the same update delivered twice creates one ticket and one answer', async () => {
    const u = newUser();
    await h.say(u, '/bind 1010000000 1590');
    const update = telegramText(u, '厨房暖气管漏水了');
    const before = await h.core.db.ticket.count();
    expect((await h.post(update)).statusCode).toBe(200);
    expect((await h.post(update)).statusCode).toBe(200);
    expect(await h.core.db.ticket.count()).toBe(before + 1);
    expect(h.botTexts(u).filter((t) => t.includes('已为您登记'))).toHaveLength(1);
  });
});

describe('odd updates get a polite word or are ignored, never a crash', () => {
  it('a sticker', async () => {
    const u = newUser();
    await h.post(telegramSticker(u));
    expect(h.lastText(u)).toContain('我看得懂文字和照片');
  });

  it('a voice message (the hotline instead)', async () => {
    const u = newUser();
    await h.post(telegramVoice(u));
    expect(h.lastText(u)).toBe('我暂时听不了语音。请写一句话，或拨打客服热线 0471-96556。');
  });

  it('an edited message is not a new report', async () => {
    const u = newUser();
    const before = await h.core.db.ticket.count();
    await h.post(telegramEdited(u, '楼上跑水了'));
    expect(h.lastText(u)).toContain('您修改了消息');
    expect(await h.core.db.ticket.count()).toBe(before);
  });

  it('in a group, a command gets "private chats only" and other talk is ignored', async () => {
    const u = newUser();
    const groupId = -100_777;
    await h.post(telegramGroupText(u, '/start', groupId));
    expect(h.fake.botMessages(groupId).map((m) => m.text)).toEqual(['请私聊我：点我的头像，再点“发消息”。']);
    const before = await h.core.db.ticket.count();
    await h.post(telegramGroupText(u, '我家暖气不热', groupId));
    expect(h.fake.botMessages(groupId)).toHaveLength(1);
    expect(await h.core.db.ticket.count()).toBe(before);
    expect(await h.core.db.resident.count({ where: { telegramUserId: String(u.id) } })).toBe(0);
  });

  it('an update kind the bot does not handle is accepted and left alone', async () => {
    h.fake.clearCalls();
    const res = await h.post(telegramUnknownUpdate());
    expect(res.statusCode).toBe(200);
    expect(h.fake.calls).toEqual([]);
  });

  it('an unknown command gets the way to /help, not a ticket', async () => {
    const u = newUser();
    await h.say(u, '/frobnicate');
    expect(h.lastText(u)).toContain('/help');
  });

  it('a tap on a button the bot no longer knows stops the spinner politely', async () => {
    const u = newUser();
    await h.say(u, '/help');
    const { telegramCallback } = await import('../../helpers/telegram.js');
    await h.post(telegramCallback(u, 'zz:old-button', h.last(u)));
    expect(h.fake.callsOf('answerCallbackQuery').at(-1)!.params.text).toBe('这个按钮已失效，请重新操作。');
  });
});

describe('a failure before the update is recorded', () => {
  it('answers 500, so that Telegram delivers the update again', async () => {
    // a real database failure: the receipts table is gone from a database of its own
    const broken = await makeTestCore();
    await broken.db.$executeRawUnsafe('DROP TABLE "InboundReceipt"');
    const bot = createTelegramBot({ core: broken, token: TG_TOKEN, apiRoot: h.fake.apiRoot, retry: false });
    const app = Fastify();
    await app.register(telegramWebhookPlugin, { bot, secret: TG_SECRET, log: { info() {}, warn() {}, error() {} } });
    try {
      const res = await app.inject({
        method: 'POST',
        url: '/telegram/webhook',
        headers: { 'x-telegram-bot-api-secret-token': TG_SECRET },
        payload: telegramText(newUser(), '暖气不热'),
      });
      expect(res.statusCode).toBe(500);
      expect(await broken.db.ticket.count()).toBe(0);
    } finally {
      await app.close();
      await broken.close();
    }
  });
});

describe('a failure inside a handler', () => {
  it('is logged and the resident gets a short apology with the hotline; the webhook still answers 200', async () => {
    const errors: object[] = [];
    const broken = await startTelegramHarness({
      seed: false,
      classifier: {
        classify: () => {
          throw new Error('classifier exploded');
        },
      },
      log: { info() {}, warn() {}, error: (obj) => void errors.push(obj) },
    });
    try {
      const u = newUser();
      const res = await broken.post(telegramText(u, '暖气不热'));
      expect(res.statusCode).toBe(200);
      expect(broken.lastText(u)).toBe('抱歉，出了点问题，请稍后再试，或拨打客服热线 0471-96556。');
      expect(JSON.stringify(errors)).toContain('classifier exploded');
    } finally {
      await broken.close();
    }
  });
});
