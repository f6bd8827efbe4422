/**
 * The bot keeps its place: the question it asked waits per chat in the database, so the next
 * plain message answers it (elderly residents rarely use Telegram's reply feature), a reply
 * still does, and an answer is taken once. After the question lapses, a message is an ordinary
 * message again. Demo: account 1010007920; 幸福家园 (c001) is the 新城 branch's.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { BIND_QUESTION_WAITS_MS, QUESTION_WAITS_MS } from '../../../src/bots/telegram/conversation.js';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { bindByPhone, startTelegramHarness, telegramText, telegramUser, type Harness, type TgUser } from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 32_000;
const newUser = () => telegramUser(++nextUser);
const numberIn = (text: string) => /[TSQP]\d{8}-\d{4}/.exec(text)?.[0] ?? '';
const ticketOf = (number: string) => h.core.db.ticket.findUniqueOrThrow({ where: { number }, include: { events: true, callbacks: true } });
const residentOf = (u: TgUser) => h.core.db.resident.findUniqueOrThrow({ where: { telegramUserId: String(u.id) } });
const conversationOf = (u: TgUser) => h.core.db.conversation.findUnique({ where: { key: String(u.id) } });
const last4 = async (account: string) => (await h.core.db.customer.findUniqueOrThrow({ where: { account } })).phone.slice(-4);

beforeAll(async () => {
  h = await startTelegramHarness();
});
beforeEach(() => h.core.clock.set('2026-11-28T06:00:00Z'));
afterAll(() => h?.close());

describe('a plain message answers the question the bot asked', () => {
  it('links an account step by step with the account and then the four digits typed plainly', async () => {
    const u = newUser();
    await h.say(u, '/bind');
    await h.say(u, '1010007920');
    expect(h.lastText(u)).toBe('户号 1010007920：请回复户主登记手机号的后四位数字：');
    await h.say(u, await last4('1010007920'));
    expect(h.lastText(u)).toContain('绑定成功！户号 1010007920');
    expect((await residentOf(u)).customerId).not.toBeNull();
    // answered: nothing waits any more, and the row is gone
    expect(await conversationOf(u)).toBeNull();
  });

  it('takes a typed address for a report that needs one, and files it with the branch', async () => {
    const u = newUser();
    await h.say(u, '/report');
    await h.tap(u, '暖气不热');
    await h.say(u, '卧室只有14度');
    expect(h.lastText(u)).toContain('需要知道您的住址');
    await h.say(u, '幸福家园 3号楼2单元501');
    const t = await ticketOf(numberIn(h.lastText(u)));
    expect(t).toMatchObject({ category: 'no_heat', description: '卧室只有14度', communityId: 'c001', branchId: 'xincheng', verified: false });
  });

  it('files a typed description in the category tapped, once: a second plain message is an ordinary message again (a follow-up, not a second ticket)', async () => {
    const u = newUser();
    await bindByPhone(h, u);
    await h.say(u, '/report');
    await h.tap(u, '噪音');
    await h.say(u, '管子里一直咚咚响，晚上睡不着');
    const number = numberIn(h.lastText(u));
    expect(await ticketOf(number)).toMatchObject({ category: 'noise_pressure', description: '管子里一直咚咚响，晚上睡不着' });
    const tickets = await h.core.db.ticket.count();
    await h.say(u, '还是响，越来越大声');
    expect(await h.core.db.ticket.count()).toBe(tickets);
    expect((await ticketOf(number)).description).toBe('管子里一直咚咚响，晚上睡不着');
  });

  it('a reply to the question after a plain answer is refused as already filed, not filed twice', async () => {
    const u = newUser();
    await bindByPhone(h, u);
    await h.say(u, '/report');
    await h.tap(u, '暖气不热');
    const question = [...h.fake.botMessages(u.id)].reverse().find((m) => m.reply_markup?.force_reply)!;
    await h.say(u, '客厅暖气片是凉的');
    const tickets = await h.core.db.ticket.count();
    await h.post(telegramText(u, '客厅暖气片是凉的', { replyTo: question }));
    expect(h.lastText(u)).toBe('这条已经为您登记过了，发送 /status 可查看进度。');
    expect(await h.core.db.ticket.count()).toBe(tickets);
  });

  it("takes the dissatisfied resident's reason typed plainly to the reopened ticket", async () => {
    const u = newUser();
    await bindByPhone(h, u);
    await h.say(u, '暖气不热，室温15度');
    await h.tap(u, '提交');
    const number = numberIn(h.lastText(u));
    const actor = 'staff:xincheng-field1';
    await transitionTicket(h.core, { number, action: 'accept', actor });
    await transitionTicket(h.core, { number, action: 'arrive', actor });
    await transitionTicket(h.core, { number, action: 'resolve', actor, note: '已清洗过滤网' });
    await h.drain();
    h.core.clock.advance(h.core.org.config.escalation.warmCheckMinutes * MINUTE);
    await fireDueAlerts(h.core, 'conversation-test');
    await h.drain();
    await h.tap(u, '热了');
    await h.tap(u, '不满意');
    await h.say(u, '师傅走了以后又不热了');
    const t = await ticketOf(number);
    expect(t.callbacks[0].comment).toBe('师傅走了以后又不热了');
    expect(t.events.find((e) => e.type === 'note')?.note).toBe('师傅走了以后又不热了');
  });
});

describe('what is not an answer', () => {
  it('a command or a menu tap while a question waits is not an answer and leaves the question waiting', async () => {
    const u = newUser();
    await h.say(u, '/bind');
    await h.say(u, '/status');
    expect(h.lastText(u)).not.toContain('户号 /status');
    await h.say(u, '1010007920');
    expect(h.lastText(u)).toBe('户号 1010007920：请回复户主登记手机号的后四位数字：');
  });

  it('a plain message after the question lapsed is an ordinary message (bind questions wait 10 minutes, others 30)', async () => {
    expect(BIND_QUESTION_WAITS_MS).toBe(10 * MINUTE);
    expect(QUESTION_WAITS_MS).toBe(30 * MINUTE);
    const u = newUser();
    await h.say(u, '/bind 1010007920');
    h.core.clock.advance(BIND_QUESTION_WAITS_MS + 1000);
    await h.say(u, '5678');
    expect((await residentOf(u)).customerId).toBeNull();
    expect(h.lastText(u)).not.toContain('绑定');

    const v = newUser();
    await h.say(v, '/report');
    await h.tap(v, '暖气不热');
    h.core.clock.advance(QUESTION_WAITS_MS + 1000);
    const tickets = await h.core.db.ticket.count();
    await h.say(v, '谢谢');
    expect(await h.core.db.ticket.count()).toBe(tickets);
  });

  it('the waiting question is a row of the database (any instance reads it, also after a restart), written only when it changed', async () => {
    const u = newUser();
    await h.say(u, '/bind');
    const row = await conversationOf(u);
    expect(JSON.parse(row!.value).pending).toMatchObject({ key: 'bind_account' });
    expect(row!.expiresAt?.getTime()).toBe(h.core.clock.now().getTime() + BIND_QUESTION_WAITS_MS);
    // nothing is written when the update changed nothing
    const before = row!.updatedAt.getTime();
    h.core.clock.advance(1000);
    await h.say(u, '/status');
    expect((await conversationOf(u))!.updatedAt.getTime()).toBe(before);
  });
});
