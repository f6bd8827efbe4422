/**
 * After the branch resolves (R8g), the resident hears the steps and is asked to rate (R8h, R28);
 * not satisfied reopens the ticket (R30); the service form is confirmed in the chat (R8f).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { bindByPhone, buttonsOf, startTelegramHarness, telegramCallback, telegramUser, type Harness, type TgUser } from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 5000;
const numberIn = (text: string) => /[TSQP]\d{8}-\d{4}/.exec(text)?.[0] ?? '';

async function resolvedReport(form = false): Promise<{ u: TgUser; number: string }> {
  const u = telegramUser(++nextUser);
  await bindByPhone(h, u);
  await h.say(u, '暖气不热，室温15度');
  await h.tap(u, '提交');
  const number = numberIn(h.lastText(u));
  const actor = 'staff:xincheng-field1';
  h.core.clock.advance(5 * MINUTE);
  await transitionTicket(h.core, { number, action: 'accept', actor });
  h.core.clock.advance(35 * MINUTE);
  await transitionTicket(h.core, { number, action: 'arrive', actor });
  h.core.clock.advance(30 * MINUTE);
  await transitionTicket(h.core, {
    number,
    action: 'resolve',
    actor,
    note: '阀门堵塞，已清洗，室温回升到20度',
    ...(form ? { form: { workDone: '清洗进户阀门过滤网', materials: '无', feesCents: 0, effect: '室温20度', signed: true } } : {}),
  });
  await h.drain();
  // a heating repair is rated once the radiators had time to warm up: "暖气现在热了吗？" first (closing-loop.test.ts)
  h.core.clock.advance(h.core.org.config.escalation.warmCheckMinutes * MINUTE);
  await fireDueAlerts(h.core, 'rating-test');
  await h.drain();
  await h.tap(u, '热了');
  return { u, number };
}

beforeAll(async () => {
  h = await startTelegramHarness();
});
beforeEach(() => h.core.clock.set('2026-11-28T06:00:00Z'));
afterAll(() => h.close());

describe('the resident hears each step', () => {
  it('accepted, on site, resolved with the result, then the satisfaction question with three buttons', async () => {
    const { u, number } = await resolvedReport();
    const texts = h.botTexts(u);
    expect(texts.find((x) => x.startsWith(`${number}：工作人员已接单`))).toContain(`${number}：工作人员已接单（14:05）。\n上门师傅：吴娟（工号 1002）`);
    expect(texts).toContain(`${number}：工作人员已到场（14:40）。`);
    expect(texts).toContain(
      `${number}：已处理完毕（15:10）。\n处理结果：阀门堵塞，已清洗，室温回升到20度\n客服热线 0471-96556（24小时）：报修、投诉、咨询、有偿服务、回访。客户手册和服务承诺：/handbook`,
    );
    const question = h.last(u);
    expect(question.text).toBe(`${number}：您对这次处理满意吗？请点一下：`);
    expect(buttonsOf(question).map((b) => b.text)).toEqual(['😊 满意', '🙂 基本满意', '☹️ 不满意']);
    for (const b of buttonsOf(question)) expect(b.callback_data).toMatch(/^cb:\d+:[sfd]$/);
  });
});

describe('the satisfaction buttons', () => {
  it('satisfied closes the ticket and records the answer', async () => {
    const { u, number } = await resolvedReport();
    const question = h.last(u);
    await h.tap(u, '😊 满意');
    const t = await h.core.db.ticket.findUniqueOrThrow({ where: { number }, include: { callbacks: true } });
    expect(t.status).toBe('closed');
    expect(t.satisfaction).toBe('satisfied');
    expect(t.callbacks[0]).toMatchObject({ status: 'answered', result: 'satisfied', channel: 'telegram' });
    const edited = h.fake.message(u.id, question.message_id)!;
    expect(edited.text).toContain(`您的评价：😊 满意。谢谢！工单 ${number} 已办结。`);
    expect(buttonsOf(edited)).toEqual([]);
    // The bot said it in the chat already: the outbox's "closed" message is not sent again.
    await h.drain();
    expect(h.botTexts(u).filter((x) => x.includes('工单已办结'))).toEqual([]);
  });

  it('fairly satisfied closes it too', async () => {
    const { u, number } = await resolvedReport();
    await h.tap(u, '基本满意');
    expect((await h.core.db.ticket.findUniqueOrThrow({ where: { number } })).satisfaction).toBe('fairly');
  });

  it('not satisfied reopens the ticket to the branch and takes an optional comment to it', async () => {
    const { u, number } = await resolvedReport();
    await h.tap(u, '不满意');
    const t = await h.core.db.ticket.findUniqueOrThrow({ where: { number } });
    expect(t).toMatchObject({ status: 'dispatched', reopenCount: 1, satisfaction: 'dissatisfied' });
    expect(h.botTexts(u).at(-2)).toContain(`工单 ${number} 已重新派给新城供热分公司处理。`);
    expect(h.lastText(u)).toBe(`${number}：哪里还不满意？请直接回复这条消息告诉我们（可以不填）：`);

    await h.answer(u, '师傅走了以后又不热了');
    expect(h.lastText(u)).toBe('已把您的意见转给新城供热分公司。');
    const withEvents = await h.core.db.ticket.findUniqueOrThrow({ where: { number }, include: { events: true, callbacks: true } });
    expect(withEvents.callbacks[0].comment).toBe('师傅走了以后又不热了');
    const note = withEvents.events.find((e) => e.type === 'note')!;
    expect(note).toMatchObject({ actor: expect.stringMatching(/^resident:\d+$/), note: '师傅走了以后又不热了' });
    // The branch hears of it on its ticket card.
    expect(await h.core.db.outboxMessage.count({ where: { key: `card:${t.id}:${note.id}`, target: 'C1XINCHED' } })).toBe(1);
  });

  it('a second tap counts once and is told the button is no longer active', async () => {
    const { u, number } = await resolvedReport();
    const question = h.last(u);
    const [satisfied, , dissatisfied] = buttonsOf(question);
    await h.post(telegramCallback(u, satisfied.callback_data, question));
    await h.post(telegramCallback(u, dissatisfied.callback_data, question));
    const t = await h.core.db.ticket.findUniqueOrThrow({ where: { number }, include: { callbacks: true, events: true } });
    expect(t.status).toBe('closed');
    expect(t.callbacks).toHaveLength(1);
    expect(t.callbacks[0].result).toBe('satisfied');
    expect(t.events.filter((e) => e.type === 'closed')).toHaveLength(1);
    expect(h.fake.callsOf('answerCallbackQuery').at(-1)!.params.text).toBe('这个评价按钮已失效，谢谢。');
  });

  it('a tap by someone else does nothing but a polite answer', async () => {
    const { u, number } = await resolvedReport();
    const question = h.last(u);
    const stranger = telegramUser(++nextUser);
    await h.post(telegramCallback(stranger, buttonsOf(question)[2].callback_data, question));
    expect(h.fake.callsOf('answerCallbackQuery').at(-1)!.params.text).toBe('这个评价按钮已失效，谢谢。');
    const t = await h.core.db.ticket.findUniqueOrThrow({ where: { number }, include: { callbacks: true } });
    expect(t.status).toBe('callback');
    expect(t.callbacks[0].status).toBe('pending');
    expect(buttonsOf(h.fake.message(u.id, question.message_id)!)).toHaveLength(3);
  });

  it("tell no one whether a callback id exists: unknown, out of range, someone else's and already answered ids get the same answer", async () => {
    const a = await resolvedReport();
    const b = await resolvedReport();
    // the rating questions (a's chat has since heard that b linked the same account)
    const [qa, qb] = [a.u, b.u].map((u) => [...h.fake.botMessages(u.id)].reverse().find((m) => buttonsOf(m).some((x) => x.callback_data.startsWith('cb:')))!);
    const [idA, idB] = [qa, qb].map((q) => /^cb:(\d+):/.exec(buttonsOf(q)[0].callback_data)![1]);
    const againB = buttonsOf(qb)[2].callback_data;
    await h.tap(b.u, '😊 满意'); // b's callback is answered
    const unknown = (await h.core.db.callback.aggregate({ _max: { id: true } }))._max.id! + 1000;
    const answers: string[] = [];
    const stranger = telegramUser(++nextUser);
    for (const id of [String(unknown), '2147483648', '99999999999999999999', idA, idB]) {
      const before = h.fake.callsOf('answerCallbackQuery').length;
      // a stranger taps a rating button with the id swapped in; the first three name no callback
      expect((await h.post(telegramCallback(stranger, `cb:${id}:s`, qb))).statusCode).toBe(200);
      expect(h.fake.callsOf('answerCallbackQuery')).toHaveLength(before + 1);
      answers.push(h.fake.callsOf('answerCallbackQuery').at(-1)!.params.text);
    }
    expect(new Set(answers)).toEqual(new Set(['这个评价按钮已失效，谢谢。']));
    // a's callback, tapped by a stranger, is still waiting for a
    const t = await h.core.db.ticket.findUniqueOrThrow({ where: { number: a.number }, include: { callbacks: true } });
    expect(t.callbacks[0].status).toBe('pending');
    // b tapping its own answered button again hears the same
    await h.post(telegramCallback(b.u, againB, qb));
    expect(h.fake.callsOf('answerCallbackQuery').at(-1)!.params.text).toBe('这个评价按钮已失效，谢谢。');
  });
});

describe('the service form (R8f)', () => {
  it('comes with the resolved message; the resident confirms it and writes an opinion, stored on the form', async () => {
    const { u, number } = await resolvedReport(true);
    const resolved = h.fake.botMessages(u.id).find((m) => m.text?.includes('已处理完毕'))!;
    expect(resolved.text).toContain('服务内容：清洗进户阀门过滤网');
    await h.post(telegramCallback(u, buttonsOf(resolved).find((b) => b.text.includes('确认'))!.callback_data, resolved));
    expect(h.lastText(u)).toBe('已确认服务内容，谢谢！');
    await h.post(telegramCallback(u, buttonsOf(resolved).find((b) => b.text.includes('写意见'))!.callback_data, resolved));
    await h.answer(u, '师傅很耐心，谢谢');
    expect(h.lastText(u)).toBe('已记录您的意见，谢谢！');
    const form = await h.core.db.serviceForm.findFirstOrThrow({ where: { ticket: { number } } });
    expect(form).toMatchObject({ customerConfirmed: true, customerOpinion: '师傅很耐心，谢谢' });
    // confirmed when tapped: after the warm check two hours past the resolve (07:10)
    expect(form.confirmedAt).toEqual(new Date('2026-11-28T09:10:00Z'));
  });
});
