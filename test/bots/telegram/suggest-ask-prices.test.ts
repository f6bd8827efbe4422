/** Suggestions (R17-R19), questions and the FAQ (R20, R22), the price list and paid visits (R9-R13). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindByPhone, buttonsOf, startTelegramHarness, telegramUser, type Harness, type TgUser } from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 6000;
const newUser = () => telegramUser(++nextUser);
const numberIn = (text: string) => /[TSQP]\d{8}-\d{4}/.exec(text)?.[0] ?? '';
const ticketOf = (number: string) => h.core.db.ticket.findUniqueOrThrow({ where: { number } });

async function bound(account = '1010000000'): Promise<TgUser> {
  const u = newUser();
  await bindByPhone(h, u, account);
  return u;
}

beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

describe('suggestions (R17-R19)', () => {
  it('/suggest with words stores a suggestion for HQ and thanks the resident with its number (R18, R19)', async () => {
    const u = await bound();
    await h.say(u, '/suggest 希望停暖前能提前一周通知');
    const reply = h.lastText(u);
    expect(reply).toMatch(/^感谢您的建议！已登记为 S20261128-\d{4}/);
    expect(await ticketOf(numberIn(reply))).toMatchObject({
      kind: 'suggestion',
      description: '希望停暖前能提前一周通知',
      source: 'telegram',
      // HQ answers suggestions (R18/R19): held by the centre, the resident's community kept
      branchId: null,
      communityId: expect.any(String),
    });
  });

  it('the menu button asks for it, and the answer is stored, even from a resident without an account', async () => {
    const u = newUser();
    await h.say(u, '💡 提建议');
    expect(h.lastText(u)).toBe('请写下您的建议，直接回复这条消息：');
    await h.answer(u, '建议在小区门口贴上抢修电话');
    const t = await ticketOf(numberIn(h.lastText(u)));
    expect(t).toMatchObject({ kind: 'suggestion', verified: false, branchId: null, status: 'received' });
  });
});

describe('questions', () => {
  it('are answered from the FAQ: the heating season from the organisation config (R20)', async () => {
    const u = await bound();
    const before = await h.core.db.ticket.count();
    await h.say(u, '/ask 今年什么时候供暖？');
    expect(h.lastText(u)).toContain('10月15日至次年4月15日');
    expect(await h.core.db.ticket.count()).toBe(before);
  });

  it('know the indoor temperature standard of 18 ℃ and who to call (R22)', async () => {
    const u = await bound();
    await h.say(u, '/ask 室温标准是多少度？');
    expect(h.lastText(u)).toContain('18℃');
    await h.say(u, '❓ 咨询');
    await h.tap(u, '有事找谁');
    expect(h.lastText(u)).toContain('0471-96556');
    expect(h.lastText(u)).toContain('0471-96556 转 1');
  });

  it('a plain question the FAQ knows is answered without a ticket', async () => {
    const u = await bound();
    const before = await h.core.db.ticket.count();
    await h.say(u, '请问热费怎么交？');
    expect(h.lastText(u)).toContain('热费按供热面积计收');
    expect(await h.core.db.ticket.count()).toBe(before);
  });

  it('a question the FAQ does not know becomes a consultation ticket with a promised answer time', async () => {
    const u = await bound();
    await h.say(u, '/ask 暖气片可以自己刷漆吗？');
    const reply = h.lastText(u);
    expect(reply).toMatch(/^您的问题已转给客户服务中心，编号 Q20261128-\d{4}，将在 .+ 前答复。$/);
    expect(await ticketOf(numberIn(reply))).toMatchObject({ kind: 'consultation', description: '暖气片可以自己刷漆吗？' });
  });

  it('"not answered" on an FAQ answer passes the question to a person', async () => {
    const u = await bound();
    await h.say(u, '/ask 供暖季能延长吗？');
    await h.tap(u, '转人工');
    const t = await ticketOf(numberIn(h.lastText(u)));
    expect(t).toMatchObject({ kind: 'consultation', description: '供暖季能延长吗？' });
  });
});

describe('prices (R9-R13)', () => {
  it("show the branch's own prices over the company's (jinqiao labour 45 yuan an hour)", async () => {
    const jinqiao = await bound('1010269280');
    await h.say(jinqiao, '/prices');
    const text = h.lastText(jinqiao);
    expect(text).toContain('有偿服务价目表（金桥供热分公司）');
    expect(text).toContain('人工费（每小时）：45 元/小时');
    expect(text).toContain('自备材料的，只收基本人工费 30 元。');
    expect(text).toContain('免费提供技术指导');

    const xincheng = await bound();
    await h.say(xincheng, '💰 收费标准');
    expect(h.lastText(xincheng)).toContain('人工费（每小时）：40 元/小时');
  });

  it('a paid visit is requested with one tap, with the materials choice (R11, R12)', async () => {
    const u = await bound();
    await h.say(u, '/prices');
    const prices = h.last(u);
    expect(buttonsOf(prices).map((b) => b.text)).toEqual(['🔧 预约上门（用公司材料）', '🔧 预约上门（自备材料）']);
    await h.tap(u, '自备材料');
    const t = await ticketOf(numberIn(h.lastText(u)));
    expect(t).toMatchObject({ kind: 'paid_service', paidMaterials: 'own', branchId: 'xincheng', verified: true });
  });

  it('a resident without an account gives the address first', async () => {
    const u = newUser();
    await h.say(u, '/prices');
    expect(h.lastText(u)).toContain('各分公司价格可能不同');
    await h.tap(u, '用公司材料');
    expect(h.lastText(u)).toContain('有偿服务上门：使用公司材料');
    await h.answer(u, '世纪华庭 8号楼3单元1102');
    const t = await ticketOf(numberIn(h.lastText(u)));
    expect(t).toMatchObject({ kind: 'paid_service', paidMaterials: 'company', branchId: 'jinqiao', communityId: 'c036' });
  });
});
