/**
 * What a resident writes while their ticket is open joins that ticket (issue: follow-ups): words,
 * photos and albums, voice, locations and edits become notes on it, each owing a line in the
 * card's thread; urging ("怎么还没人来") says where the ticket is and records 催办 (R2); staff are
 * mentioned at most once per ticket per ten minutes however fast the resident writes.
 * The demo customer 1010000000 lives in 幸福家园 (新城 branch); its on-duty staff are 周静 and 吴娟.
 */
import type { Update } from 'grammy/types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import {
  bindByPhone,
  buttonsOf,
  startTelegramHarness,
  telegramEdited,
  telegramPhoto,
  telegramText,
  telegramUser,
  telegramVoice,
  type Harness,
  type TgUser,
} from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 6100;

beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

const numberIn = (text: string) => /[TSQP]\d{8}-\d{4}/.exec(text)?.[0] ?? '';
const ticketCount = () => h.core.db.ticket.count();
const ticket = (number: string) => h.core.db.ticket.findUniqueOrThrow({ where: { number }, include: { photos: true, events: { orderBy: { id: 'asc' } } } });
const residentEvents = async (number: string, type = 'note') => (await ticket(number)).events.filter((e) => e.type === type && e.actor.startsWith('resident:'));
const dataOf = (e: { data: string | null }) => JSON.parse(e.data ?? '{}') as Record<string, unknown>;

async function post(update: Update) {
  const res = await h.post(update);
  expect(res.statusCode).toBe(200);
}

/** A bound resident with an open no-heat ticket (proposed, then submitted). */
async function withNoHeatTicket(): Promise<{ u: TgUser; number: string }> {
  const u = telegramUser(++nextUser);
  await bindByPhone(h, u);
  await h.say(u, '家里暖气不热，室温16度');
  await h.tap(u, '提交');
  const number = numberIn(h.botTexts(u).find((t) => t.startsWith('已为您登记')) ?? '');
  expect(number).not.toBe('');
  return { u, number };
}

/** A bound resident with an open leak ticket (filed at once, R8j). */
async function withLeakTicket(): Promise<{ u: TgUser; number: string }> {
  const u = telegramUser(++nextUser);
  await bindByPhone(h, u);
  await h.say(u, '卫生间暖气片漏水了，地上全是水');
  const number = numberIn(h.botTexts(u).find((t) => t.includes('已为您登记')) ?? '');
  expect(number).not.toBe('');
  return { u, number };
}

function photoInAlbum(u: TgUser, fileId: string, album: string, caption?: string): Update {
  const update = telegramPhoto(u, { fileId, caption });
  (update.message as unknown as { media_group_id: string }).media_group_id = album;
  return update;
}

function location(u: TgUser, latitude: number, longitude: number): Update {
  const update = telegramText(u, 'x');
  const m = update.message as unknown as Record<string, unknown>;
  delete m.text;
  m.location = { latitude, longitude };
  return update;
}

