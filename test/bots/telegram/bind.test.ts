/**
 * Linking a heating account: one command, step by step, or by sharing one's phone; no account
 * guessing (limits per resident, per account and overall); a second resident of an account is
 * let in only by the account's phone or by a resident already bound, who is told either way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { buttonsOf, startTelegramHarness, telegramCallback, telegramContact, telegramUser, type Harness, type TgUser } from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 3000;
const newUser = (firstName?: string) => telegramUser(++nextUser, { firstName });
const resident = (u: { id: number }) => h.core.db.resident.findUniqueOrThrow({ where: { telegramUserId: String(u.id) }, include: { customer: true } });
const customer = (account: string) => h.core.db.customer.findUniqueOrThrow({ where: { account } });
const last4 = async (account: string) => (await customer(account)).phone.slice(-4);
const toast = () => h.fake.callsOf('answerCallbackQuery').at(-1)?.params.text;
/** Moves the clock on for good: every test after sees the later time too. */
const later = (minutes: number) => h.core.clock.advance(minutes * MINUTE);

async function bindNow(u: TgUser, account: string) {
  await h.say(u, `/bind ${account} ${await last4(account)}`);
  expect(h.lastText(u)).toContain('绑定成功');
}

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
    await h.answer(u, '1010007920');
    expect(h.lastText(u)).toBe('户号 1010007920：请回复户主登记手机号的后四位数字：');
    await h.answer(u, await last4('1010007920'));
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
    const c = await customer('1010015840');
    await h.post(telegramContact(u, `+86 ${c.phone}`, { own: false }));
    expect(h.lastText(u)).toContain('请分享您自己的手机号');
    expect((await resident(u)).customerId).toBeNull();
    await h.post(telegramContact(u, `+86 ${c.phone}`));
    expect(h.lastText(u)).toContain('绑定成功！户号 1010015840');
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
    later(60);
    const u = newUser();
    for (let i = 0; i < 5; i++) await h.say(u, `/bind 20200000${String(i).padStart(2, '0')} 1234`);
    expect(h.lastText(u)).toBe('尝试次数太多。为保护用户信息，请在 15:15 以后再试，或拨打客服热线 0471-96556。');
    await h.say(u, `/bind 1010023760 ${await last4('1010023760')}`);
    expect(h.lastText(u)).toContain('尝试次数太多');
    expect((await resident(u)).customerId).toBeNull();

    later(15);
    await bindNow(u, '1010023760');
  });
});

describe('guessing', () => {
  it('four people taking turns on one account: after 5 wrong tries it takes no guesses for an hour, not even the right digits of a fifth', async () => {
    later(60);
    const account = '1010031680';
    const guessers = [newUser(), newUser(), newUser(), newUser()];
    for (const g of guessers) for (let i = 0; i < 5; i++) await h.say(g, `/bind ${account} ${String(1000 + i)}`);
    // the first guesser used up the account's five wrong tries; the others were refused at once
    expect(h.botTexts(guessers[0]).slice(-2)).toEqual([
      '户号和手机号后四位对不上，请核对后再试（还可以试 1 次）。',
      '尝试次数太多。为保护用户信息，请在 16:30 以后再试，或拨打客服热线 0471-96556。',
    ]);
    for (const g of guessers.slice(1)) expect(h.lastText(g)).toBe('尝试次数太多。为保护用户信息，请在 17:15 以后再试，或拨打客服热线 0471-96556。');

    const fifth = newUser();
    await h.say(fifth, `/bind ${account} ${await last4(account)}`);
    expect(h.lastText(fifth)).toBe('尝试次数太多。为保护用户信息，请在 17:15 以后再试，或拨打客服热线 0471-96556。');
    expect((await resident(fifth)).customerId).toBeNull();
    expect(h.botTexts(fifth).join('\n')).not.toContain('东风小区');
    const attempts = await h.core.db.bindAttempt.findMany({ where: { account } });
    expect(attempts.map((a) => a.ok)).toEqual([false, false, false, false, false]);

    later(60);
    await bindNow(fifth, account);
    expect(h.lastText(fifth)).toContain('东风小区10号楼5单元1603室');
  });

  it('an account nobody has answers a run of guesses word for word as a real one does', async () => {
    later(60);
    const run = async (account: string) => {
      const g = newUser();
      for (let i = 0; i < 6; i++) await h.say(g, `/bind ${account} ${String(2000 + i)}`);
      const other = newUser();
      await h.say(other, `/bind ${account} 3000`);
      return [...h.botTexts(g), ...h.botTexts(other)];
    };
    const real = await run('1010039600');
    const unknown = await run('1010039601');
    expect(unknown).toEqual(real);
    expect(real.at(-1)).toContain('尝试次数太多');
  });

  it('a guessing run across many accounts stops every guess for the rest of the minute, but not a shared phone number', async () => {
    later(60);
    // 6 people x 5 wrong tries, each on its own account: 30 in the minute
    for (let p = 0; p < 6; p++) {
      const g = newUser();
      for (let i = 0; i < 5; i++) await h.say(g, `/bind 30300${p}${i}000 1234`);
    }
    const honest = newUser();
    await h.say(honest, `/bind 1010047520 ${await last4('1010047520')}`);
    expect(h.lastText(honest)).toBe('尝试次数太多。为保护用户信息，请在 19:16 以后再试，或拨打客服热线 0471-96556。');

    const sharer = newUser();
    await h.post(telegramContact(sharer, (await customer('1010055440')).phone));
    expect(h.lastText(sharer)).toContain('绑定成功！户号 1010055440');

    later(1);
    await bindNow(honest, '1010047520');
  });
});

