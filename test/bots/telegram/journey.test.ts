/**
 * Issue 3's "done when", in one go on the demo organisation: a resident binds their account,
 * reports no heat in one sentence, gets the number with the branch and the time limit, follows
 * it with /status, and rates it after the branch resolved it (R8g, R8h).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { startTelegramHarness, telegramUser, type Harness } from '../../helpers/telegram.js';

let h: Harness;
beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

it('a resident binds, reports no heat in one sentence, follows the ticket and rates it', async () => {
  const wang = telegramUser(9901, { firstName: '秀兰' });
  await h.say(wang, '/start');
  await h.say(wang, '/bind 1010000000 1590');
  expect(h.lastText(wang)).toContain('绑定成功');

  await h.say(wang, '暖气不热，室温只有15度');
  await h.tap(wang, '提交');
  const filed = h.lastText(wang);
  const number = /T\d{8}-\d{4}/.exec(filed)![0];
  expect(filed).toContain('新城供热分公司');
  expect(filed).toContain('15:00 前上门');

  h.core.clock.advance(5 * MINUTE);
  await transitionTicket(h.core, { number, action: 'accept', actor: 'staff:xincheng-field1' });
  await h.drain();
  await h.say(wang, '/status');
  await h.tap(wang, number);
  expect(h.lastText(wang)).toContain('14:05 工作人员已接单');

  h.core.clock.advance(30 * MINUTE);
  await transitionTicket(h.core, { number, action: 'arrive', actor: 'staff:xincheng-field1' });
  h.core.clock.advance(20 * MINUTE);
  await transitionTicket(h.core, { number, action: 'resolve', actor: 'staff:xincheng-field1', note: '排气后恢复正常，室温19度' });
  await h.drain();
  expect(h.botTexts(wang)).toContain(
    `${number}：已处理完毕（14:55）。\n处理结果：排气后恢复正常，室温19度\n客服热线 0471-96556（24小时）：报修、投诉、咨询、有偿服务、回访。客户手册和服务承诺：/handbook`,
  );

  // two hours on, once the radiators had time to warm up: warm now? then the rating
  h.core.clock.advance(120 * MINUTE);
  await fireDueAlerts(h.core, 'journey');
  await h.drain();
  expect(h.lastText(wang)).toBe(`${number}：师傅修完有一阵子了，暖气现在热了吗？`);
  await h.tap(wang, '热了');
  await h.tap(wang, '😊 满意');
  const t = await h.core.db.ticket.findUniqueOrThrow({ where: { number } });
  expect(t).toMatchObject({ status: 'closed', satisfaction: 'satisfied' });
});
