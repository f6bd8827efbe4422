/**
 * Closing the loop with the resident: who is coming (R6: name and badge number), one resolved
 * message with the service form (R8f) and no empty lines, "暖气现在热了吗？" a while after a heating
 * repair and then the rating (R8h, R28), "still cold" reopening the ticket to the branch (R30).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { transitionTicket, type ServiceFormInput } from '../../../src/core/tickets/transition-ticket.js';
import { bindByPhone, buttonsOf, startTelegramHarness, telegramCallback, telegramUser, type Harness, type TgUser } from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 7000;
const numberIn = (text: string) => /[TSQP]\d{8}-\d{4}/.exec(text)?.[0] ?? '';
const actor = 'staff:xincheng-field1';

async function filed(text = '暖气不热，室温15度'): Promise<{ u: TgUser; number: string }> {
  const u = telegramUser(++nextUser);
  await bindByPhone(h, u);
  await h.say(u, text);
  await h.tap(u, '提交');
  return { u, number: numberIn(h.lastText(u)) };
}

async function resolved(form?: ServiceFormInput, text?: string): Promise<{ u: TgUser; number: string }> {
  const r = await filed(text);
  h.core.clock.advance(5 * MINUTE);
  await transitionTicket(h.core, { number: r.number, action: 'accept', actor });
  h.core.clock.advance(30 * MINUTE);
  await transitionTicket(h.core, { number: r.number, action: 'arrive', actor });
  h.core.clock.advance(30 * MINUTE);
  await transitionTicket(h.core, { number: r.number, action: 'resolve', actor, note: '阀门堵塞，已清洗', ...(form ? { form } : {}) });
  await h.drain();
  return r;
}

/** The scheduler's sweep after the clock moved on, and what it owes delivered. */
async function minutesPass(minutes: number) {
  h.core.clock.advance(minutes * MINUTE);
  await fireDueAlerts(h.core, 'test-sweep');
  await h.drain();
}

beforeAll(async () => {
  h = await startTelegramHarness();
});
beforeEach(() => h.core.clock.set('2026-11-28T06:00:00Z'));
afterAll(() => h.close());

describe('who is coming (R6)', () => {
  it('tells the resident the worker’s name and badge number, and by when they will be at the door, when the ticket is accepted', async () => {
    const { u, number } = await filed();
    h.core.clock.advance(5 * MINUTE);
    await transitionTicket(h.core, { number, action: 'accept', actor });
    await h.drain();
    const said = h.lastText(u);
    expect(said).toContain(`${number}：工作人员已接单（14:05）。`);
    expect(said).toContain('上门师傅：吴娟（工号 1002）。师傅上门时可以请他出示工作证，核对工号。');
    expect(said).toMatch(/工作人员将在 \d\d:\d\d 前上门/);
  });

  it('names nobody when a centre agent accepted on the phone (they do not go)', async () => {
    const { u, number } = await filed();
    await transitionTicket(h.core, { number, action: 'accept', actor: 'staff:agent01' });
    await h.drain();
    expect(h.lastText(u)).toContain('工作人员已接单');
    expect(h.lastText(u)).not.toContain('上门师傅');
  });
});

describe('a ticket that is late', () => {
  it('tells the resident, once per missed deadline, that the branch was urged (R2 督促, R7)', async () => {
    const { u, number } = await filed();
    const before = h.botTexts(u).length;
    await minutesPass(14); // the accept deadline (15 min) not yet passed
    expect(h.botTexts(u)).toHaveLength(before);
    await minutesPass(1);
    expect(h.lastText(u)).toBe(`${number}：处理比承诺的时间晚了，非常抱歉！已督促新城供热分公司尽快处理，我们会尽快给您答复。`);
    await minutesPass(30); // the next level of escalation tells the branch head, not the resident again
    expect(h.botTexts(u).filter((x) => x.includes('晚了'))).toHaveLength(1);
  });
});

describe('the resolved message (R8f)', () => {
  it('is one message with the result and only the form lines that have a value, and no question yet', async () => {
    const { u, number } = await resolved({ workDone: '清洗进户阀门过滤网', materials: '无', feesCents: 0 });
    const said = h.lastText(u);
    expect(said).toBe(
      [
        `${number}：已处理完毕（15:05）。`,
        '处理结果：阀门堵塞，已清洗',
        '客户服务单',
        '服务内容：清洗进户阀门过滤网',
        '如无异议，请点“确认服务内容”；有意见可以写给我们。',
        // R22: the service card ends what finishes a ticket
        '客服热线 0471-96556（24小时）：报修、投诉、咨询、有偿服务、回访。客户手册和服务承诺：/handbook',
      ].join('\n'),
    );
    expect(buttonsOf(h.last(u)).map((b) => b.text)).toEqual(['✅ 确认服务内容', '✍️ 写意见']);
  });

  it('shows a fee when there is one, with the materials and the effect', async () => {
    const { u } = await resolved({ workDone: '更换温控阀', materials: '温控阀 1 个', feesCents: 16000, effect: '室温21度' });
    expect(h.lastText(u)).toContain('材料：温控阀 1 个\n费用：160 元\n效果：室温21度');
  });
});