describe('a second resident of an account', () => {
  it('with the right digits waits, seeing nothing of the account, while the resident already bound is asked; on Allow they are bound and see the address', async () => {
    later(60);
    const account = '1010063360';
    const holder = newUser('秀英');
    await bindNow(holder, account);
    const asker = telegramUser(++nextUser, { firstName: '小明' });

    await h.say(asker, `/bind ${account} ${await last4(account)}`);
    expect(h.lastText(asker)).toBe(
      '户号 1010063360 已经有人绑定了。我们已请已绑定的用户确认，对方同意后会通知您（24 小时内有效）。如果您的 Telegram 用的就是户主登记的手机号，也可以点下方“📱 用手机号绑定”直接绑定。',
    );
    expect((await resident(asker)).customerId).toBeNull();
    const request = h.last(holder);
    expect(request.text).toBe(
      'Telegram 用户“小明”申请绑定您的供热户号 1010063360。同意后，对方可以看到该户的地址和报修进度，并以该户名义报修。如果不认识此人，请点“拒绝”。',
    );
    expect(buttonsOf(request).map((b) => b.text)).toEqual(['✅ 同意', '❌ 拒绝']);

    // asking again while waiting does not ask the holder twice
    await h.say(asker, `/bind ${account} ${await last4(account)}`);
    expect(h.lastText(asker)).toContain('已经有人绑定了');
    expect(h.botTexts(holder).filter((t) => t.includes('申请绑定'))).toHaveLength(1);

    const [allowData, refuseData] = buttonsOf(request).map((b) => b.callback_data);
    await h.tap(holder, '同意');
    expect(h.fake.message(holder.id, request.message_id)!.text).toBe('已同意，户号 1010063360 新增了一位绑定用户。');
    expect(h.lastText(asker)).toBe(`绑定成功！户号 1010063360，地址：${(await customer(account)).address}。以后报修不用再填地址了。`);
    expect((await resident(asker)).customer?.account).toBe(account);
    // ... and their menu no longer offers to link by phone
    expect(h.last(asker).reply_markup.keyboard.flat()).toHaveLength(5);

    // the same tap again (or a Refuse after it) changes nothing
    await h.post(telegramCallback(holder, allowData, h.fake.message(holder.id, request.message_id)!));
    expect(toast()).toBe('已经记录过了，谢谢！');
    await h.post(telegramCallback(holder, refuseData, h.fake.message(holder.id, request.message_id)!));
    expect(toast()).toBe('已经记录过了，谢谢！');
    expect((await resident(asker)).customer?.account).toBe(account);
  });

  it('on Refuse is told so, sees nothing of the account, and the refusal counts as a wrong try', async () => {
    later(60);
    const account = '1010071280';
    const holder = newUser();
    await bindNow(holder, account);
    const asker = newUser();
    await h.say(asker, `/bind ${account} ${await last4(account)}`);
    const request = h.last(holder);
    const allowData = buttonsOf(request)[0].callback_data;

    await h.tap(holder, '拒绝');
    expect(h.fake.message(holder.id, request.message_id)!.text).toBe('已拒绝，对方不能绑定户号 1010071280。');
    expect(h.lastText(asker)).toBe('户号 1010071280 的已绑定用户没有同意您的绑定申请。如有疑问，请拨打客服热线 0471-96556。');
    expect(h.botTexts(asker).join('\n')).not.toContain((await customer(account)).address);
    expect(await resident(asker)).toMatchObject({ customerId: null, bindFailures: 1 });

    // Allow after Refuse is too late
    await h.post(telegramCallback(holder, allowData, h.fake.message(holder.id, request.message_id)!));
    expect(toast()).toBe('已经记录过了，谢谢！');
    expect((await resident(asker)).customerId).toBeNull();
  });

  it('cannot be let in by someone not bound to the account, nor after 24 hours', async () => {
    later(60);
    const account = '1010079200';
    const holder = newUser();
    await bindNow(holder, account);
    const asker = newUser();
    await h.say(asker, `/bind ${account} ${await last4(account)}`);
    const request = h.last(holder);
    const allowData = buttonsOf(request)[0].callback_data;

    const stranger = newUser();
    await h.say(stranger, '/start');
    await h.post(telegramCallback(stranger, allowData, { ...request, chat: { id: stranger.id, type: 'private' } } as never));
    expect(toast()).toBe('这个绑定申请已经失效（超过 24 小时，或者不是发给您的）。');
    expect((await resident(asker)).customerId).toBeNull();

    later(24 * 60);
    await h.tap(holder, '同意');
    expect(toast()).toBe('这个绑定申请已经失效（超过 24 小时，或者不是发给您的）。');
    expect((await resident(asker)).customerId).toBeNull();
  });

  it("is let in at once by the account's own phone number, and the resident already bound is told who it was", async () => {
    later(60);
    const account = '1010000000';
    const holder = h.fake.callsOf('sendMessage').find((c) => String(c.params.text).startsWith('绑定成功！户号 1010000000'))!.params.chat_id;
    const before = h.fake.botMessages(holder).length;
    const relative = newUser('小红');
    await h.post(telegramContact(relative, (await customer(account)).phone));
    expect(h.lastText(relative)).toContain('绑定成功！户号 1010000000');
    const told = h.fake.botMessages(holder).slice(before);
    expect(told.map((m) => m.text)).toEqual([
      'Telegram 用户“小红”用户主登记的手机号绑定了您的供热户号 1010000000。如果您不认识此人，请拨打客服热线 0471-96556。',
    ]);
  });

  it('when the holder allows, the account’s other residents hear who allowed it', async () => {
    later(60);
    const account = '1010000000'; // two residents by now: the first binder and the phone's
    const asker = newUser();
    await h.say(asker, `/bind ${account} 1590`);
    expect(h.lastText(asker)).toContain('已经有人绑定了');
    const holders = (await h.core.db.resident.findMany({ where: { customer: { account } }, orderBy: { id: 'asc' } })).map((r) => Number(r.telegramUserId));
    expect(holders).toHaveLength(2);
    const [first, second] = holders.map((id) => telegramUser(id, { firstName: `Resident${id}` }));
    await h.tap(first, '同意');
    expect(h.lastText(second)).toBe(`“Resident${first.id}”同意了另一位 Telegram 用户绑定您的供热户号 1010000000。如有疑问，请拨打客服热线 0471-96556。`);
    // the second holder's own request message no longer offers the buttons' effect
    await h.tap(second, '拒绝');
    expect(toast()).toBe('已经记录过了，谢谢！');
    expect((await resident(asker)).customer?.account).toBe(account);
  });
});
