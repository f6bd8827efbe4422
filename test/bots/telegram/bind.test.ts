/** Linking a heating account: one command, step by step, or by sharing one's phone; no account guessing. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { startTelegramHarness, telegramContact, telegramUser, type Harness } from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 3000;
const newUser = () => telegramUser(++nextUser);
const resident = (u: { id: number }) => h.core.db.resident.findUniqueOrThrow({ where: { telegramUserId: String(u.id) }, include: { customer: true } });

beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

describe('/start', () => {
  it('greets, offers the language and the account link, and shows the menu', async () => {
    const u = newUser();
    await h.say(u, '/start');
    const [greeting, language] = h.fake.botMessages(u.id);
    expect(greeting.text).toContain('青城示例热力有限责任公司');
    expect(greeting.text).toContain('/bind');
    expect(greeting.text).toContain('0471-96556');
    const menu = greeting.reply_markup.keyboard.flat();
    expect(menu.map((b: { text: string }) => b.text)).toEqual(['🔧 报修', '📋 我的工单', '💡 提建议', '❓ 咨询', '💰 收费标准', '📱 用手机号绑定']);
    expect(menu.at(-1).request_contact).toBe(true);
    expect(language.reply_markup.inline_keyboard.flat().map((b: { text: string }) => b.text)).toEqual(['中文', 'English', '🔗 绑定供热户号']);
  });
});

describe('binding', () => {
  it('links the account with the right account and phone digits', async () => {
    const u = newUser();
    await h.say(u, '/bind 1010000000 1590');
    expect(h.lastText(u)).toBe('绑定成功！户号 1010000000，地址：幸福家园17号楼2单元201室。以后报修不用再填地址了。');
    const r = await resident(u);
    expect(r.customer?.name).toBe('王秀兰');
    expect(r.communityId).toBe('c001');
    // The menu no longer offers to link by phone.
    expect(h.last(u).reply_markup.keyboard.flat()).toHaveLength(5);
  });

  it('works step by step: account, then the phone digits, each as an answer', async () => {
    const u = newUser();
    await h.say(u, '/bind');
    expect(h.lastText(u)).toBe('请回复您的供热户号（缴费单上的数字）：');
    await h.answer(u, '1010000000');
    expect(h.lastText(u)).toBe('户号 1010000000：请回复户主登记手机号的后四位数字：');
    await h.answer(u, '1590');
    expect(h.lastText(u)).toContain('绑定成功');
  });

  it('takes a bare account number from an unbound resident as the start of a link', async () => {
    const u = newUser();
    await h.say(u, '1010000000');
    expect(h.lastText(u)).toBe('户号 1010000000：请回复户主登记手机号的后四位数字：');
  });

  it('does not take a typed mobile number for an account', async () => {
    const u = newUser();
    await h.say(u, '15260181590');
    expect(h.lastText(u)).toContain('这像是手机号');
    expect((await resident(u)).bindFailures).toBe(0);
  });

  it("links by sharing one's own phone number, and refuses someone else's contact card", async () => {
    const u = newUser();
    await h.post(telegramContact(u, '+86 152 6018 1590', { own: false }));
    expect(h.lastText(u)).toContain('请分享您自己的手机号');
    expect((await resident(u)).customerId).toBeNull();
    await h.post(telegramContact(u, '+86 152 6018 1590'));
    expect(h.lastText(u)).toContain('绑定成功！户号 1010000000');
  });

  it('refuses a wrong pair and an unknown account with the same words', async () => {
    const u = newUser();
    await h.say(u, '/bind 1010000000 0000');
    const wrongPhone = h.lastText(u);
    await h.say(u, '/bind 9999999999 1590');
    const unknownAccount = h.lastText(u);
    expect(wrongPhone).toBe('户号和手机号后四位对不上，请核对后再试（还可以试 4 次）。');
    expect(unknownAccount).toBe('户号和手机号后四位对不上，请核对后再试（还可以试 3 次）。');
    expect((await resident(u)).customerId).toBeNull();
  });

  it('locks the resident out for 15 minutes after 5 wrong tries, even for the right pair, then lets them try again', async () => {
    const u = newUser();
    for (let i = 0; i < 5; i++) await h.say(u, `/bind 10100000${String(i).padStart(2, '0')} 1234`);
    expect(h.lastText(u)).toBe('尝试次数太多。为保护用户信息，请在 14:15 以后再试，或拨打客服热线 0471-96556。');
    await h.say(u, '/bind 1010000000 1590');
    expect(h.lastText(u)).toContain('尝试次数太多');
    expect((await resident(u)).customerId).toBeNull();

    h.core.clock.advance(15 * MINUTE);
    await h.say(u, '/bind 1010000000 1590');
    expect(h.lastText(u)).toContain('绑定成功');
    h.core.clock.advance(-15 * MINUTE);
  });
});
