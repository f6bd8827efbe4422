/**
 * A resident who blocked the bot (Telegram answers 403): marked unreachable at the first refusal,
 * nothing more is tried (however much is owed), the centre calls them back by phone, and the
 * mark is cleared as soon as they write again. The store part runs on the database under test
 * (SQLite, or PostgreSQL with TEST_DATABASE_URL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import type { Update } from 'grammy/types';
import { bindByPhone, FAKE_BOT, startTelegramHarness, telegramUser, type Harness, type TgUser } from '../../helpers/telegram.js';

let h: Harness;
let nextUser = 6800;
let updateSeq = 900_000;

async function boundResident(): Promise<TgUser> {
  const u = telegramUser(++nextUser);
  await bindByPhone(h, u);
  return u;
}

const numberIn = (text: string) => /[TSQP]\d{8}-\d{4}/.exec(text)?.[0] ?? '';

async function fileNoHeat(u: TgUser, words = '暖气不热，室温只有15度'): Promise<string> {
  await h.say(u, words);
  await h.tap(u, '提交');
  const number = numberIn(h.lastText(u));
  if (!number) throw new Error(`not filed: ${h.lastText(u)}`);
  return number;
}

const resident = (u: TgUser) => h.core.db.resident.findUniqueOrThrow({ where: { telegramUserId: String(u.id) } });
const sendsTo = (u: TgUser) => h.fake.callsOf('sendMessage').filter((c) => Number(c.params.chat_id) === u.id);
const rowsTo = (u: TgUser) => h.core.db.outboxMessage.findMany({ where: { platform: 'telegram', target: String(u.id) }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  h = await startTelegramHarness();
});
afterAll(() => h.close());

describe('a resident who blocked the bot', () => {
  it('is marked unreachable at the first 403, and the many messages owed to them are not tried (no retry storm)', async () => {
    const u = await boundResident();
    const number = await fileNoHeat(u);
    // Staff work the ticket to its end while the resident has blocked the bot and the outbox has not run yet.
    h.fake.blockChat(u.id);
    const sentBefore = sendsTo(u).length;
    const lastRowBefore = (await rowsTo(u)).at(-1)?.id ?? 0;
    h.core.clock.advance(5 * MINUTE);
    await transitionTicket(h.core, { number, action: 'accept', actor: 'staff:xincheng-field1' });
    await transitionTicket(h.core, { number, action: 'arrive', actor: 'staff:xincheng-field1' });
    await transitionTicket(h.core, { number, action: 'resolve', actor: 'staff:xincheng-field1', note: '排气后恢复正常' });
    const owed = (await rowsTo(u)).filter((r) => r.id > lastRowBefore);
    expect(owed.length).toBeGreaterThanOrEqual(3);

    await h.drain();
    // hours later, past every backoff and every message held back: still nothing more tried
    h.core.clock.advance(4 * 60 * MINUTE);
    await h.drain();

    const tried = sendsTo(u).slice(sentBefore);
    expect(tried).toHaveLength(1);
    expect(tried[0].status).toBe(403);
    expect((await resident(u)).unreachableAt).not.toBeNull();
    const rows = (await rowsTo(u)).filter((r) => r.id > lastRowBefore);
    expect(rows.filter((r) => r.state === 'dead')).toHaveLength(1);
    expect(rows.filter((r) => r.state === 'pending')).toHaveLength(0);
    for (const r of rows.filter((x) => x.state !== 'dead')) expect(JSON.parse(r.result!)).toEqual({ skipped: 'unreachable' });
  });

  it('is called back by the centre by phone after a resolve (R8h), not asked in the chat', async () => {
    const u = await boundResident();
    const number = await fileNoHeat(u);
    h.fake.blockChat(u.id);
    h.core.clock.advance(5 * MINUTE);
    await transitionTicket(h.core, { number, action: 'accept', actor: 'staff:xincheng-field1' });
    await h.drain(); // the 403 marks them
    expect((await resident(u)).unreachableAt).not.toBeNull();

    const rowsBefore = (await rowsTo(u)).length;
    await transitionTicket(h.core, { number, action: 'arrive', actor: 'staff:xincheng-field1' });
    await transitionTicket(h.core, { number, action: 'resolve', actor: 'staff:xincheng-field1', note: '排气后恢复正常' });
    const ticket = await h.core.db.ticket.findUniqueOrThrow({ where: { number }, include: { callbacks: true } });
    expect(ticket.callbacks.map((c) => c.channel)).toEqual(['phone']);
    const task = await h.core.db.outboxMessage.findFirst({ where: { kind: 'callback_task', payload: { contains: `"ticketId":${ticket.id}` } } });
    expect(task?.target).toBe('C0CALLBK01');
    // nothing more is owed to the chat that refuses us
    expect(await rowsTo(u)).toHaveLength(rowsBefore);
  });

  it('who blocked the bot after the resolve is not asked "暖气现在热了吗？": the centre calls at once (R8h)', async () => {
    const u = await boundResident();
    const number = await fileNoHeat(u);
    h.core.clock.advance(5 * MINUTE);
    await transitionTicket(h.core, { number, action: 'accept', actor: 'staff:xincheng-field1' });
    await transitionTicket(h.core, { number, action: 'arrive', actor: 'staff:xincheng-field1' });
    await h.drain();
    h.fake.blockChat(u.id);
    await transitionTicket(h.core, { number, action: 'resolve', actor: 'staff:xincheng-field1', note: '排气后恢复正常' });
    await h.drain(); // the resolved message is refused: they are marked
    expect((await resident(u)).unreachableAt).not.toBeNull();

    h.core.clock.advance(h.core.org.config.escalation.warmCheckMinutes * MINUTE);
    await fireDueAlerts(h.core, 'unreachable-test');
    await h.drain();
    const ticket = await h.core.db.ticket.findUniqueOrThrow({ where: { number }, include: { callbacks: true } });
    expect(ticket.callbacks.map((c) => c.channel)).toEqual(['phone']);
    expect(await h.core.db.outboxMessage.count({ where: { kind: 'warm_check', target: String(u.id) } })).toBe(0);
    const task = await h.core.db.outboxMessage.findFirst({ where: { kind: 'callback_task', payload: { contains: `"ticketId":${ticket.id}` } } });
    expect(task?.target).toBe('C0CALLBK01');
  });

  it('who blocked the bot unnoticed until "暖气现在热了吗？" is refused is called back by phone at once, not after the bot\'s time-out (R8h)', async () => {
    const u = await boundResident();
    const number = await fileNoHeat(u);
    h.core.clock.advance(5 * MINUTE);
    for (const action of ['accept', 'arrive'] as const) await transitionTicket(h.core, { number, action, actor: 'staff:xincheng-field1' });
    await transitionTicket(h.core, { number, action: 'resolve', actor: 'staff:xincheng-field1', note: '排气后恢复正常' });
    await h.drain(); // the resolved message still reached them
    h.fake.blockChat(u.id);

    h.core.clock.advance(h.core.org.config.escalation.warmCheckMinutes * MINUTE);
    await fireDueAlerts(h.core, 'unreachable-test'); // the question is owed
    await h.drain(); // and refused: the resident is marked, the bot's time-out brought to now
    expect((await resident(u)).unreachableAt).not.toBeNull();
    await fireDueAlerts(h.core, 'unreachable-test');
    const ticket = await h.core.db.ticket.findUniqueOrThrow({ where: { number }, include: { callbacks: true } });
    expect(ticket.callbacks.map((c) => c.channel)).toEqual(['phone']);
    const task = await h.core.db.outboxMessage.findFirst({ where: { kind: 'callback_task', payload: { contains: `"ticketId":${ticket.id}` } } });
    expect(task?.target).toBe('C0CALLBK01');
  });

  it('is reachable again once they write: the mark is cleared and the next step reaches them', async () => {
    const u = await boundResident();
    const number = await fileNoHeat(u);
    h.fake.blockChat(u.id);
    h.core.clock.advance(5 * MINUTE);
    await transitionTicket(h.core, { number, action: 'accept', actor: 'staff:xincheng-field1' });
    await h.drain();
    expect((await resident(u)).unreachableAt).not.toBeNull();

    h.fake.unblockChat(u.id);
    await h.say(u, '/status');
    expect((await resident(u)).unreachableAt).toBeNull();
    await transitionTicket(h.core, { number, action: 'arrive', actor: 'staff:xincheng-field1' });
    await h.drain();
    expect(h.lastText(u)).toContain(number);
    expect(h.lastText(u)).toContain('已到');
  });
});

describe('Telegram saying the resident blocked or unblocked the bot', () => {
  /** The update Telegram sends when the person blocks (kicked) or unblocks (member) the bot. */
  function chatMember(u: TgUser, status: 'kicked' | 'member'): Update {
    const date = Math.floor(Date.now() / 1000);
    const bot = { user: { ...FAKE_BOT }, status: status === 'kicked' ? ('member' as const) : ('kicked' as const) };
    return {
      update_id: ++updateSeq,
      my_chat_member: {
        chat: { id: u.id, type: 'private', first_name: u.first_name },
        from: u,
        date,
        old_chat_member: bot,
        new_chat_member: { user: { ...FAKE_BOT }, status, ...(status === 'kicked' ? { until_date: 0 } : {}) },
      },
    } as unknown as Update;
  }

  it('blocking marks them at once, so not even the first message owed is tried; unblocking clears it', async () => {
    const u = await boundResident();
    const number = await fileNoHeat(u);
    h.fake.blockChat(u.id);
    expect((await h.post(chatMember(u, 'kicked'))).statusCode).toBe(200);
    expect((await resident(u)).unreachableAt).not.toBeNull();

    const sentBefore = sendsTo(u).length;
    h.core.clock.advance(5 * MINUTE);
    await transitionTicket(h.core, { number, action: 'accept', actor: 'staff:xincheng-field1' });
    await h.drain();
    expect(sendsTo(u).slice(sentBefore)).toEqual([]);

    h.fake.unblockChat(u.id);
    await h.post(chatMember(u, 'member'));
    expect((await resident(u)).unreachableAt).toBeNull();
    await transitionTicket(h.core, { number, action: 'arrive', actor: 'staff:xincheng-field1' });
    await h.drain();
    expect(h.lastText(u)).toContain(`${number}：工作人员已到场`);
  });
});