describe('are the radiators warm now? (R8h)', () => {
  it('is asked two hours after the resolve, not before; warm → the rating buttons; satisfied closes the ticket', async () => {
    const { u, number } = await resolved();
    await minutesPass(119);
    expect(h.botTexts(u).some((t) => t.includes('热了吗'))).toBe(false);
    await minutesPass(1);
    const question = h.last(u);
    expect(question.text).toBe(`${number}：师傅修完有一阵子了，暖气现在热了吗？`);
    expect(buttonsOf(question).map((b) => b.text)).toEqual(['🔥 热了', '🥶 还是不热']);
    await h.tap(u, '热了');
    expect(h.fake.message(u.id, question.message_id)!.text).toContain('🔥 热了 太好了！');
    expect(buttonsOf(h.fake.message(u.id, question.message_id)!)).toEqual([]);
    expect(h.lastText(u)).toBe(`${number}：您对这次处理满意吗？请点一下：`);
    await h.tap(u, '😊 满意');
    expect(await h.core.db.ticket.findUniqueOrThrow({ where: { number } })).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
  });

  it('warm → the rating question is owed through the outbox: Telegram refusing it at that moment does not lose it (R8h, R28)', async () => {
    const { u, number } = await resolved();
    await minutesPass(120);
    const question = structuredClone(h.last(u)); // as the resident's phone still shows it
    h.fake.failNext('sendMessage', { status: 429, retryAfterSec: 1 });
    await h.tap(u, '热了');
    expect(h.botTexts(u).some((t) => t.includes('您对这次处理满意吗'))).toBe(false);
    // refused once, sent by the outbox's next attempt
    await minutesPass(1);
    expect(h.botTexts(u).filter((t) => t === `${number}：您对这次处理满意吗？请点一下：`)).toHaveLength(1);
    // the same tap once more (a redelivery, or a second phone): nothing more is owed
    const data = question.reply_markup!.inline_keyboard[0][0].callback_data!;
    await h.post(telegramCallback(u, data, question));
    await minutesPass(1);
    expect(h.botTexts(u).filter((t) => t.includes('您对这次处理满意吗'))).toHaveLength(1);
  });

  it('still cold → recorded as not satisfied, "暖气仍不热", the ticket back with the branch (R30), and the resident asked what is wrong', async () => {
    const { u, number } = await resolved();
    await minutesPass(120);
    await h.tap(u, '还是不热');
    const t = await h.core.db.ticket.findUniqueOrThrow({ where: { number }, include: { callbacks: true, events: true } });
    expect(t).toMatchObject({ status: 'dispatched', reopenCount: 1, satisfaction: 'dissatisfied' });
    expect(t.callbacks[0]).toMatchObject({ status: 'answered', result: 'dissatisfied', comment: '暖气仍不热' });
    expect(t.events.find((e) => e.type === 'reopened')!.note).toBe('暖气仍不热');
    expect(h.botTexts(u).at(-2)).toContain(`非常抱歉，暖气还是不热。工单 ${number} 已重新派给新城供热分公司`);
    expect(h.lastText(u)).toBe(`${number}：哪里还不满意？请直接回复这条消息告诉我们（可以不填）：`);
  });

  it('the bot’s time-out (a phone callback instead) counts from when the question was asked, not from the resolve', async () => {
    const { number } = await resolved();
    const t = await h.core.db.ticket.findUniqueOrThrow({ where: { number } });
    expect(await h.core.db.scheduledAlert.count({ where: { ticketId: t.id, kind: 'callback_bot_timeout' } })).toBe(0);
    await minutesPass(120);
    const timeout = await h.core.db.scheduledAlert.findFirstOrThrow({ where: { ticketId: t.id, kind: 'callback_bot_timeout' } });
    expect(timeout.dueAt.getTime()).toBe(h.core.clock.now().getTime() + 24 * 60 * MINUTE);
  });

  it('is not asked once the callback was answered by phone meanwhile', async () => {
    const { u, number } = await resolved();
    const t = await h.core.db.ticket.findUniqueOrThrow({ where: { number }, include: { callbacks: true } });
    const { recordCallback } = await import('../../../src/core/tickets/record-callback.js');
    await recordCallback(h.core, { callbackId: t.callbacks[0].id, actor: 'staff:agent01', reached: true, satisfaction: 'satisfied' });
    await minutesPass(120);
    expect(h.botTexts(u).some((x) => x.includes('热了吗') || x.includes('满意吗'))).toBe(false);
  });

  it('a billing answer is rated at once: there is nothing to warm up', async () => {
    const { u, number } = await resolved(undefined, '我家热费算错了，多收了钱');
    expect((await h.core.db.ticket.findUniqueOrThrow({ where: { number } })).category).toBe('billing');
    expect(h.lastText(u)).toBe(`${number}：您对这次处理满意吗？请点一下：`);
  });
});