describe('words on an open ticket', () => {
  it('"补充一下 是客厅北面那组暖气" joins the ticket as a note and files nothing new', async () => {
    const { u, number } = await withNoHeatTicket();
    const before = await ticketCount();
    await h.say(u, '补充一下 是客厅北面那组暖气');
    expect(h.lastText(u)).toBe(`已补充到工单 ${number}，处理的师傅能看到。`);
    expect(await ticketCount()).toBe(before);
    const [note] = await residentEvents(number);
    expect(note.note).toBe('补充一下 是客厅北面那组暖气');
    // the first note pages the branch's on-duty staff (nobody is assigned yet)
    expect(dataOf(note).notify).toEqual(['xincheng-coord', 'xincheng-field1']);
    // and owes the card's thread a line
    const t = await ticket(number);
    const card = await h.core.db.outboxMessage.findFirst({ where: { key: `card:${t.id}:${note.id}` } });
    expect(card?.kind).toBe('ticket_card');
  });

  it('"水还在流 你们人呢" after a leak report chases that ticket instead of filing a second urgent one (R2)', async () => {
    const { u, number } = await withLeakTicket();
    const before = await ticketCount();
    await h.say(u, '水还在流 你们人呢');
    expect(await ticketCount()).toBe(before);
    const reply = h.lastText(u);
    expect(reply).toContain(`工单 ${number}：跑水/漏水`);
    expect(reply).toContain('由新城供热分公司负责，正在安排师傅。');
    expect(reply).toContain('已帮您催办，处理的师傅马上能看到。');
    const [urged] = await residentEvents(number, 'urged');
    expect(urged.note).toBe('水还在流 你们人呢');
    expect(dataOf(urged).notify).toEqual(['xincheng-coord', 'xincheng-field1']);
  });

  it('a clearly different problem asks "add to the ticket, or a new problem?", and the tap adds it', async () => {
    const { u, number } = await withNoHeatTicket();
    await h.say(u, '这个月暖气费多扣了我两百块');
    const question = h.last(u);
    expect(question.text).toBe(`这条是补充到工单 ${number}（暖气不热），还是一个新问题？`);
    expect(buttonsOf(question).map((b) => b.text)).toEqual([`📎 补充到 ${number}`, '🆕 这是新问题']);
    await h.tap(u, '补充到');
    expect(h.fake.message(u.id, question.message_id)?.text).toBe(`已补充到工单 ${number}，处理的师傅能看到。`);
    expect((await residentEvents(number)).map((e) => e.note)).toEqual(['这个月暖气费多扣了我两百块']);
  });

  it('"这是新问题" takes the words to a report of their own', async () => {
    const { u, number } = await withNoHeatTicket();
    await h.say(u, '收费员态度很差，还骂人');
    await h.tap(u, '这是新问题');
    expect(h.lastText(u)).toContain('我理解您要反映的是');
    expect(await residentEvents(number)).toEqual([]);
  });

  it('a question the FAQ answers is answered, not added to the open ticket as a note (R20)', async () => {
    const { u, number } = await withNoHeatTicket();
    const before = await ticketCount();
    await h.say(u, '今年几号开始供暖啊');
    expect(h.lastText(u)).toMatch(/^📅 供暖季是哪段时间\n本公司供暖季为每年/);
    expect(buttonsOf(h.last(u)).map((b) => b.text)).toEqual([expect.stringContaining('人工')]);
    expect(await residentEvents(number)).toEqual([]);
    expect(await ticketCount()).toBe(before);
  });

  it('a second leak while a leak ticket is open joins it; a leak while only a no-heat ticket is open is filed at once (R8j)', async () => {
    const { u, number } = await withNoHeatTicket();
    const before = await ticketCount();
    await h.say(u, '厨房暖气管子也漏水了');
    expect(await ticketCount()).toBe(before + 1);
    const leak = numberIn(h.lastText(u));
    expect(leak).not.toBe(number);
    await h.say(u, '还在漏');
    expect(await ticketCount()).toBe(before + 1);
    expect((await residentEvents(leak)).map((e) => e.note)).toEqual(['还在漏']);
  });
});

describe('photos, voice, locations and edits on an open ticket', () => {
  it('an album of three photos attaches all three and is answered once', async () => {
    const { u, number } = await withNoHeatTicket();
    const said = h.botTexts(u).length;
    await post(photoInAlbum(u, 'album-a', 'g1', '暖气片照片'));
    await post(photoInAlbum(u, 'album-b', 'g1'));
    await post(photoInAlbum(u, 'album-c', 'g1'));
    expect(h.botTexts(u).slice(said)).toEqual([`照片已附到工单 ${number}。`]);
    const t = await ticket(number);
    expect(t.photos.map((p) => p.fileId)).toEqual(['album-a', 'album-b', 'album-c']);
    const notes = await residentEvents(number);
    expect(notes.map((n) => [n.note, dataOf(n).media, dataOf(n).fileId])).toEqual([
      ['暖气片照片', 'photo', 'album-a'],
      [null, 'photo', 'album-b'],
      [null, 'photo', 'album-c'],
    ]);
  });

  it('a voice message joins the ticket with its file and length; without an open ticket it asks to type or call', async () => {
    const { u, number } = await withNoHeatTicket();
    await post(telegramVoice(u));
    expect(h.lastText(u)).toBe(`语音已补充到工单 ${number}，处理的师傅能听到。`);
    const [voice] = await residentEvents(number);
    expect(dataOf(voice)).toMatchObject({ media: 'voice', fileId: 'voice-1', duration: 4 });

    const stranger = telegramUser(++nextUser);
    await post(telegramVoice(stranger));
    expect(h.lastText(stranger)).toContain('我暂时听不了语音');
  });

  it('a shared location joins the ticket with its coordinates', async () => {
    const { u, number } = await withNoHeatTicket();
    await post(location(u, 40.8424, 111.7494));
    expect(h.lastText(u)).toContain(`位置已补充到工单 ${number}。`);
    const [loc] = await residentEvents(number);
    expect(dataOf(loc)).toMatchObject({ media: 'location', location: { lat: 40.8424, lon: 111.7494 } });

    // a pin a few hundred metres from 幸福家园 (the demo file gives communities coordinates) names it
    await post(location(u, 40.8452, 111.6911));
    expect(h.lastText(u)).toContain('离您最近的是我们服务的小区：幸福家园。');
    const pins = await residentEvents(number);
    expect(dataOf(pins[pins.length - 1])).toMatchObject({ media: 'location', communityId: 'c001' });

    const stranger = telegramUser(++nextUser);
    await post(location(stranger, 40.8424, 111.7494));
    expect(h.lastText(stranger)).toContain('收到您的位置。遇到什么问题？');
  });

  it('an edited message while a ticket is open is added as what the resident says now, not refused', async () => {
    const { u, number } = await withNoHeatTicket();
    await post(telegramEdited(u, '是卧室和客厅两组都不热'));
    expect(h.lastText(u)).toBe(`您修改后的内容已补充到工单 ${number}。`);
    const [edit] = await residentEvents(number);
    expect(edit.note).toBe('（修改后）是卧室和客厅两组都不热');
  });
});

