/**
 * Reporting through the bot, end to end: webhook in, fake Bot API out, real database.
 * The demo customer 1010000000 (王秀兰, phone ending 1590) lives in 幸福家园 (c001, 新城 branch).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bindByPhone, buttonsOf, startTelegramHarness, telegramPhoto, telegramText, telegramUser, type Harness, type TgUser } from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 2000;
const newUser = () => telegramUser(++nextUser);

async function boundResident(): Promise<TgUser> {
  const u = newUser();
  await bindByPhone(h, u);
  return u;
}

const ticketOf = (number: string) => h.core.db.ticket.findUniqueOrThrow({ where: { number }, include: { photos: true } });
const numberIn = (text: string) => /[TSQP]\d{8}-\d{4}/.exec(text)?.[0] ?? '';

beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

describe('a report in one sentence', () => {
  it('is proposed with buttons and, on submit, filed with the number, the branch and the time limit', async () => {
    const wang = await boundResident();
    await h.say(wang, '暖气不热，室温只有15度');
    const proposal = h.last(wang);
    expect(proposal.text).toContain('暖气不热');
    expect(proposal.text).toContain('幸福家园17号楼2单元201室');
    expect(proposal.reply_to_message?.text).toBe('暖气不热，室温只有15度');
    expect(buttonsOf(proposal).map((b) => b.text)).toEqual(['✅ 提交', '✏️ 不对，换一类', '✖️ 取消']);

    await h.tap(wang, '提交');
    const reply = h.lastText(wang);
    const number = numberIn(reply);
    expect(number).toMatch(/^T20261128-\d{4}$/);
    expect(reply).toContain('新城供热分公司');
    // Clock: 14:00 local; the time-limit table gives 1 h to be on site and 24 h to repair.
    expect(reply).toContain('15:00 前上门');
    expect(reply).toContain('2026-11-29 14:00 前处理完毕');

    const t = await ticketOf(number);
    expect(t).toMatchObject({
      kind: 'complaint',
      category: 'no_heat',
      source: 'telegram',
      branchId: 'xincheng',
      verified: true,
      description: '暖气不热，室温只有15度',
      firstResponder: 'telegram',
    });
    // The proposal's buttons are gone, so it cannot be submitted again by mistake.
    expect(buttonsOf(h.fake.message(wang.id, proposal.message_id)!)).toEqual([]);
  });

  it('is filed once even when "submit" is tapped twice', async () => {
    const u = await boundResident();
    await h.say(u, '家里暖气片不热，只有16度');
    const proposal = h.last(u);
    const before = await h.core.db.ticket.count();
    const data = buttonsOf(proposal)[0].callback_data;
    const { telegramCallback } = await import('../../helpers/telegram.js');
    await h.post(telegramCallback(u, data, proposal));
    await h.post(telegramCallback(u, data, proposal));
    expect(await h.core.db.ticket.count()).toBe(before + 1);
    const toasts = h.fake.callsOf('answerCallbackQuery').map((c) => c.params.text);
    expect(toasts).toContain('这条已经为您登记过了，发送 /status 可查看进度。');
  });

  it('can be put in another category before it is filed', async () => {
    const u = await boundResident();
    await h.say(u, '暖气片有噪音，咚咚响，晚上睡不着');
    expect(h.last(u).text).toContain('噪音/压力');
    await h.tap(u, '换一类');
    expect(h.last(u).text).toBe('请选一下是哪类问题，我马上为您登记：');
    await h.tap(u, '暖气不热');
    const t = await ticketOf(numberIn(h.lastText(u)));
    expect(t.category).toBe('no_heat');
    expect(t.description).toBe('暖气片有噪音，咚咚响，晚上睡不着');
  });

  it('offers every choice when the bot cannot tell what it is about', async () => {
    const u = await boundResident();
    // not '你好' any more: a greeting is answered as one (small-talk.test.ts)
    await h.say(u, '楼道里的事');
    const m = h.last(u);
    expect(m.text).toBe('请选一下是哪类问题，我马上为您登记：');
    expect(buttonsOf(m).map((b) => b.text)).toEqual(expect.arrayContaining(['暖气不热', '跑水/漏水', '💡 是建议', '❓ 是咨询', '✖️ 取消']));
    await h.tap(u, '取消');
    expect(h.lastText(u)).toBe('好的，已取消，没有登记。');
  });
});

describe('a leak (R8j)', () => {
  it('is filed at once as urgent, alerts the branch, and tells the resident the emergency hotline', async () => {
    const u = await boundResident();
    const before = await h.core.db.ticket.count();
    await h.say(u, '楼上跑水了，顺着墙往下流');
    expect(await h.core.db.ticket.count()).toBe(before + 1);
    const reply = h.lastText(u);
    expect(reply).toContain('紧急');
    expect(reply).toContain('0471-96556 转 1');
    const t = await ticketOf(numberIn(reply));
    expect(t).toMatchObject({ category: 'leak', severity: 'urgent', branchId: 'xincheng' });
    // Leak row of the time-limit table: on site within 30 minutes.
    expect(reply).toContain('14:30 前上门');
    const alert = await h.core.db.outboxMessage.findFirst({ where: { kind: 'urgent_alert', payload: { contains: `"ticketId":${t.id}` } } });
    expect(alert?.target).toBe('C1XINCHEU');
  });

  it('owes the number through the outbox when Telegram refuses the reply (a cold snap passes its limit), and sends it under the resident’s message (R3)', async () => {
    const u = await boundResident();
    // the bot's reply is refused with 429, and the outbox's first try with a 502
    h.fake.failNext('sendMessage', { status: 429, retryAfterSec: 1, description: 'Too Many Requests: retry after 1' });
    h.fake.failNext('sendMessage', { status: 502 });
    const res = await h.post(telegramText(u, '卫生间暖气跑水了'));
    expect(res.statusCode).toBe(200); // handled: the report is stored and its number owed
    const t = await h.core.db.ticket.findFirstOrThrow({ where: { description: '卫生间暖气跑水了' } });
    const owed = await h.core.db.outboxMessage.findUniqueOrThrow({ where: { key: `filed:${t.id}` } });
    expect(owed).toMatchObject({ platform: 'telegram', kind: 'ticket_filed', state: 'pending', target: String(u.id) });
    expect(h.botTexts(u).some((x) => x.includes(t.number))).toBe(false);
    for (let i = 0; i < 5 && !h.botTexts(u).some((x) => x.includes(t.number)); i++) {
      h.core.clock.advance(60_000);
      await h.drain();
    }
    const reply = h.last(u);
    expect(reply.text).toContain(t.number);
    expect(reply.text).toContain('0471-96556 转 1');
    expect(reply.reply_to_message?.text).toBe('卫生间暖气跑水了');
    expect(await h.core.db.outboxMessage.findUniqueOrThrow({ where: { key: `filed:${t.id}` } })).toMatchObject({ state: 'sent' });
  });

  it.each(['漏水', '爆管', '水淹', '淹了', '喷水'])('"%s" makes a report urgent', async (word) => {
    const u = await boundResident();
    await h.say(u, `家里${word}，快来人`);
    const t = await ticketOf(numberIn(h.lastText(u)));
    expect(t.severity).toBe('urgent');
  });
});

describe('a report by buttons', () => {
  it('/report, a tap on a category and a sentence in answer file the ticket in that category', async () => {
    const u = await boundResident();
    await h.say(u, '/report');
    expect(h.lastText(u)).toBe('遇到什么问题？点一下，或者直接写一句话告诉我：');
    await h.tap(u, '暖气不热');
    expect(h.lastText(u)).toContain('暖气不热：请用一句话说说情况');
    expect(h.last(u).reply_markup?.force_reply).toBe(true);
    await h.answer(u, '从昨天晚上开始，卧室只有14度');
    const t = await ticketOf(numberIn(h.lastText(u)));
    expect(t).toMatchObject({ category: 'no_heat', description: '从昨天晚上开始，卧室只有14度', branchId: 'xincheng' });
  });

  it('works with taps only: the menu button, a category, "submit as it is"', async () => {
    const u = await boundResident();
    await h.say(u, '🔧 报修');
    await h.tap(u, '噪音/压力');
    await h.tap(u, '直接提交');
    const t = await ticketOf(numberIn(h.lastText(u)));
    expect(t).toMatchObject({ category: 'noise_pressure', description: '噪音/压力（按钮报修，未附说明）' });
  });
});

describe('a resident without a heating account', () => {
  it('is asked once for the community and flat, and the ticket is routed there and marked unverified', async () => {
    const u = newUser();
    await h.say(u, '暖气不热，家里很冷');
    expect(h.last(u).text).toContain('还不知道');
    await h.tap(u, '提交');
    expect(h.lastText(u)).toContain('需要知道您的住址');
    await h.answer(u, '金桥新村 5号楼1单元302');
    const texts = h.botTexts(u);
    expect(texts.at(-2)).toContain('已记下您的地址：金桥新村');
    const t = await ticketOf(numberIn(h.lastText(u)));
    expect(t).toMatchObject({
      category: 'no_heat',
      description: '暖气不热，家里很冷',
      communityId: 'c035',
      branchId: 'jinqiao',
      verified: false,
      customerId: null,
    });
    expect(h.lastText(u)).toContain('金桥供热分公司');
    expect(h.lastText(u)).toContain('电话核实');

    // The next report goes straight through: the flat is remembered.
    await h.say(u, '暖气片漏水了');
    const leak = await ticketOf(numberIn(h.lastText(u)));
    expect(leak).toMatchObject({ category: 'leak', communityId: 'c035' });
  });

  // Before, the bot asked again and again ("没找到这个小区") until a known community was typed;
  // now one try is enough: the report goes to the centre's triage queue with the words typed.
  it('files to the centre with the words typed when the community is not one the company serves, without asking again', async () => {
    const u = newUser();
    await h.say(u, '/report');
    await h.tap(u, '暖气不热');
    await h.answer(u, '整个屋子都冷');
    expect(h.lastText(u)).toContain('需要知道您的住址');
    await h.answer(u, '火星小区 1号楼');
    expect(h.botTexts(u).join('\n')).not.toContain('没找到这个小区');
    expect(h.lastText(u)).toBe('地址记下了：火星小区 1号楼\n这个小区系统里没对上，客服中心的同事会打电话跟您核实，不用再发一遍。');
    const t = await ticketOf(numberIn(h.botTexts(u).at(-2)!));
    expect(t).toMatchObject({
      category: 'no_heat',
      description: '整个屋子都冷',
      communityId: null,
      branchId: null,
      status: 'received',
      address: '火星小区 1号楼',
    });
  });
});

describe('photos', () => {
  it('a photo with a caption is a report with the photo attached', async () => {
    const u = await boundResident();
    await h.post(telegramPhoto(u, { caption: '暖气片不热，室温15度', fileId: 'radiator-photo' }));
    await h.tap(u, '提交');
    const t = await ticketOf(numberIn(h.lastText(u)));
    expect(t.photos.map((p) => p.fileId)).toEqual(['radiator-photo']);
  });

  it('a photo without a caption joins the report just filed', async () => {
    const u = await boundResident();
    await h.say(u, '楼道里暖气管漏水');
    const number = numberIn(h.lastText(u));
    await h.post(telegramPhoto(u, { fileId: 'leak-photo' }));
    expect(h.lastText(u)).toBe(`照片已附到工单 ${number}。`);
    expect((await ticketOf(number)).photos.map((p) => p.fileId)).toEqual(['leak-photo']);
  });

  it('a photo on its own, with no recent report, asks what it shows and files it by tap', async () => {
    const u = await boundResident();
    await h.post(telegramPhoto(u, { fileId: 'lonely-photo' }));
    expect(h.lastText(u)).toBe('收到照片。这是什么问题？点一下就为您报修：');
    await h.tap(u, '暖气不热');
    const t = await ticketOf(numberIn(h.lastText(u)));
    expect(t).toMatchObject({ category: 'no_heat', description: '暖气不热（见照片）' });
    expect(t.photos.map((p) => p.fileId)).toEqual(['lonely-photo']);
  });
});
