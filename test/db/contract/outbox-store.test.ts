/**
 * The outbox store on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): owing, claiming with a lease, order per target, sent / failed /
 * dead / resent, and where a ticket's Slack cards live, the same on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppError } from '../../../src/core/errors.js';
import type { Platform } from '../../../src/core/model.js';
import { outboxRow, type OutboxItem } from '../../../src/core/outbox/enqueue.js';
import type { OutboxStore } from '../../../src/core/ports/outbox-store.js';
import { runnerOf } from '../../../src/db/runner.js';
import { oweSql } from '../../../src/db/stores/outbox-store.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let outbox: OutboxStore;
beforeAll(async () => {
  core = await makeTestCore();
  outbox = core.stores.outbox;
});
afterAll(() => core.close());

const now = new Date('2026-11-28T06:00:00.000Z');
const at = (sec: number) => new Date(now.getTime() + sec * 1000);
const item = (key: string, target: string, platform: Platform = 'slack'): OutboxItem => ({ key, platform, target, kind: 'report', payload: { key } });
const claim = (owner: string, o: { platforms?: Platform[]; take?: number; when?: Date; perTarget?: number; skip?: string[] } = {}) =>
  outbox.claim({
    platforms: o.platforms ?? ['slack', 'telegram'],
    owner,
    now: o.when ?? now,
    leaseUntil: new Date((o.when ?? now).getTime() + 60_000),
    take: o.take ?? 50,
    perTarget: o.perTarget,
    skip: o.skip,
  });
const keys = (rows: { key: string }[]) => rows.map((r) => r.key);
const sendAll = async (rows: { id: number; attempts: number }[]) => {
  for (const r of rows) await outbox.markSent(r.id, { at: now, attempts: r.attempts + 1, result: null });
};
/** Each test starts with nothing owed. */
const clearDue = () => core.db.outboxMessage.updateMany({ where: { state: 'pending' }, data: { state: 'sent', leaseOwner: null, leaseUntil: null } });

