/**
 * Marking a duplicate and cancelling, each with a reason, and what a duplicate's resident gets:
 * told it is handled with the same fault, then the original's result with its service form, the
 * warm check and the rating (R8h: every closed complaint is called back). Residents write through
 * the real bot (fake Telegram API); staff steps go through the core as the Slack handlers call it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { isAppError } from '../../../src/core/errors.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { bindByPhone, startTelegramHarness, telegramUser, type Harness, type TgUser } from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 16_000;
const numberIn = (text: string) => /[TSQP]\d{8}-\d{4}/.exec(text)?.[0] ?? '';
const field = 'staff:xincheng-field1';
const coord = 'staff:xincheng-coord';
const centre = 'staff:agent01';

/** Demo accounts: three in 幸福家园 and one in 兴安花园 (新城), one in 通道南街 (回民). */
const ACCOUNTS = { a: '1010000000', b: '1010332640', c: '1010665280', d: '1010007920', huimin: '1010071280' };

/** A resident of `account` (a fresh Telegram user each time) reports no heat through the bot. */
async function filed(account: string, text = '暖气不热，室温15度'): Promise<{ u: TgUser; number: string }> {
  const u = telegramUser(++nextUser);
  await bindByPhone(h, u, account);
  await h.say(u, text);
  await h.tap(u, '提交');
  return { u, number: numberIn(h.lastText(u)) };
}

async function ticket(number: string) {
  return h.core.db.ticket.findUniqueOrThrow({ where: { number }, include: { events: { orderBy: { id: 'asc' } }, callbacks: true, form: true } });
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; context: Record<string, unknown> }> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return { code: e.code, context: e.context };
    throw e;
  }
  throw new Error('the step was not refused');
}

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

describe("a duplicate's resident still hears the result and is called back (R8h)", () => {
  it('is told the report is handled with the same fault, then gets the original’s result and form, the warm check and the rating', async () => {
    const a = await filed(ACCOUNTS.a);
    const b = await filed(ACCOUNTS.b);
    await transitionTicket(h.core, { number: b.number, action: 'mark_duplicate', actor: coord, duplicateOf: a.number, note: '同一楼栋同一处管道故障' });
    await h.drain();
    expect(h.lastText(b.u)).toBe(`${b.number}：您反映的问题与其他住户的报修是同一处故障，已合并处理（14:00）。修好后会把处理结果告诉您，并请您评价。`);
    // the other household's ticket number is not theirs to see
    expect(h.lastText(b.u)).not.toContain(a.number);

    h.core.clock.advance(20 * MINUTE);
    await transitionTicket(h.core, { number: a.number, action: 'accept', actor: field });
    await transitionTicket(h.core, { number: a.number, action: 'arrive', actor: field });
    await transitionTicket(h.core, {
      number: a.number,
      action: 'resolve',
      actor: field,
      note: '主管道阀门已更换',
      form: { workDone: '更换主管道阀门', materials: '闸阀 1 个', feesCents: 0 },
    });
    await h.drain();
    const told = h.lastText(b.u);
    expect(told).toContain(`${b.number}：已处理完毕（14:20）。\n处理结果：主管道阀门已更换`);
    expect(told).toContain('服务内容：更换主管道阀门');
    const dup = await ticket(b.number);
    expect(dup.status).toBe('callback');
    expect(dup.callbacks).toEqual([expect.objectContaining({ channel: 'telegram', status: 'pending' })]);
    expect(dup.form).toMatchObject({ workDone: '更换主管道阀门', feesCents: 0 });
    // still marked as the duplicate it is: R29 counts the complaint once (the original)
    expect(dup.duplicateOfId).toBe((await ticket(a.number)).id);

    await minutesPass(120);
    expect(h.lastText(b.u)).toBe(`${b.number}：师傅修完有一阵子了，暖气现在热了吗？`);
    await h.tap(b.u, '热了');
    await h.drain();
    expect(h.lastText(b.u)).toBe(`${b.number}：您对这次处理满意吗？请点一下：`);
    await h.tap(b.u, '😊 满意');
    expect((await ticket(b.number)).status).toBe('closed');
  });

  it('a report marked after its original was resolved is told the result at once', async () => {
    const a = await filed(ACCOUNTS.c);
    await transitionTicket(h.core, { number: a.number, action: 'accept', actor: field });
    await transitionTicket(h.core, { number: a.number, action: 'resolve', actor: field, note: '已排气，暖气恢复' });
    const b = await filed(ACCOUNTS.d);
    await transitionTicket(h.core, { number: b.number, action: 'mark_duplicate', actor: coord, duplicateOf: a.number, note: '同一故障' });
    await h.drain();
    expect(h.lastText(b.u)).toContain(`${b.number}：已处理完毕（14:00）。\n处理结果：已排气，暖气恢复`);
    expect((await ticket(b.number)).status).toBe('callback');
  });

  it('leaves a told duplicate to its own resident when the original is reopened, and a still-cold duplicate becomes a complaint of its own (R30)', async () => {
    const a = await filed(ACCOUNTS.a);
    const b = await filed(ACCOUNTS.b);
    await transitionTicket(h.core, { number: b.number, action: 'mark_duplicate', actor: coord, duplicateOf: a.number, note: '同一故障' });
    await transitionTicket(h.core, { number: a.number, action: 'accept', actor: field });
    await transitionTicket(h.core, { number: a.number, action: 'resolve', actor: field, note: '已修好' });
    await transitionTicket(h.core, { number: a.number, action: 'reopen', actor: centre, satisfaction: 'dissatisfied' });
    expect((await ticket(b.number)).status).toBe('callback');
    await transitionTicket(h.core, { number: b.number, action: 'reopen', actor: centre, satisfaction: 'dissatisfied' });
    const reopened = await ticket(b.number);
    expect(reopened).toMatchObject({ status: 'dispatched', duplicateOfId: null, reopenCount: 1 });
  });
});

