/**
 * Understanding what residents write, through the real bot and the trained classifier: the FAQ is
 * checked first but never takes a reported fault (R20, R22), price questions answer with the
 * branch's price lines and a booking button (R9-R12), English faults are repairs, and several
 * problems in one message are offered as separate tickets, a leak among them filed at once (R8j).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindByPhone, buttonsOf, startTelegramHarness, telegramUser, type Harness, type TgUser } from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 15_500;
const newUser = (languageCode?: string) => telegramUser(++nextUser, languageCode ? { languageCode } : {});
const ticketCount = () => h.core.db.ticket.count();
const ticketsOf = async (u: TgUser) => {
  const resident = await h.core.db.resident.findFirstOrThrow({ where: { telegramUserId: String(u.id) } });
  return h.core.db.ticket.findMany({ where: { residentId: resident.id }, orderBy: { number: 'asc' } });
};

/** The newest bot message in the chat that has inline buttons. */
const lastWithButtons = (u: TgUser) => [...h.fake.botMessages(u.id)].reverse().find((m) => buttonsOf(m).length > 0)!;

async function bound(languageCode?: string): Promise<TgUser> {
  const u = newUser(languageCode);
  await bindByPhone(h, u);
  return u;
}

beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

describe('the FAQ is checked first (R20)', () => {
  it.each([
    ['今年啥时候来暖气呀', '10月15日至次年4月15日'],
    ['几号开始供暖？', '10月15日'],
    ['想办报停，怎么弄', '报停'],
    ['房子空着没人住，暖气费能不交吗', '报停'],
    ['热费交重了能退吗', '退费'],
    ['报停以后来年怎么开栓', '开栓'],
    ['能用微信交暖气费不', '交热费'],
  ])('"%s" is answered from the FAQ with no ticket and a button for a person', async (text, expected) => {
    const u = await bound();
    const before = await ticketCount();
    await h.say(u, text);
    const reply = h.last(u);
    expect(reply.text).toContain(expected);
    expect(buttonsOf(reply).map((b) => b.text)).toEqual(['🙋 没解决？转人工解答']);
    expect(await ticketCount()).toBe(before);
  });

  it('a new entry answers with the organisation’s hotline and season start', async () => {
    const u = await bound();
    await h.say(u, '报停');
    expect(h.lastText(u)).toMatch(/^🏠 报停（暂停供暖）\n/);
    expect(h.lastText(u)).toContain('每年10月15日前');
    expect(h.lastText(u)).toContain('0471-96556');
  });

  it('the topic buttons list the new entries too', async () => {
    const u = await bound();
    await h.say(u, '❓ 咨询');
    const titles = buttonsOf(lastWithButtons(u)).map((b) => b.text);
    expect(titles).toEqual(expect.arrayContaining(['🏠 报停（暂停供暖）', '💴 退费', '🔓 开栓（开通供暖）', '🏦 在哪儿交热费']));
  });

  it.each([
    ['暖气不热 什么时候能修好', '投诉/报修 · 暖气不热'],
    ['屋里冷得跟冰窖似的，啥时候来人修', '投诉/报修 · 暖气不热'],
    ['这个月热费扣多了，你们给查查', '投诉/报修 · 热费'],
  ])('a reported fault is not swallowed by the FAQ: "%s" is proposed as a ticket', async (text, proposal) => {
    const u = await bound();
    await h.say(u, text);
    expect(h.lastText(u)).toContain(`我理解您要反映的是：${proposal}`);
    expect(buttonsOf(h.last(u)).map((b) => b.text)).toContain('✅ 提交');
  });
});

describe('price questions (R9-R12)', () => {
  it('"换个暖气片多少钱" answers with the radiator lines of the branch list and the booking buttons, not a booking', async () => {
    const u = await bound();
    const before = await ticketCount();
    await h.say(u, '换个暖气片多少钱');
    const reply = h.last(u);
    expect(reply.text).toMatch(/^您问的价格（新城供热分公司）：\n/);
    expect(reply.text).toContain('· 钢制暖气片（600型，每片）：85 元/片');
    expect(reply.text).toContain('· 铸铁暖气片（760型，每片）：65 元/片');
    expect(reply.text).toContain('· 更换暖气片人工（每组）：80 元/组');
    expect(reply.text).not.toContain('弯头');
    expect(reply.text).toContain('自备材料的，只收基本人工费 30 元。');
    expect(buttonsOf(reply).map((b) => b.text)).toEqual(['🔧 预约上门（用公司材料）', '🔧 预约上门（自备材料）']);
    expect(await ticketCount()).toBe(before);
  });

  it('the booking button under the answer books the paid visit (R11)', async () => {
    const u = await bound();
    await h.say(u, '换阀门要多少钱？');
    expect(h.lastText(u)).toContain('铜球阀 DN20');
    expect(h.lastText(u)).toContain('温控阀');
    await h.tap(u, '预约上门（自备材料）');
    const [ticket] = await ticketsOf(u);
    expect(ticket).toMatchObject({ kind: 'paid_service' });
  });

  it('English: "how much is a new radiator" lists the radiators in English', async () => {
    const u = await bound('en');
    await h.say(u, 'how much is a new radiator?');
    expect(h.lastText(u)).toContain('Steel radiator 600 (per section)');
    expect(h.lastText(u)).not.toContain('Elbow');
  });
});

