/**
 * Telegram's conventions, as a resident meets them: a tap is answered before the work behind it,
 * the proposal becomes the receipt, ticket numbers are monospace (tap to copy), and the steps of
 * a ticket answer the resident's own report message. Webhook in, fake Bot API out, real database,
 * the trained classifier.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import type { FakeTelegramMessage } from '../../../tools/dev/fake-telegram-api.js';
import { bindByPhone, buttonsOf, startTelegramHarness, telegramUser, type Harness, type TgUser } from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 6600;

async function boundResident(): Promise<TgUser> {
  const u = telegramUser(++nextUser);
  await bindByPhone(h, u);
  return u;
}

const numberIn = (text: string) => /[TSQP]\d{8}-\d{4}/.exec(text)?.[0] ?? '';

/** The words the resident sees in monospace in a message. */
function monospaced(m: FakeTelegramMessage): string[] {
  const text = m.text ?? '';
  return ((m.entities as { type: string; offset: number; length: number }[] | undefined) ?? [])
    .filter((e) => e.type === 'code')
    .map((e) => text.slice(e.offset, e.offset + e.length));
}

/** The resident writes, taps Submit on the proposal; the filed number and the resident's message. */
async function fileNoHeat(u: TgUser): Promise<{ number: string; report: FakeTelegramMessage; proposal: FakeTelegramMessage }> {
  await h.say(u, '暖气不热，室温只有15度');
  const proposal = h.last(u);
  const report = proposal.reply_to_message as FakeTelegramMessage;
  await h.tap(u, '提交');
  return { number: numberIn(h.lastText(u)), report, proposal };
}

beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

describe('after Submit the proposal becomes the receipt', () => {
  it('the message with the buttons says what was filed and its number, and has no buttons left', async () => {
    const u = await boundResident();
    const { number, proposal } = await fileNoHeat(u);
    const now = h.fake.message(u.id, proposal.message_id)!;
    expect(now.text).toBe(`✅ 已提交：暖气不热 · 工单 ${number}`);
    expect(buttonsOf(now)).toEqual([]);
    // the number in the receipt is monospace too
    expect(monospaced(now)).toEqual([number]);
  });

  it('a leak tapped on the menu turns the menu into the receipt', async () => {
    const u = await boundResident();
    await h.say(u, '/report');
    const menu = h.last(u);
    await h.tap(u, '漏水');
    const number = numberIn(h.botTexts(u).find((t) => /已按紧急情况登记|工单号/.test(t)) ?? '');
    expect(number).toMatch(/^T\d{8}-\d{4}$/);
    expect(h.fake.message(u.id, menu.message_id)!.text).toBe(`✅ 已提交：跑水/漏水 · 工单 ${number}`);
  });

  it('a tap on Submit is answered before the report is filed: the phone stops spinning first', async () => {
    const u = await boundResident();
    await h.say(u, '暖气片不热，家里只有14度');
    const proposal = h.last(u);
    h.fake.clearCalls();
    await h.tap(u, '提交');
    const order = h.fake.calls.map((c) => c.method);
    expect(order[0]).toBe('answerCallbackQuery');
    expect(order.indexOf('answerCallbackQuery')).toBeLessThan(order.indexOf('sendMessage'));
    expect(order.indexOf('answerCallbackQuery')).toBeLessThan(order.indexOf('editMessageText'));
    expect(h.fake.message(u.id, proposal.message_id)!.text).toContain('已提交');
  });

  it('an English resident who files by taps reads the receipt in English', async () => {
    const u = telegramUser(++nextUser, { languageCode: 'en' });
    await bindByPhone(h, u);
    await h.say(u, '/report');
    await h.tap(u, 'No heat');
    const chosen = [...h.fake.botMessages(u.id)].reverse().find((m) => buttonsOf(m).some((b) => b.text.includes('Submit as it is')))!;
    await h.tap(u, 'Submit as it is');
    const number = numberIn(h.lastText(u));
    expect(number).toMatch(/^T\d{8}-\d{4}$/);
    expect(h.fake.message(u.id, chosen.message_id)!.text).toBe(`✅ Submitted: No heat · ticket ${number}`);
  });
});

describe('ticket numbers are monospace', () => {
  it('in the bot’s own reply with the number, and in a step update the outbox delivers', async () => {
    const u = await boundResident();
    const { number } = await fileNoHeat(u);
    const filed = h.last(u);
    expect(filed.text).toContain(number);
    expect(monospaced(filed)).toEqual([number]);

    h.core.clock.advance(5 * MINUTE);
    await transitionTicket(h.core, { number, action: 'accept', actor: 'staff:xincheng-field1' });
    await h.drain();
    const update = h.last(u);
    expect(update.text).toContain(number);
    expect(monospaced(update)).toEqual([number]);
  });
});