describe('the outbox store', () => {
  it('stores a message owed twice once, as first owed', async () => {
    await outbox.owe([item('twice', 'C1')], now);
    await outbox.owe([{ ...item('twice', 'C2'), payload: { other: true } }], at(5));
    const rows = await core.db.outboxMessage.findMany({ where: { key: 'twice' } });
    expect(rows.map((r) => [r.target, r.payload, r.state, r.attempts, r.nextAt.toISOString()])).toEqual([
      ['C1', '{"key":"twice"}', 'pending', 0, now.toISOString()],
    ]);
    await clearDue();
  });

  it('stores a cold snap of owed messages at once, skipping those already owed', async () => {
    const many = Array.from({ length: 1_203 }, (_, i) => item(`many:${i}`, `C-many-${i % 7}`));
    await outbox.owe(many, now);
    await outbox.owe(many.slice(0, 10), now);
    expect(await core.db.outboxMessage.count({ where: { key: { startsWith: 'many:' } } })).toBe(1_203);
    expect(await outbox.countDue(['slack'], now)).toBe(1_203);
    await clearDue();
  });

  it('owes nothing of a change that is undone: the insert runs inside another store’s transaction', async () => {
    const q = runnerOf(core.db);
    await expect(
      q.transaction(async (tx) => {
        for (const s of oweSql(tx.dialect, [outboxRow(item('undone', 'C1'), now)])) await tx.run(s);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await core.db.outboxMessage.count({ where: { key: 'undone' } })).toBe(0);
  });

  it('claims the oldest due rows first, of the platforms asked for, and none due later', async () => {
    await outbox.owe([item('o1', 'C1'), item('o2', 'C2'), item('tg1', '100', 'telegram')], now);
    await outbox.owe([item('later', 'C3')], at(30));
    await outbox.owe([item('o3', 'C1')], now);
    const slack = await claim('w1', { platforms: ['slack'], take: 2 });
    expect(keys(slack)).toEqual(['o1', 'o2']);
    expect(slack.every((r) => r.leaseOwner === 'w1' && r.leaseUntil?.getTime() === at(60).getTime())).toBe(true);
    expect(keys(await claim('w1', { platforms: ['slack'] }))).toEqual(['o1', 'o2', 'o3']); // its own lease is its own
    expect(keys(await claim('w1', { platforms: ['telegram'] }))).toEqual(['tg1']);
    expect(await outbox.countDue(['slack'], now)).toBe(3);
    expect(await outbox.countDue(['slack'], at(30))).toBe(4);
    await clearDue();
  });

  it('never lets two workers hold the same row', async () => {
    const many = Array.from({ length: 120 }, (_, i) => item(`race:${i}`, `C-race-${i}`));
    await outbox.owe(many, now);
    const [a, b] = await Promise.all([claim('wa', { take: 100 }), claim('wb', { take: 100 })]);
    const ids = [...a, ...b].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(a.length + b.length).toBeGreaterThanOrEqual(100);
    const stored = await core.db.outboxMessage.findMany({ where: { id: { in: ids } } });
    const owner = new Map(stored.map((r) => [r.id, r.leaseOwner]));
    expect(a.every((r) => owner.get(r.id) === 'wa') && b.every((r) => owner.get(r.id) === 'wb')).toBe(true);
    await clearDue();
  });

  it('never lets a worker hold a later row to a target whose earlier row another worker took at the same moment', async () => {
    for (let round = 0; round < 5; round++) {
      await outbox.owe([item(`order:${round}:1`, `CO${round}`), item(`order:${round}:2`, `CO${round}`)], now);
      const [a, b] = await Promise.all([claim('wa', { take: 1 }), claim('wb', { take: 2 })]);
      for (const held of [a, b]) if (keys(held).includes(`order:${round}:2`)) expect(keys(held)).toContain(`order:${round}:1`);
      const stored = await core.db.outboxMessage.findMany({ where: { key: { startsWith: `order:${round}:` } }, orderBy: { id: 'asc' } });
      expect(stored[0].leaseOwner).not.toBeNull();
      expect([null, stored[0].leaseOwner]).toContain(stored[1].leaseOwner);
      await clearDue();
    }
  });

  it('holds back later rows to a target while an earlier row to it waits for its retry', async () => {
    await outbox.owe([item('w1', 'CW'), item('w2', 'CW'), item('x1', 'CX')], now);
    const [first] = await claim('w1', { take: 1 });
    expect(first.key).toBe('w1');
    await outbox.markFailed(first.id, { attempts: 1, error: 'status 500', dead: false, nextAt: at(120) });
    expect(keys(await claim('w1'))).toEqual(['x1']);
    const retry = await claim('w1', { when: at(120) });
    expect(keys(retry).filter((k) => k !== 'x1')).toEqual(['w1', 'w2']);
    expect(retry.find((r) => r.key === 'w1')).toMatchObject({ attempts: 1, lastError: 'status 500' });
    await clearDue();
  });

  it('holds back later rows to a target while another worker holds an earlier one, until its lease runs out', async () => {
    await outbox.owe([item('l1', 'CL'), item('l2', 'CL')], now);
    expect(keys(await claim('other', { take: 1 }))).toEqual(['l1']);
    expect(keys(await claim('me'))).toEqual([]);
    expect(keys(await claim('me', { when: at(61) }))).toEqual(['l1', 'l2']);
    await clearDue();
  });

  it('claims by priority: an urgent alert before the cards and notices owed ahead of it', async () => {
    await outbox.owe([item('n1', 'CP'), { ...item('c1', 'CP'), kind: 'ticket_card' }, { ...item('u1', 'CP'), kind: 'urgent_alert' }], now);
    await outbox.owe(
      [
        { ...item('ru1', '555', 'telegram'), kind: 'resident_update' },
        { ...item('tn1', '556', 'telegram'), kind: 'incident_notice' },
      ],
      now,
    );
    expect(keys(await claim('w1', { take: 3 }))).toEqual(['u1', 'ru1', 'c1']);
    await clearDue();
  });

  it('holds back, behind a row waiting for its retry, only the later rows of its priority', async () => {
    await outbox.owe(
      [
        { ...item('pc1', 'CQ'), kind: 'ticket_card' },
        { ...item('pc2', 'CQ'), kind: 'ticket_card' },
      ],
      now,
    );
    await outbox.owe([{ ...item('pa1', 'CQ'), kind: 'major_alert' }, item('pr1', 'CQ')], now);
    const cards = await claim('w1');
    await outbox.markFailed(cards.find((r) => r.key === 'pc1')!.id, { attempts: 1, error: 'status 500', dead: false, nextAt: at(120) });
    await outbox.release(
      cards.map((r) => r.id),
      'w1',
    );
    // the other cards wait; the alert and the report (other priorities) do not
    expect(keys(await claim('w1'))).toEqual(['pa1', 'pr1']);
    await clearDue();
  });

  it('leases at most perTarget rows to a target, none to a skipped one, and reads past a blocked backlog to the targets behind it', async () => {
    await outbox.owe(
      Array.from({ length: 70 }, (_, i) => item(`bl:${i}`, 'CBLOCK')),
      now,
    );
    await outbox.owe([item('fr1', 'CFREE'), item('fr2', 'CFREE'), item('sk1', 'CSKIP')], now);
    const [head] = await claim('w1', { take: 1 });
    await outbox.markFailed(head.id, { attempts: 1, error: 'status 500', dead: false, nextAt: at(120) });
    expect(keys(await claim('w1', { perTarget: 1, skip: ['slack:CSKIP'] }))).toEqual(['fr1']);
    expect(keys(await claim('w1', { perTarget: 5 }))).toEqual(['fr1', 'fr2', 'sk1']);
    const back = await claim('w1', { when: at(120), perTarget: 2, take: 10 });
    expect(keys(back)).toEqual(['bl:0', 'bl:1', 'fr1', 'fr2', 'sk1']);
    await clearDue();
  });

  it('gives rows back untouched, for the next pass', async () => {
    await outbox.owe([item('g1', 'CG'), item('g2', 'CG')], now);
    const mine = await claim('w1');
    await outbox.release(
      mine.map((r) => r.id),
      'not-the-owner',
    );
    expect(keys(await claim('w2'))).toEqual([]);
    await outbox.release(
      mine.map((r) => r.id),
      'w1',
    );
    const again = await claim('w2');
    expect(again.map((r) => [r.key, r.attempts, r.leaseOwner])).toEqual([
      ['g1', 0, 'w2'],
      ['g2', 0, 'w2'],
    ]);
    await clearDue();
  });

  it('keeps what a sent message produced and no longer counts it due', async () => {
    await outbox.owe([item('s1', 'CS')], now);
    const [row] = await claim('w1');
    await outbox.markSent(row.id, { at: at(2), attempts: 1, result: '{"ts":"1.2"}' });
    const stored = await core.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } });
    expect([stored.state, stored.attempts, stored.result, stored.sentAt?.toISOString(), stored.leaseOwner, stored.leaseUntil]).toEqual([
      'sent',
      1,
      '{"ts":"1.2"}',
      at(2).toISOString(),
      null,
      null,
    ]);
    expect(await outbox.countDue(['slack'], at(3))).toBe(0);
  });

  it('reads what a message produced by its key once it is sent, nothing before (the quote message an expiry edits, R16)', async () => {
    await clearDue();
    await outbox.owe([item('sr1', 'CSR', 'telegram')], now);
    expect(await outbox.sentResult('sr1')).toBeNull();
    const [row] = await claim('w1', { platforms: ['telegram'] });
    expect(await outbox.sentResult('sr1')).toBeNull();
    await outbox.markSent(row.id, { at: at(1), attempts: 1, result: '{"messageId":42}' });
    expect(await outbox.sentResult('sr1')).toBe('{"messageId":42}');
    expect(await outbox.sentResult('no-such-key')).toBeNull();
  });

  it('marks a message held in reserve delivered by another way, unless a worker has taken it; or makes it due at once', async () => {
    await clearDue();
    // one chat each: an earlier row to a chat holds back the later ones
    const later = (key: string) => ({ ...outboxRow(item(key, `T-${key}`, 'telegram'), now), nextAt: at(30) });
    for (const s of oweSql(core.provider, [later('r1'), later('r2'), later('r3')])) await runnerOf(core.db).run(s);
    expect(await claim('w1')).toEqual([]);
    // r1: the bot's own reply went out
    expect(await outbox.deliveredElsewhere('r1', at(1))).toBe(true);
    expect(await outbox.deliveredElsewhere('r1', at(2))).toBe(false);
    // r2: the reply failed, the outbox sends it now
    await outbox.dueNow('r2', at(1));
    expect(keys(await claim('w1', { when: at(1) }))).toEqual(['r2']);
    expect(await outbox.deliveredElsewhere('r2', at(2))).toBe(false);
    // r3: held back until its time
    expect(keys(await claim('w2', { when: at(31) }))).toEqual(['r3']);
    const r1 = await core.db.outboxMessage.findUniqueOrThrow({ where: { key: 'r1' } });
    expect([r1.state, r1.sentAt?.toISOString()]).toEqual(['sent', at(1).toISOString()]);
    await clearDue();
  });

  it('keeps a dead message out of delivery until an admin sends it again; resending anything else is refused', async () => {
    await outbox.owe([item('d1', 'CD')], now);
    const [row] = await claim('w1');
    await outbox.markFailed(row.id, { attempts: 20, error: 'channel_not_found', dead: true, nextAt: at(10) });
    expect(keys(await claim('w1', { when: at(3600) }))).toEqual([]);
    const dead = await outbox.list('dead', { skip: 0, take: 10 });
    expect(dead.items.map((r) => [r.key, r.attempts, r.lastError])).toEqual([['d1', 20, 'channel_not_found']]);
    await outbox.resend(row.id, at(3600));
    const back = await claim('w1', { when: at(3600) });
    expect(back.map((r) => [r.key, r.state, r.attempts, r.lastError])).toEqual([['d1', 'pending', 0, null]]);
    const refused = await outbox.resend(row.id, at(3600)).catch((e) => e);
    expect(isAppError(refused, 'invalid_transition') && refused.context).toEqual({ from: 'pending', action: 'resend' });
    expect(isAppError(await outbox.resend(999_999, now).catch((e) => e), 'not_found')).toBe(true);
    await clearDue();
  });

  it('lists messages by state for the admins, newest first, a page at a time', async () => {
    const before = (await outbox.list('sent', { skip: 0, take: 1 })).total;
    await outbox.owe([item('p1', 'CP1'), item('p2', 'CP2'), item('p3', 'CP3')], now);
    await sendAll(await claim('w1'));
    const first = await outbox.list('sent', { skip: 0, take: 2 });
    const second = await outbox.list('sent', { skip: 2, take: 2 });
    expect(first.total).toBe(before + 3);
    expect(keys(first.items)).toEqual(['p3', 'p2']);
    expect(keys(second.items)[0]).toBe('p1');
  });

  it('keeps where a ticket’s Slack message is, per purpose, and moves it when it is posted again', async () => {
    const t = await core.db.ticket.create({
      data: {
        number: 'T20261128-0001',
        kind: 'complaint',
        category: 'no_heat',
        source: 'telegram',
        status: 'received',
        description: '暖气不热',
        firstResponder: 'telegram',
        createdAt: now,
      },
    });
    expect(await outbox.cardOf(t.id, 'dispatch')).toBeNull();
    await outbox.saveCard({ ticketId: t.id, purpose: 'dispatch', channel: 'C-old', ts: '1.1' });
    await outbox.saveCard({ ticketId: t.id, purpose: 'urgent', channel: 'C-urgent', ts: '2.2' });
    await outbox.saveCard({ ticketId: t.id, purpose: 'dispatch', channel: 'C-new', ts: '3.3' });
    expect(await outbox.cardOf(t.id, 'dispatch')).toMatchObject({ ticketId: t.id, purpose: 'dispatch', channel: 'C-new', ts: '3.3' });
    expect(await outbox.cardOf(t.id, 'urgent')).toMatchObject({ channel: 'C-urgent', ts: '2.2' });
    expect(await core.db.slackCard.count({ where: { ticketId: t.id } })).toBe(2);
  });
});