describe('English faults are repairs', () => {
  it.each([
    ['my radiator is cold', 'Complaint / repair · No heat'],
    ['the pipes are very noisy', 'Complaint / repair · Noise / pressure'],
  ])('"%s" is proposed as a repair', async (text, proposal) => {
    const u = await bound('en');
    await h.say(u, text);
    expect(h.lastText(u)).toContain(proposal);
  });

  it('"there is a leak under the sink" is filed at once as an urgent leak (R8j)', async () => {
    const u = await bound('en');
    await h.say(u, 'there is a leak under the sink');
    const [ticket] = await ticketsOf(u);
    expect(ticket).toMatchObject({ kind: 'complaint', category: 'leak', severity: 'urgent' });
  });
});

describe('several problems in one message', () => {
  it('a leak and a billing problem: the leak is filed at once, the bill offered as a ticket of its own', async () => {
    const u = await bound();
    await h.say(u, '卫生间管子漏水了，还有这个月暖气费扣多了');
    let tickets = await ticketsOf(u);
    expect(tickets).toHaveLength(1);
    expect(tickets[0]).toMatchObject({ category: 'leak', severity: 'urgent', description: '卫生间管子漏水了' });
    const offer = lastWithButtons(u);
    expect(offer.text).toContain('跑水已经登记并通知抢修了');
    expect(offer.text).toContain('2. 热费：这个月暖气费扣多了');
    await h.tap(u, '登记第 2 件');
    tickets = await ticketsOf(u);
    expect(tickets.map((t) => [t.category, t.description])).toEqual([
      ['leak', '卫生间管子漏水了'],
      ['billing', '这个月暖气费扣多了'],
    ]);
  });

  it('two problems without a leak get one button each and "all"; each is filed once however often tapped', async () => {
    const u = await bound();
    await h.say(u, '卧室暖气片冰凉冰凉的。另外上门的师傅态度特别差，还骂人');
    const offer = lastWithButtons(u);
    expect(offer.text).toContain('您这条消息里说了 2 件事');
    expect(buttonsOf(offer).map((b) => b.text)).toEqual(['登记第 1 件（暖气不热）', '登记第 2 件（服务态度）', '全部登记']);
    expect(await ticketsOf(u)).toHaveLength(0);
    const tapOne = await h.tap(u, '登记第 1 件');
    await h.post(tapOne);
    expect(buttonsOf(lastWithButtons(u)).map((b) => b.text)).toEqual(['登记第 2 件（服务态度）']);
    await h.tap(u, '登记第 2 件');
    const tickets = await ticketsOf(u);
    expect(tickets.map((t) => [t.category, t.description])).toEqual([
      ['no_heat', '卧室暖气片冰凉冰凉的'],
      ['staff_conduct', '上门的师傅态度特别差，还骂人'],
    ]);
  });

  it('"全部登记" files every problem once, also when tapped again', async () => {
    const u = await bound();
    await h.say(u, '厨房暖气片一点不热，还有暖气管子晚上咚咚响吵得睡不着');
    const all = await h.tap(u, '全部登记');
    await h.post(all);
    const tickets = await ticketsOf(u);
    expect(tickets.map((t) => t.category)).toEqual(['no_heat', 'noise_pressure']);
    expect(h.botTexts(u).filter((t) => t.startsWith('已为您登记'))).toHaveLength(2);
  });

  it('one problem said in two sentences is one proposal', async () => {
    const u = await bound();
    await h.say(u, '暖气一点都不热。屋里才十二度');
    expect(h.lastText(u)).toContain('我理解您要反映的是：投诉/报修 · 暖气不热');
  });
});