describe('marking a duplicate: bad input changes nothing', () => {
  it('refuses an unknown original, the ticket itself, a duplicate of a duplicate and a missing reason', async () => {
    const a = await filed(ACCOUNTS.a);
    const b = await filed(ACCOUNTS.b);
    const c = await filed(ACCOUNTS.c);
    await transitionTicket(h.core, { number: b.number, action: 'mark_duplicate', actor: coord, duplicateOf: a.number, note: '同一故障' });
    const mark = (duplicateOf: string, note = '同一故障') =>
      transitionTicket(h.core, { number: c.number, action: 'mark_duplicate', actor: coord, duplicateOf, note });
    expect(await refusal(mark('T20991231-9999'))).toMatchObject({ code: 'ticket_not_found', context: { field: 'duplicateOf' } });
    expect(await refusal(mark(c.number))).toMatchObject({ code: 'duplicate_of_self', context: { field: 'duplicateOf' } });
    expect(await refusal(mark(b.number))).toMatchObject({ code: 'duplicate_chain', context: { original: b.number } });
    expect(await refusal(mark(a.number, '  '))).toMatchObject({ code: 'validation_failed', context: { field: 'note' } });
    // the original of waiting duplicates cannot become a duplicate itself (the chain again)
    expect(
      await refusal(transitionTicket(h.core, { number: a.number, action: 'mark_duplicate', actor: coord, duplicateOf: c.number, note: '同一故障' })),
    ).toMatchObject({ code: 'duplicate_chain', context: { original: a.number } });
    const untouched = await ticket(c.number);
    expect(untouched).toMatchObject({ status: 'dispatched', duplicateOfId: null, cancelledAt: null });
    expect(untouched.events.map((e) => e.type)).not.toContain('duplicate');
  });

  it('lets a branch mark duplicates within its own branch only; the centre may cross branches', async () => {
    const x = await filed(ACCOUNTS.a);
    const y = await filed(ACCOUNTS.huimin);
    expect(
      await refusal(
        transitionTicket(h.core, { number: y.number, action: 'mark_duplicate', actor: 'staff:huimin-coord', duplicateOf: x.number, note: '同一故障' }),
      ),
    ).toMatchObject({ code: 'duplicate_other_branch' });
    await transitionTicket(h.core, { number: y.number, action: 'mark_duplicate', actor: centre, duplicateOf: x.number, note: '跨分公司同一主管网故障' });
    expect((await ticket(y.number)).status).toBe('duplicate');
  });
});

describe('cancelling', () => {
  it('needs a reason, tells the resident the reason, and is refused for an original whose duplicates wait for it', async () => {
    const a = await filed(ACCOUNTS.a);
    const b = await filed(ACCOUNTS.b);
    expect(await refusal(transitionTicket(h.core, { number: a.number, action: 'cancel', actor: coord, note: ' ' }))).toMatchObject({
      code: 'validation_failed',
      context: { field: 'note' },
    });
    await transitionTicket(h.core, { number: b.number, action: 'mark_duplicate', actor: coord, duplicateOf: a.number, note: '同一故障' });
    expect(await refusal(transitionTicket(h.core, { number: a.number, action: 'cancel', actor: coord, note: '住户撤回' }))).toMatchObject({
      code: 'has_duplicates',
      context: { count: 1, duplicates: [b.number] },
    });
    expect((await ticket(a.number)).status).toBe('dispatched');

    const c = await filed(ACCOUNTS.c);
    await transitionTicket(h.core, { number: c.number, action: 'cancel', actor: coord, note: '住户撤回：暖气已恢复' });
    await h.drain();
    expect(h.lastText(c.u)).toContain(`${c.number}：工单已撤销（14:00）。原因：住户撤回：暖气已恢复`);
  });
});