describe('urging (催办, R2)', () => {
  it('says who is coming with the staff number (R6) and by when, and mentions the assignee', async () => {
    const { u, number } = await withNoHeatTicket();
    await transitionTicket(h.core, { number, action: 'accept', actor: 'staff:xincheng-field1' });
    await h.say(u, '师傅什么时候能来');
    const reply = h.lastText(u);
    expect(reply).toContain(`工单 ${number}：暖气不热，目前已接单。`);
    expect(reply).toContain('负责上门的师傅：吴娟（工号 1002），上门时请核对工号。');
    expect(reply).toMatch(/工作人员将在 \d\d:\d\d 前上门/);
    const [urged] = await residentEvents(number, 'urged');
    expect(dataOf(urged).notify).toEqual(['xincheng-field1']);
  });

  it('a second urging within ten minutes is answered but pages nobody; after ten minutes it pages again', async () => {
    const { u, number } = await withNoHeatTicket();
    await h.say(u, '催一下');
    await h.say(u, '怎么还没人来');
    expect(h.lastText(u)).toContain('刚才已经帮您催过了');
    h.core.clock.advance(10 * MINUTE);
    await h.say(u, '人呢');
    expect(h.lastText(u)).toContain('已帮您催办');
    const urged = await residentEvents(number, 'urged');
    expect(urged.map((e) => dataOf(e).notify !== undefined)).toEqual([true, false, true]);
    expect(dataOf(urged[1])).toEqual({ staffPaged: false });
  });

  it('with nothing open says so and offers the menu', async () => {
    const u = telegramUser(++nextUser);
    await bindByPhone(h, u);
    await h.say(u, '怎么还没人来');
    expect(h.lastText(u)).toBe('您现在没有正在处理的工单。遇到什么问题，直接写一句话告诉我，或点下方菜单。');
    expect(h.last(u).reply_markup?.keyboard).toBeDefined();
  });
});

describe('a flood on an open ticket', () => {
  it('10 messages in a second: 10 notes, 10 answers, and staff paged by exactly one of them', async () => {
    const { u, number } = await withNoHeatTicket();
    const said = h.botTexts(u).length;
    for (let i = 1; i <= 10; i++) await h.say(u, `屋里还是冷，第${i}遍`);
    expect(h.botTexts(u).slice(said)).toEqual(Array(10).fill(`已补充到工单 ${number}，处理的师傅能看到。`));
    const notes = await residentEvents(number);
    expect(notes).toHaveLength(10);
    expect(notes.filter((n) => dataOf(n).notify !== undefined)).toHaveLength(1);
    // every note still reaches the card's thread
    const t = await ticket(number);
    expect(await h.core.db.outboxMessage.count({ where: { key: { in: notes.map((n) => `card:${t.id}:${n.id}`) } } })).toBe(10);
  });
});
