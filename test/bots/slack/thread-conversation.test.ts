/**
 * One conversation per ticket, both ways through the card's thread (both bots on one core, the
 * trained classifier, the fake platforms): what a resident sends after filing appears in the
 * card's thread and is counted on the card; what staff write in the thread reaches the resident's
 * chat, signed with the name and badge number (R6); strangers, bots and edits are not relayed;
 * Slack's retries relay once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConversation, type Conversation } from '../../helpers/conversation.js';
import { U } from '../../helpers/slack.js';
import { telegramContact, telegramPhoto, telegramUser } from '../../helpers/telegram.js';
import { FakeTelegramApi } from '../../../tools/dev/fake-telegram-api.js';

let c: Conversation;
const wang = telegramUser(8101, { firstName: '王秀兰' });
let ticketId: number;
let number: string;

beforeAll(async () => {
  c = await startConversation();
  const customer = await c.core.stores.customers.byAccount('1010000000');
  await c.resident(telegramContact(wang, customer!.phone));
  await c.say(wang, '暖气不热，室温只有15度');
  await c.tap(wang, '提交');
  const t = await c.ticketOf(wang);
  ticketId = t.id;
  number = t.number;
});
afterAll(() => c?.close());

describe('resident → the card’s thread', () => {
  it('a follow-up in words is quoted in the thread, mentioning the on-duty staff, and counted on the card', async () => {
    await c.say(wang, '补充一下 是客厅北面那组暖气 <!channel> http://x.example');
    const thread = await c.thread(ticketId);
    const line = thread.find((l) => l.includes('补充一下'));
    expect(line).toContain('居民补充');
    // the branch's on-duty coordinator and field staff are paged (no assignee yet)
    expect(line).toContain(`<@${U.xinchengCoord}>`);
    expect(line).toContain(`<@${U.xinchengField}>`);
    // the resident's words are escaped: no channel ping, no link markup
    expect(line).toContain('&lt;!channel&gt;');
    expect(textOfCard(await c.card(ticketId))).toContain(':speech_balloon: 1');
  });

  it('a photo is fetched from Telegram and uploaded into the thread, after its line', async () => {
    await c.resident(telegramPhoto(wang, { fileId: 'photo-radiator', caption: '就是这组' }));
    const thread = await c.thread(ticketId);
    const at = thread.findIndex((l) => l.includes('居民发来照片'));
    expect(at).toBeGreaterThan(-1);
    expect(thread[at]).toContain('就是这组');
    expect(thread[at + 1]).toMatch(/^\[file photo-\d+\.jpg\]$/);
    const card = await c.core.stores.outbox.cardOf(ticketId, 'dispatch');
    const files = c.slack.filesIn(card!.channel, card!.ts);
    expect(files).toHaveLength(1);
    expect(files[0].bytes.equals(FakeTelegramApi.fileBytes('photo-radiator'))).toBe(true);
    expect(textOfCard(await c.card(ticketId))).toContain(':camera: 1 · :speech_balloon: 1');
  });

  it('a photo Telegram will not hand out leaves a line saying so, and the delivery is done', async () => {
    c.tg.fileUnavailable('photo-huge');
    await c.resident(telegramPhoto(wang, { fileId: 'photo-huge' }));
    const thread = await c.thread(ticketId);
    expect(thread[thread.length - 1]).toContain('照片（无法获取）');
    expect(await c.core.db.outboxMessage.count({ where: { state: { not: 'sent' } } })).toBe(0);
  });
});

describe('staff → the resident', () => {
  it('a reply in the card’s thread reaches the resident, signed with the name and badge (R6), Slack markup made plain', async () => {
    await c.replyInThread(U.xinchengField, ticketId, '师傅下午两点前到 <!channel> 详见 <https://heat.example/notice|通知> &amp; 请家里留人，找<@U08DEMO008>');
    const said = c.chat(wang).at(-1)!;
    expect(said).toBe(`客服回复（${number}，吴娟（工号 1002））：\n师傅下午两点前到 @channel 详见 通知 (https://heat.example/notice) & 请家里留人，找@周静`);
    const ev = await c.core.db.ticketEvent.findFirst({ where: { ticketId, type: 'staff_reply' }, orderBy: { id: 'desc' } });
    expect(ev?.actor).toBe('staff:xincheng-field1');
    expect(JSON.parse(ev!.data!)).toMatchObject({ via: 'thread' });
  });

  it('Slack’s retry of the same event relays once', async () => {
    const before = c.chat(wang).length;
    await c.replyInThread(U.xinchengField, ticketId, '再确认一下地址', {});
    const row = await c.core.stores.outbox.cardOf(ticketId, 'dispatch');
    const event = { type: 'message', channel: row!.channel, user: U.xinchengField, text: '重发的消息', ts: '1764400000.000900', thread_ts: row!.ts };
    await c.slackEvent(event, { eventId: 'EvRETRY1' });
    await c.slackEvent(event, { eventId: 'EvRETRY1' });
    const after = c.chat(wang).slice(before);
    expect(after.filter((t) => t.includes('重发的消息'))).toHaveLength(1);
    expect(after.filter((t) => t.includes('再确认一下地址'))).toHaveLength(1);
  });

  it('strangers, bots, edits and top-level channel messages are not relayed', async () => {
    const before = c.chat(wang).length;
    const row = (await c.core.stores.outbox.cardOf(ticketId, 'dispatch'))!;
    await c.replyInThread(U.stranger, ticketId, '陌生人说话');
    await c.replyInThread(U.xinchengField, ticketId, '机器人说话', { bot_id: 'BOTHER' });
    await c.replyInThread(U.xinchengField, ticketId, '改过的话', { subtype: 'message_changed' });
    await c.slackEvent({ type: 'message', channel: row.channel, user: U.xinchengField, text: '频道里说话', ts: '1764400001.000001' });
    expect(c.chat(wang).slice(before)).toEqual([]);
  });

  it('a reply of 40,000 characters is refused, told to the staff member, and nothing is stored', async () => {
    const before = await c.core.db.ticketEvent.count({ where: { ticketId, type: 'staff_reply' } });
    const chatBefore = c.chat(wang).length;
    await c.replyInThread(U.xinchengField, ticketId, '很长'.repeat(20_000));
    expect(await c.core.db.ticketEvent.count({ where: { ticketId, type: 'staff_reply' } })).toBe(before);
    expect(c.chat(wang).length).toBe(chatBefore);
    const told = c.slack.ephemeralsFor(U.xinchengField).at(-1);
    expect(told?.text).toContain('回复太长（40000 字），最多 3500 字');
  });

  it('staff of another branch may not answer for this one', async () => {
    const before = c.chat(wang).length;
    await c.replyInThread(U.huiminField, ticketId, '我是别的分公司的');
    expect(c.chat(wang).length).toBe(before);
    expect(c.slack.ephemeralsFor(U.huiminField).at(-1)?.text).toContain('不属于您所在的分公司');
  });
});

function textOfCard(m: { blocks?: any[] }): string {
  return JSON.stringify(m.blocks ?? []);
}
