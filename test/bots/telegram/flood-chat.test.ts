/**
 * A resident who floods the bot (hundreds of messages in seconds) is answered for the first
 * updates of the window, told ONCE to slow down, then left in silence until the window passes;
 * nothing past the limit is filed behind their back, and the notice asks them to send it again.
 * Webhook in, fake Bot API out, real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_LIMIT } from '../../../src/bots/telegram/rate-limit.js';
import { MINUTE } from '../../../src/core/clock.js';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { bindByPhone, startTelegramHarness, telegramText, telegramUser, type Harness, type TgUser } from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 7100;

async function boundResident(languageCode?: string): Promise<TgUser> {
  const u = telegramUser(++nextUser, languageCode ? { languageCode } : {});
  await bindByPhone(h, u);
  return u;
}

const { updates, windowMs } = DEFAULT_CHAT_LIMIT;
const NOTICE = /^您发得太快了，我们已收到您前面的消息。请 \d+ 秒后再把还没有得到回复的内容发一次；漏水等紧急情况请直接拨打客服热线 0471-96556。$/;

beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

describe('a resident who floods the bot', () => {
  it(`gets answers to the first ${updates} messages of the window, one polite notice, then silence; answered again once the window passes`, async () => {
    const u = await boundResident();
    // the window starts with the flood, not with the binding before it
    h.core.clock.advance(windowMs);
    const before = h.botTexts(u).length;
    for (let i = 0; i < 60; i++) await h.say(u, `暖气不热 ${i}`);
    const said = h.botTexts(u).slice(before);
    expect(said).toHaveLength(updates + 1);
    expect(said.slice(0, updates).every((t) => !NOTICE.test(t))).toBe(true);
    expect(said[updates]).toMatch(NOTICE);
    const seconds = Number(/请 (\d+) 秒后/.exec(said[updates])?.[1]);
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(windowMs / 1000);

    h.core.clock.advance(windowMs);
    await h.say(u, '暖气不热，室温只有15度');
    expect(h.botTexts(u).length).toBe(before + updates + 2);
    expect(h.lastText(u)).toContain('暖气不热');
  });

  it('files nothing past the limit behind the resident’s back: a leak in the flood is asked for again, and filed when sent again', async () => {
    const u = await boundResident();
    h.core.clock.advance(windowMs);
    for (let i = 0; i < updates; i++) await h.say(u, '你好');
    const tickets = await h.core.db.ticket.count();
    await h.say(u, '家里暖气管漏水了，水流了一地');
    expect(await h.core.db.ticket.count()).toBe(tickets);
    expect(h.lastText(u)).toMatch(NOTICE);

    h.core.clock.advance(windowMs);
    await h.say(u, '家里暖气管漏水了，水流了一地');
    expect(await h.core.db.ticket.count()).toBe(tickets + 1);
    expect(h.lastText(u)).toContain('0471-96556');
  });

  it('counts an update Telegram delivers again (no 200 the first times) once, so it never pushes the chat over the limit', async () => {
    const u = await boundResident();
    h.core.clock.advance(windowMs);
    const before = h.botTexts(u).length;
    const update = telegramText(u, '暖气不热，室温只有15度');
    for (let i = 0; i < updates + 10; i++) expect((await h.post(update)).statusCode).toBe(200);
    await h.say(u, '还有，暖气片有噪音');
    const said = h.botTexts(u).slice(before);
    expect(said.some((t) => NOTICE.test(t))).toBe(false);
    expect(said).toHaveLength(2);
  });

  it('speaks the resident’s language in the notice', async () => {
    const u = await boundResident('en');
    h.core.clock.advance(windowMs);
    for (let i = 0; i <= updates; i++) await h.say(u, 'hello');
    expect(h.lastText(u)).toMatch(/^You are sending messages faster than we can answer\. .* in \d+ seconds, .* the hotline 0471-96556\.$/);
  });

  it('does not hold back another resident while one floods', async () => {
    const flooder = await boundResident();
    const other = await boundResident();
    h.core.clock.advance(windowMs);
    for (let i = 0; i <= updates + 5; i++) await h.say(flooder, `暖气不热 ${i}`);
    const before = h.botTexts(other).length;
    await h.say(other, '暖气不热，室温只有15度');
    expect(h.botTexts(other).length).toBe(before + 1);
    expect(h.lastText(other)).not.toMatch(NOTICE);
  });
});

describe('a resident who keeps writing to a reopened ticket', () => {
  it('is answered each time, every note is on the timeline, and the branch is paged once', async () => {
    const u = await boundResident();
    h.core.clock.advance(windowMs);
    await h.say(u, '暖气不热，室温15度');
    await h.tap(u, '提交');
    const number = /T\d{8}-\d{4}/.exec(h.lastText(u))?.[0] ?? '';
    for (const action of ['accept', 'arrive', 'resolve'] as const) {
      h.core.clock.advance(5 * MINUTE);
      await transitionTicket(h.core, { number, action, actor: 'staff:xincheng-field1', ...(action === 'resolve' ? { note: '已清洗过滤网' } : {}) });
    }
    await h.drain();
    // a heating repair: "are the radiators warm now?" two hours on; still cold reopens it
    h.core.clock.advance(h.core.org.config.escalation.warmCheckMinutes * MINUTE);
    await fireDueAlerts(h.core, 'flood-chat');
    await h.drain();
    await h.tap(u, '还是不热');
    const start = h.core.clock.now().getTime();
    for (let i = 0; i < 8; i++) {
      await h.answer(u, `还是不热，第${i + 1}次说`);
      expect(h.lastText(u)).toContain('新城供热分公司');
      h.core.clock.advance(20_000);
    }
    const ticket = await h.core.db.ticket.findUniqueOrThrow({ where: { number } });
    expect(await h.core.db.ticketEvent.count({ where: { ticketId: ticket.id, type: 'note', actor: { startsWith: 'resident:' } } })).toBe(8);
    const pages = (await h.core.db.outboxMessage.findMany({ where: { kind: 'ticket_card' }, orderBy: { id: 'asc' } })).filter((r) => {
      const p = JSON.parse(r.payload);
      return p.ticketId === ticket.id && p.event === 'note';
    });
    // every note is a line in the card's thread, owed at once; only the first mentions (pages) anyone
    expect(pages.map((r) => r.nextAt.getTime() - start)).toEqual([0, 20_000, 40_000, 60_000, 80_000, 100_000, 120_000, 140_000]);
    const notes = await h.core.db.ticketEvent.findMany({
      where: { ticketId: ticket.id, type: 'note', actor: { startsWith: 'resident:' } },
      orderBy: { id: 'asc' },
    });
    expect(notes.map((e) => (JSON.parse(e.data ?? '{}') as { notify?: string[] }).notify?.length ?? 0).map((n) => n > 0)).toEqual([
      true,
      false,
      false,
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
