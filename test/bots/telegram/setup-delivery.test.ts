/**
 * Start-up against the Bot API (commands in both languages, the webhook with its secret,
 * long polling with per-chat order) and the outbox's Telegram deliveries under faults.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTelegramBot } from '../../../src/bots/telegram/bot.js';
import { setupTelegram, startTelegramPolling } from '../../../src/bots/telegram/setup.js';
import { MINUTE } from '../../../src/core/clock.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { bindByPhone, startTelegramHarness, telegramText, telegramUser, TG_SECRET, TG_TOKEN, type Harness } from '../../helpers/telegram.js';

let h: Harness;
const numberIn = (text: string) => /[TSQP]\d{8}-\d{4}/.exec(text)?.[0] ?? '';

beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

describe('setupTelegram', () => {
  it('registers the commands in zh-CN and English, and the webhook with its secret when PUBLIC_URL is set', async () => {
    h.fake.clearCalls();
    const res = await setupTelegram({ bot: h.bot, publicUrl: 'https://heating.example.org/', secret: TG_SECRET });
    expect(res.webhookUrl).toBe('https://heating.example.org/telegram/webhook');
    const commands = h.fake.callsOf('setMyCommands');
    expect(commands.map((c) => c.params.language_code)).toEqual([undefined, 'zh', 'en']);
    expect(commands[0].params.commands).toContainEqual({ command: 'report', description: '报修或投诉' });
    expect(commands[2].params.commands).toContainEqual({ command: 'report', description: 'Report a problem or complain' });
    expect(h.fake.webhook).toMatchObject({ url: 'https://heating.example.org/telegram/webhook', secret_token: TG_SECRET });
    expect(h.fake.webhook?.allowed_updates).toContain('callback_query');
  });

  it('without PUBLIC_URL sets no webhook', async () => {
    h.fake.clearCalls();
    expect((await setupTelegram({ bot: h.bot })).webhookUrl).toBeNull();
    expect(h.fake.callsOf('setWebhook')).toEqual([]);
  });
});

describe('long polling (TELEGRAM_MODE=polling)', () => {
  it('removes the webhook, handles fetched updates in order per chat, and stops cleanly', async () => {
    const bot = createTelegramBot({ core: h.core, token: TG_TOKEN, apiRoot: h.fake.apiRoot, retry: false });
    const u = telegramUser(9001);
    const runner = await startTelegramPolling(bot);
    try {
      expect(h.fake.callsOf('deleteWebhook')).not.toEqual([]);
      h.fake.queueUpdate(telegramText(u, '/bind 1010000000 1590'));
      h.fake.queueUpdate(telegramText(u, '/status'));
      await h.fake.waitForCall((c) => c.method === 'sendMessage' && Number(c.params.chat_id) === u.id && String(c.params.text).startsWith('您目前没有'));
      expect(h.botTexts(u)).toEqual([expect.stringContaining('绑定成功'), '您目前没有处理中的工单。有问题随时告诉我。']);
    } finally {
      await runner.stop();
    }
  });
});

describe('outbox deliveries to Telegram', () => {
  async function acceptedReport(userId: number) {
    const u = telegramUser(userId);
    await bindByPhone(h, u);
    await h.say(u, '家里暖气不热');
    await h.tap(u, '提交');
    const number = numberIn(h.lastText(u));
    await transitionTicket(h.core, { number, action: 'accept', actor: 'staff:xincheng-field1' });
    const row = await h.core.db.outboxMessage.findFirstOrThrow({ where: { platform: 'telegram', target: String(u.id), kind: 'resident_update' } });
    return { u, number, row };
  }

  it('waits retry_after on a 429 and then delivers', async () => {
    const { u, number, row } = await acceptedReport(9101);
    h.fake.failNext('sendMessage', { status: 429, retryAfterSec: 30 });
    await h.drain();
    const waiting = await h.core.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(waiting).toMatchObject({ state: 'pending', attempts: 1 });
    expect(waiting.nextAt.getTime() - h.core.clock.now().getTime()).toBeGreaterThanOrEqual(30_000);
    h.core.clock.advance(MINUTE);
    await h.drain();
    expect((await h.core.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).state).toBe('sent');
    expect(h.lastText(u)).toMatch(new RegExp(`^${number}：工作人员已接单（14:00）。\n上门师傅：`));
    h.core.clock.set('2026-11-28T06:00:00Z');
  });

  it("under a share of 429s (the fake's fault mode) every message still arrives, once", async () => {
    const { u, row } = await acceptedReport(9104);
    let n = 0;
    h.fake.faults = { rateLimitRate: 0.5, retryAfterSec: 2, methods: ['sendMessage'], random: () => (n++ % 2 === 0 ? 0 : 0.9) };
    try {
      await h.drain();
      h.core.clock.advance(MINUTE);
      await h.drain();
    } finally {
      h.fake.faults = {};
      h.core.clock.set('2026-11-28T06:00:00Z');
    }
    expect((await h.core.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).state).toBe('sent');
    expect(h.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === u.id && c.status === 429)).toHaveLength(1);
    expect(h.botTexts(u).filter((t) => t.includes('工作人员已接单'))).toHaveLength(1);
  });

  it('retries after a 500', async () => {
    const { row } = await acceptedReport(9102);
    h.fake.failNext('sendMessage', { status: 500 });
    await h.drain();
    expect((await h.core.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).state).toBe('pending');
    h.core.clock.advance(10 * MINUTE);
    await h.drain();
    expect((await h.core.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).state).toBe('sent');
    h.core.clock.set('2026-11-28T06:00:00Z');
  });

  it('gives up at once on a resident who blocked the bot', async () => {
    const { u, row } = await acceptedReport(9103);
    h.fake.blockChat(u.id);
    await h.drain();
    const dead = await h.core.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect(dead.state).toBe('dead');
    expect(dead.lastError).toContain('403');
  });
});
