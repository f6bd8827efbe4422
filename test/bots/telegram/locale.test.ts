/** zh-CN by default, English on request: from the phone's language or /lang, for the bot's later messages too. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { startTelegramHarness, telegramUser, type Harness } from '../../helpers/telegram.js';

let h: Harness;
const numberIn = (text: string) => /[TSQP]\d{8}-\d{4}/.exec(text)?.[0] ?? '';

beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

it('speaks zh-CN to a resident whose phone is in another language', async () => {
  const u = telegramUser(8001, { languageCode: 'ru' });
  await h.say(u, '/start');
  expect(h.fake.botMessages(u.id)[0].text).toContain('您好');
});

it('speaks English to a phone set to English: greeting, report, branch name, time limit and later updates', async () => {
  const u = telegramUser(8002, { languageCode: 'en-GB', firstName: 'Anna' });
  await h.say(u, '/start');
  expect(h.fake.botMessages(u.id)[0].text).toContain('Hello Anna! I am the customer-service bot of Qingcheng Demo Heating Co., Ltd.');
  await h.say(u, '/bind 1010000000 1590');
  expect(h.lastText(u)).toContain('Linked! Account 1010000000');
  await h.say(u, 'The radiators are cold, the room is only 15 degrees');
  expect(h.last(u).text).toContain('Complaint');
  await h.tap(u, 'Submit');
  const reply = h.lastText(u);
  expect(reply).toContain('Filed. Your ticket number: T20261128-');
  expect(reply).toContain('Handled by: Xincheng Branch');
  expect(reply).toContain('Someone will be at your door by 15:00');

  h.core.clock.advance(5 * MINUTE);
  await transitionTicket(h.core, { number: numberIn(reply), action: 'accept', actor: 'staff:xincheng-field1' });
  await h.drain();
  expect(h.lastText(u)).toContain(`${numberIn(reply)}: the team accepted your report (14:05).\nComing to you: 吴娟 (staff no. 1002).`);
  h.core.clock.set('2026-11-28T06:00:00Z');
});

it('/lang switches the language, and the English menu buttons work', async () => {
  const u = telegramUser(8003);
  await h.say(u, '/start');
  await h.tap(u, 'English');
  expect(h.lastText(u)).toBe('OK, I will write to you in English from now on.');
  expect(
    h
      .last(u)
      .reply_markup.keyboard.flat()
      .map((b: { text: string }) => b.text),
  ).toContain('📋 My tickets');
  await h.say(u, '📋 My tickets');
  expect(h.lastText(u)).toBe('You have no open tickets. Tell me any time something is wrong.');
  await h.say(u, '/lang zh-CN');
  expect(h.lastText(u)).toBe('好的，以后我用中文和您联系。');
  expect((await h.core.db.resident.findUniqueOrThrow({ where: { telegramUserId: String(u.id) } })).locale).toBe('zh-CN');
});

it('understands an answer to a question asked in the other language', async () => {
  const u = telegramUser(8004);
  await h.say(u, '/bind');
  await h.say(u, '/lang en');
  await h.answer(u, '1010000000');
  expect(h.lastText(u)).toBe('Account 1010000000: please reply with the last 4 digits of the phone number registered for it:');
});
