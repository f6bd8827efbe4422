/**
 * A leak is filed first and clarified after: a resident the bot does not know the address of
 * gets the number and the hotline at once, the ticket waits in the centre's triage queue, and
 * the answer to "where?" routes it. Severity and scope (the trained classifier's) survive every
 * question. Demo: 幸福家园 (c001) belongs to the 新城 branch (channels C1XINCHED / C1XINCHEU).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindByPhone, startTelegramHarness, telegramContact, telegramUser, type Harness, type TgUser } from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 31_000;
const newUser = () => telegramUser(++nextUser);
const numberIn = (text: string) => /[TSQP]\d{8}-\d{4}/.exec(text)?.[0] ?? '';
const ticketOf = (number: string) => h.core.db.ticket.findUniqueOrThrow({ where: { number } });
const owed = (ticketId: number) => h.core.db.outboxMessage.findMany({ where: { payload: { contains: `"ticketId":${ticketId},` } }, orderBy: { id: 'asc' } });
const newest = () => h.core.db.ticket.findFirstOrThrow({ orderBy: { id: 'desc' } });

beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h?.close());

async function boundResident(): Promise<TgUser> {
  const u = newUser();
  await bindByPhone(h, u);
  return u;
}

describe('a leak from a resident whose address the bot does not know', () => {
  it('is filed at once into the triage queue with the number and the emergency hotline, then the address is asked (R8j, R3)', async () => {
    const u = newUser();
    await h.say(u, '卫生间暖气管漏水了，水流了一地');
    const texts = h.botTexts(u);
    const number = numberIn(texts.at(-2)!);
    expect(number).toMatch(/^T\d{8}-\d{4}$/);
    expect(texts.at(-2)).toContain('紧急');
    expect(texts.at(-2)).toContain(h.core.org.config.company.emergencyHotline);
    expect(h.lastText(u)).toContain(`工单 ${number}：请告诉我具体地址`);
    // the one-tap phone share goes with the question
    expect(h.last(u).reply_markup?.keyboard?.flat()[0]).toMatchObject({ text: '📱 一键留手机号', request_contact: true });
    const t = await ticketOf(number);
    expect(t).toMatchObject({ category: 'leak', severity: 'urgent', status: 'received', branchId: null });
    expect((await owed(t.id)).map((m) => [m.kind, m.target])).toContainEqual(['triage', 'C0CENTRE01']);
  });

  it('is routed to the branch by a plainly typed address: dispatch card and urgent alert, and the resident hears who has it (R8a)', async () => {
    const u = newUser();
    await h.say(u, '卫生间暖气管漏水了，水流了一地');
    const number = numberIn(h.botTexts(u).at(-2)!);
    await h.say(u, '幸福家园 3号楼2单元501');
    expect(h.lastText(u)).toBe(`好的，地址已补到工单 ${number}：幸福家园（幸福家园 3号楼2单元501）。已转给新城供热分公司，师傅会尽快联系您。`);
    const t = await ticketOf(number);
    expect(t).toMatchObject({ status: 'dispatched', branchId: 'xincheng', communityId: 'c001', address: '幸福家园 3号楼2单元501', severity: 'urgent' });
    const kinds = (await owed(t.id)).map((m) => [m.kind, m.target]);
    expect(kinds).toContainEqual(['ticket_card', 'C1XINCHED']);
    expect(kinds).toContainEqual(['urgent_alert', 'C1XINCHEU']);
    const dispatched = await h.core.db.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id, type: 'dispatched' } });
    // routed by the system on the resident's address (the card's history says 系统 派单, not that the resident dispatched it)
    expect(dispatched.actor).toBe('system');
    expect(JSON.parse(dispatched.data ?? '{}')).toMatchObject({ by: 'address', residentId: t.residentId });
    // remembered for the next report
    await h.say(u, '暖气片又漏水了');
    expect((await newest()).branchId).toBe('xincheng');
  });

  it('stays with the centre when the community is unknown: the words are kept as a note, and the resident is not asked again', async () => {
    const u = newUser();
    await h.say(u, '家里暖气管爆了，水一直在流');
    const number = numberIn(h.botTexts(u).at(-2)!);
    await h.say(u, '火星小区 8号楼');
    expect(h.lastText(u)).toBe('地址记下了：火星小区 8号楼\n这个小区系统里没对上，客服中心的同事会打电话跟您核实，不用再发一遍。');
    const t = await ticketOf(number);
    expect(t).toMatchObject({ status: 'received', branchId: null, address: '火星小区 8号楼' });
    const note = await h.core.db.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id, type: 'note' } });
    expect(note.note).toBe('火星小区 8号楼');
    // the centre sees the words in a fresh triage message
    expect((await owed(t.id)).filter((m) => m.kind === 'triage')).toHaveLength(2);
    // the next message is an ordinary message again, not another address
    await h.say(u, '/status');
    expect(h.lastText(u)).not.toContain('地址记下了');
  });

  it('keeps a shared phone number on the resident and the waiting ticket, and still takes the address', async () => {
    const u = newUser();
    await h.say(u, '楼道里暖气管漏水');
    const number = numberIn(h.botTexts(u).at(-2)!);
    await h.post(telegramContact(u, '+86 139 0000 1234'));
    expect(h.lastText(u)).toBe('手机号记下了（13900001234），工作人员会打这个电话联系您。地址也请直接发文字告诉我。');
    expect((await ticketOf(number)).contactPhone).toBe('13900001234');
    expect((await h.core.db.resident.findUniqueOrThrow({ where: { telegramUserId: String(u.id) } })).phone).toBe('13900001234');
    await h.say(u, '金桥新村 5号楼1单元302');
    expect(await ticketOf(number)).toMatchObject({ branchId: 'jinqiao', contactPhone: '13900001234' });
  });

  it("routes the leak by the account's address when the shared phone is a customer's", async () => {
    const u = newUser();
    await h.say(u, '家里漏水了');
    const number = numberIn(h.botTexts(u).at(-2)!);
    const customer = await h.core.stores.customers.byAccount('1010000000');
    await h.post(telegramContact(u, customer!.phone));
    expect(h.lastText(u)).toContain(`地址已补到工单 ${number}`);
    expect(await ticketOf(number)).toMatchObject({ branchId: 'xincheng', status: 'dispatched' });
  });
});

describe('severity and scope survive the address question (trained classifier)', () => {
  it('"小区门口马路上冒热水，主管道漏水了" is leak / major / primary from an unbound resident as from a bound one, and the leaders are alerted (R8k)', async () => {
    const words = '小区门口马路上冒热水，主管道漏水了';
    const bound = await boundResident();
    await h.say(bound, words);
    const fromBound = await newest();
    const u = newUser();
    await h.say(u, words);
    const unbound = await newest();
    await h.say(u, '幸福家园 1号楼');
    const routed = await ticketOf(unbound.number);
    const cls = (t: typeof fromBound) => ({ kind: t.kind, category: t.category, severity: t.severity, scope: t.scope });
    expect(cls(fromBound)).toEqual({ kind: 'complaint', category: 'leak', severity: 'major', scope: 'primary' });
    expect(cls(routed)).toEqual(cls(fromBound));
    expect((await owed(unbound.id)).map((m) => [m.kind, m.target])).toContainEqual(['major_alert', 'C0LEADER01']);
  });

  it('"整个小区都不热" keeps the classification of a bound resident through the address question', async () => {
    const words = '整个小区都不热';
    const bound = await boundResident();
    await h.say(bound, words);
    await h.tap(bound, '提交');
    const fromBound = await ticketOf(numberIn(h.lastText(bound)));
    const u = newUser();
    await h.say(u, words);
    await h.tap(u, '提交');
    expect(h.lastText(u)).toContain('需要知道您的住址');
    await h.say(u, '幸福家园 2号楼1单元101');
    const fromUnbound = await newest();
    const cls = (t: typeof fromBound) => ({ kind: t.kind, category: t.category, severity: t.severity, scope: t.scope });
    expect(cls(fromBound)).toMatchObject({ category: 'no_heat' });
    expect(cls(fromUnbound)).toEqual(cls(fromBound));
    expect(fromUnbound).toMatchObject({ branchId: 'xincheng', description: words });
  });
});
