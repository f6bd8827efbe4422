/** Following one's own tickets, and only one's own. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { addResidentComment } from '../../../src/core/residents/add-resident-comment.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { bindByPhone, startTelegramHarness, telegramUser, type Harness, type TgUser } from '../../helpers/telegram.js';

let h: Harness;
let wang: TgUser;
let neighbour: TgUser;
const numberIn = (text: string) => /[TSQP]\d{8}-\d{4}/.exec(text)?.[0] ?? '';

beforeAll(async () => {
  h = await startTelegramHarness();
  wang = telegramUser(4001);
  neighbour = telegramUser(4002);
  await h.say(wang, '/bind 1010000000 1590');
  await h.say(neighbour, '/bind 1010269280 0201');
});
afterAll(() => h.close());

it('/status with nothing open says so', async () => {
  await h.say(wang, '/status');
  expect(h.lastText(wang)).toBe('您目前没有处理中的工单。有问题随时告诉我。');
});

it("lists the resident's open tickets and shows a timeline in plain words, with local times", async () => {
  await h.say(wang, '暖气不热，室温15度');
  await h.tap(wang, '提交');
  const number = numberIn(h.lastText(wang));
  h.core.clock.advance(5 * MINUTE);
  await transitionTicket(h.core, { number, action: 'accept', actor: 'staff:xincheng-field1' });
  h.core.clock.advance(35 * MINUTE);
  await transitionTicket(h.core, { number, action: 'arrive', actor: 'staff:xincheng-field1' });

  await h.say(wang, '📋 我的工单');
  const list = h.last(wang);
  expect(list.text).toContain(`${number} · 暖气不热 · 已到场 · 新城供热分公司`);
  await h.tap(wang, number);
  const details = h.lastText(wang);
  expect(details).toContain(`工单 ${number}`);
  expect(details).toContain('当前状态：已到场');
  expect(details).toContain('14:00 收到您的反映');
  expect(details).toContain('14:00 派给新城供热分公司');
  expect(details).toContain('14:05 工作人员已接单');
  expect(details).toContain('14:40 工作人员已到场');
  expect(details).toContain('2026-11-29 14:00 前处理完毕');
  h.core.clock.set('2026-11-28T06:00:00Z');
});

it('hears a typed ticket number too', async () => {
  const number = numberIn(h.botTexts(wang).find((t) => t.startsWith('已为您登记'))!);
  await h.say(wang, number.toLowerCase());
  expect(h.lastText(wang)).toContain(`工单 ${number}`);
});

it("shows tickets taken by phone for the resident's account, but never another resident's ticket", async () => {
  const phoned = await createTicket(h.core, hotlineComplaint({ customerAccount: '1010000000' }));
  await h.say(neighbour, '暖气不热，只有12度');
  await h.tap(neighbour, '提交');
  const neighbours = numberIn(h.lastText(neighbour));

  await h.say(wang, '/status');
  expect(h.lastText(wang)).toContain(phoned.number);
  expect(h.lastText(wang)).not.toContain(neighbours);

  await h.say(wang, `/status ${neighbours}`);
  expect(h.lastText(wang)).toBe('没有找到这张工单，或者它不是您报的。发送 /status 查看您的工单。');
  await h.say(wang, '/status T20991231-9999');
  expect(h.lastText(wang)).toBe('没有找到这张工单，或者它不是您报的。发送 /status 查看您的工单。');
});

it("splits a long timeline under Telegram's 4096-character limit, keeping every line", async () => {
  const many = telegramUser(4003);
  // an account of its own: the hotline ticket open on 1010000000 would take this report as a follow-up
  await bindByPhone(h, many, '1010015840');
  await h.say(many, '家里暖气不热，室温16度');
  await h.tap(many, '提交');
  const number = numberIn(h.lastText(many));
  const residentId = (await h.core.db.resident.findUniqueOrThrow({ where: { telegramUserId: String(many.id) } })).id;
  for (let i = 1; i <= 6; i++) await addResidentComment(h.core, { residentId, number, text: `补充${i}：${'屋里还是很冷'.repeat(150)}` });
  h.fake.clearCalls();
  await h.say(many, `/status ${number}`);
  const parts = h.fake.callsOf('sendMessage').map((c) => String(c.params.text));
  expect(parts.length).toBeGreaterThan(1);
  for (const p of parts) expect(p.length).toBeLessThanOrEqual(4096);
  const all = parts.join('\n');
  for (let i = 1; i <= 6; i++) expect(all).toContain(`您补充：补充${i}：`);
});

it('tells the resident when the visit is overdue and being chased, from the ticket’s deadline rows (R7, R2 督促)', async () => {
  const late = telegramUser(4004);
  // an account of its own: the hotline ticket open on 1010000000 would take this report as a follow-up
  await bindByPhone(h, late, '1010023760');
  h.core.clock.set('2026-11-28T07:00:00Z'); // 15:00 local
  await h.say(late, '家里暖气不热，室温14度');
  await h.tap(late, '提交');
  const number = numberIn(h.lastText(late));

  h.core.clock.advance(30 * MINUTE);
  await h.say(late, `/status ${number}`);
  expect(h.lastText(late)).toContain('工作人员将在 16:00 前上门');

  h.core.clock.advance(45 * MINUTE); // 16:15: nobody came
  await h.say(late, `/status ${number}`);
  const overdue = h.lastText(late);
  expect(overdue).toContain('上门时限 16:00 已过，我们已催促分公司尽快上门。');
  expect(overdue).not.toContain('前上门');
  expect(overdue).toContain('2026-11-29 15:00 前处理完毕');

  await transitionTicket(h.core, { number, action: 'accept', actor: 'staff:xincheng-field1' });
  await transitionTicket(h.core, { number, action: 'arrive', actor: 'staff:xincheng-field1' });
  await h.say(late, `/status ${number}`);
  // met, late: the timeline tells the visit; no line about its limit any more
  expect(h.lastText(late)).not.toContain('上门时限');
  expect(h.lastText(late)).toContain('16:15 工作人员已到场');
  h.core.clock.set('2026-11-28T06:00:00Z');
});
