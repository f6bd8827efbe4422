/** Ticket numbers go out as `code` entities (tap to copy), at the right UTF-16 offsets. */
import { Api } from 'grammy';
import { afterEach, describe, expect, it } from 'vitest';
import { monospaceTicketNumbers, ticketNumberEntities, withMonospaceNumbers } from '../../../src/bots/telegram/monospace.js';
import { FakeTelegramApi } from '../../../tools/dev/fake-telegram-api.js';

/** What a person sees in monospace: the slices the entities cover. */
function covered(text: string, entities: { offset: number; length: number }[]): string[] {
  return entities.map((e) => text.slice(e.offset, e.offset + e.length));
}

describe('ticket numbers in a text', () => {
  it('every shape of number (repair, suggestion, question, paid visit) is found', () => {
    const text = '工单 T20261128-0042、S20261128-0001、Q20261128-0003 和 P20261231-12345';
    expect(covered(text, ticketNumberEntities(text))).toEqual(['T20261128-0042', 'S20261128-0001', 'Q20261128-0003', 'P20261231-12345']);
    expect(ticketNumberEntities(text).every((e) => e.type === 'code')).toBe(true);
  });

  it('offsets count UTF-16 code units: an emoji before the number takes two, a CJK character one', () => {
    const text = '⚠️🔥 已登记，工单号：T20261128-0042';
    const [e] = ticketNumberEntities(text);
    // ⚠ (1) + variation selector (1) + 🔥 (2, a surrogate pair) + space + 8 CJK/punctuation = 13
    expect(e.offset).toBe(13);
    expect(e.length).toBe(14);
    expect(text.slice(e.offset, e.offset + e.length)).toBe('T20261128-0042');
  });

  it('a look-alike glued to other letters or digits is not a ticket number', () => {
    expect(ticketNumberEntities('XT20261128-0042 T20261128-00421x T2026112-0042 t20261128-0042')).toEqual([{ type: 'code', offset: 16, length: 15 }]);
    expect(ticketNumberEntities('暖气不热，室温16度')).toEqual([]);
  });
});

describe('the payload of an API call', () => {
  it('a plain sendMessage or editMessageText gets entities', () => {
    const p = withMonospaceNumbers('sendMessage', { chat_id: 1, text: '工单 T20261128-0042 已受理' });
    expect(p.entities).toEqual([{ type: 'code', offset: 3, length: 14 }]);
    expect(withMonospaceNumbers('editMessageText', { chat_id: 1, message_id: 2, text: '已提交：漏水 · 工单 T20261128-0042' }).entities).toHaveLength(1);
  });

  it('a caption gets caption_entities', () => {
    const p = withMonospaceNumbers('sendPhoto', { chat_id: 1, photo: 'f', caption: 'T20261128-0042 的照片' });
    expect(p.caption_entities).toEqual([{ type: 'code', offset: 0, length: 14 }]);
  });

  it('a text with its own parse_mode or entities, or without a number, is left as it is', () => {
    const html = { chat_id: 1, text: '<b>T20261128-0042</b>', parse_mode: 'HTML' };
    expect(withMonospaceNumbers('sendMessage', html)).toBe(html);
    const own = { chat_id: 1, text: 'T20261128-0042', entities: [{ type: 'bold', offset: 0, length: 1 }] };
    expect(withMonospaceNumbers('sendMessage', own)).toBe(own);
    const plain = { chat_id: 1, text: '您好' };
    expect(withMonospaceNumbers('sendMessage', plain)).toBe(plain);
    const other = { callback_query_id: 'x', text: 'T20261128-0042' };
    expect(withMonospaceNumbers('answerCallbackQuery', other)).toBe(other);
  });
});

describe('the transformer on a real client', () => {
  let fake: FakeTelegramApi | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('what reaches the Bot API carries the code entity', async () => {
    fake = await FakeTelegramApi.start();
    const api = new Api('1:t', { apiRoot: fake.apiRoot });
    api.config.use(monospaceTicketNumbers());
    const text = '🔧 已为您登记，工单号：Q20261128-0007';
    await api.sendMessage(42, text);
    const [call] = fake.callsOf('sendMessage');
    const entities = typeof call.params.entities === 'string' ? JSON.parse(call.params.entities) : call.params.entities;
    expect(covered(text, entities)).toEqual(['Q20261128-0007']);
  });
});