describe('the resident store keeps who cannot be reached', () => {
  it('marks a chat once, answers who is marked, and meeting the resident again clears it', async () => {
    const { residents } = h.core.stores;
    const at = h.core.clock.now();
    const r = await residents.meet({ telegramUserId: '88001', chatId: '88001', locale: 'zh-CN' }, at);
    expect(await residents.unreachableSince('88001')).toBeNull();

    expect(await residents.markUnreachable('88001', at)).toBe(true);
    // a second refusal keeps the first time
    expect(await residents.markUnreachable('88001', new Date(at.getTime() + MINUTE))).toBe(false);
    expect((await residents.unreachableSince('88001'))?.toISOString()).toBe(at.toISOString());
    expect((await residents.byId(r.id))?.unreachableAt?.toISOString()).toBe(at.toISOString());
    // a chat nobody is behind, or a group: nothing to mark
    expect(await residents.markUnreachable('99999', at)).toBe(false);
    expect(await residents.unreachableSince('-100123')).toBeNull();

    const again = await residents.meet({ telegramUserId: '88001', chatId: '88001', locale: 'zh-CN' }, new Date(at.getTime() + 2 * MINUTE));
    expect(again.unreachableAt).toBeNull();
    expect(await residents.unreachableSince('88001')).toBeNull();
  });

  it('a ticket step reads no chat for an unreachable resident, and the chat again once they wrote', async () => {
    const u = await boundResident();
    const number = await fileNoHeat(u);
    const { residents, tickets } = h.core.stores;
    expect((await tickets.forStep({ number }))?.residentChatId).toBe(String(u.id));
    await residents.markUnreachable(String(u.id), h.core.clock.now());
    expect((await tickets.forStep({ number }))?.residentChatId).toBeNull();
    await residents.meet({ telegramUserId: String(u.id), chatId: String(u.id), locale: 'zh-CN' }, h.core.clock.now());
    expect((await tickets.forStep({ number }))?.residentChatId).toBe(String(u.id));
  });
});