describe('step updates answer the resident’s original report (R3)', () => {
  it('accepted, arrived and resolved reply to the message that reported it', async () => {
    const u = await boundResident();
    const { number, report } = await fileNoHeat(u);
    const created = await h.core.stores.tickets.events((await h.core.stores.views.ticketByNumber(number))!.id, 'created');
    expect(JSON.parse(created[0].data!).replyTo).toBe(report.message_id);

    const before = h.fake.botMessages(u.id).length;
    h.core.clock.advance(5 * MINUTE);
    await transitionTicket(h.core, { number, action: 'accept', actor: 'staff:xincheng-field1' });
    h.core.clock.advance(30 * MINUTE);
    await transitionTicket(h.core, { number, action: 'arrive', actor: 'staff:xincheng-field1' });
    h.core.clock.advance(20 * MINUTE);
    await transitionTicket(h.core, { number, action: 'resolve', actor: 'staff:xincheng-field1', note: '排气后恢复正常' });
    await h.drain();
    const later = h.fake.botMessages(u.id).slice(before);
    expect(later.length).toBeGreaterThanOrEqual(3);
    for (const m of later) {
      expect(m.text, m.text).toContain(number);
      expect(m.reply_to_message?.message_id, m.text).toBe(report.message_id);
      expect(m.reply_to_message?.text).toBe('暖气不热，室温只有15度');
    }
    const sent = h.fake
      .callsOf('sendMessage')
      .filter((c) => Number(c.params.chat_id) === u.id)
      .slice(-later.length);
    for (const c of sent) {
      const rp = typeof c.params.reply_parameters === 'string' ? JSON.parse(c.params.reply_parameters) : c.params.reply_parameters;
      // still sent if the resident deleted their message meanwhile
      expect(rp).toMatchObject({ message_id: report.message_id, allow_sending_without_reply: true });
    }
  });
});

describe('every button tap is answered first, and once', () => {
  /**
   * Taps the button and checks the first Bot API call the tap causes is its answer (the phone
   * stops spinning before the bot writes or edits anything), and that it is answered once (the
   * fake refuses a second answer, as Telegram does).
   */
  async function tapAnswered(u: TgUser, label: string): Promise<void> {
    await h.drain();
    h.fake.clearCalls();
    const update = await h.tap(u, label);
    const id = (update.callback_query as { id: string }).id;
    const calls = h.fake.calls;
    expect(calls[0]?.method, `${label}: ${calls.map((c) => c.method).join(', ')}`).toBe('answerCallbackQuery');
    const answers = calls.filter((c) => c.method === 'answerCallbackQuery' && c.params.callback_query_id === id);
    expect(
      answers.map((c) => c.status),
      label,
    ).toEqual([200]);
  }

  it('menu, category, submit as it is, another category, cancel, status, language, FAQ and booking', async () => {
    const a = await boundResident();
    await h.say(a, '/report');
    await tapAnswered(a, '暖气不热'); // rn:
    await tapAnswered(a, '直接提交'); // rs:, files
    expect(h.lastText(a)).toMatch(/工单号：T\d{8}-\d{4}/);
    await h.say(a, '/status');
    await tapAnswered(a, numberIn(h.lastText(a)) || 'T2026'); // st:

    const b = await boundResident();
    await h.say(b, '暖气片有噪音，咚咚响，晚上睡不着');
    await tapAnswered(b, '换一类'); // pick
    await tapAnswered(b, '取消'); // cancel
    await h.say(b, '/start');
    await tapAnswered(b, 'English'); // lang:
    await h.say(b, '/lang zh-CN');
    await h.say(b, '/ask');
    await tapAnswered(b, '供暖季'); // fq:
    await h.say(b, '/prices');
    await tapAnswered(b, '预约上门（自备材料）'); // pv:, files
    expect(h.botTexts(b).join('\n')).toMatch(/P\d{8}-\d{4}/);
  });

  it('"file all" on several problems in one message is answered before the tickets are filed', async () => {
    const u = await boundResident();
    await h.say(u, '卧室暖气片冰凉冰凉的。另外上门的师傅态度特别差，还骂人');
    await tapAnswered(u, '全部登记'); // mp:
    expect(h.botTexts(u).filter((t) => /工单号：T\d{8}-\d{4}/.test(t))).toHaveLength(2);
  });
});

describe('an answer Telegram no longer takes does not cost the work behind the tap', () => {
  const TOO_OLD = { status: 400 as const, description: 'Bad Request: query is too old and response timeout expired or query ID is invalid' };

  it('a tap redelivered after its query went stale still shows the category and files the report', async () => {
    const u = await boundResident();
    await h.say(u, '/report');
    h.fake.failNext('answerCallbackQuery', TOO_OLD);
    await h.tap(u, '暖气不热'); // answered first, and Telegram refuses the answer
    expect(h.lastText(u)).toContain('请用一句话说说情况');
    h.fake.failNext('answerCallbackQuery', TOO_OLD);
    await h.tap(u, '直接提交');
    expect(h.lastText(u)).toMatch(/已为您登记，工单号：T\d{8}-\d{4}/);
  });

  it('a refusal after the tap was answered is said in the chat, since the toast can no longer be shown', async () => {
    const u = await boundResident();
    // three reports within the minute, then a fourth Submit: refused (rate_limited) after its answer
    for (let i = 0; i < 3; i++) {
      await h.say(u, '/report');
      await h.tap(u, '暖气不热');
      await h.tap(u, '直接提交');
    }
    await h.say(u, '/report');
    await h.tap(u, '暖气不热');
    await h.tap(u, '直接提交');
    expect(h.lastText(u)).toContain('您一分钟内已经报了好几次了');
  });
});
