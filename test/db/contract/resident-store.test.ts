/**
 * Residents on the database under test (SQLite file, or PostgreSQL when TEST_DATABASE_URL is
 * set): meeting, binding with its guess counter, and a resident's own tickets behave the same on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResidentStore } from '../../../src/core/ports/resident-store.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let residents: ResidentStore;
const t0 = new Date('2026-11-28T06:00:00.123Z');
const later = (min: number) => new Date(t0.getTime() + min * 60_000);
const rule = (at: Date) => ({ at, limit: 3, lockUntil: new Date(at.getTime() + 15 * 60_000) });

beforeAll(async () => {
  core = await makeTestCore();
  residents = core.stores.residents;
});
afterAll(() => core.close());

describe('the resident store', () => {
  it('registers a resident on first contact and finds the same one afterwards', async () => {
    const r = await residents.meet({ telegramUserId: '1001', chatId: '1001', locale: 'en' }, t0);
    expect(r).toMatchObject({
      telegramUserId: '1001',
      chatId: '1001',
      locale: 'en',
      customerId: null,
      bindFailures: 0,
      bindLockedUntil: null,
      createdAt: t0,
      updatedAt: t0,
    });
    expect(await residents.meet({ telegramUserId: '1001', chatId: '1001', locale: 'zh-CN' }, later(1))).toEqual(r);
    expect(await residents.byId(r.id)).toEqual(r);
    expect(await residents.byId(999_999)).toBeNull();
  });

  it('keeps the chat a known resident now writes from', async () => {
    const r = await residents.meet({ telegramUserId: '1001', chatId: '-5005', locale: 'zh-CN' }, later(2));
    expect(r).toMatchObject({ chatId: '-5005', locale: 'en', updatedAt: later(2) });
  });

  it('registers one resident when two first messages arrive at once', async () => {
    const [a, b] = await Promise.all([
      residents.meet({ telegramUserId: '2002', chatId: '2002', locale: 'zh-CN' }, t0),
      residents.meet({ telegramUserId: '2002', chatId: '2002', locale: 'zh-CN' }, t0),
    ]);
    expect(a.id).toBe(b.id);
    expect(await core.db.resident.count({ where: { telegramUserId: '2002' } })).toBe(1);
  });

  it('counts wrong bind tries, locks out at the limit and clears the count, and starts afresh when the lock has run out', async () => {
    const r = await residents.meet({ telegramUserId: '3003', chatId: '3003', locale: 'zh-CN' }, t0);
    expect(await residents.countBindFailure(r.id, rule(t0))).toEqual({ failures: 1, lockedUntil: null });
    expect(await residents.countBindFailure(r.id, rule(t0))).toEqual({ failures: 2, lockedUntil: null });
    expect(await residents.countBindFailure(r.id, rule(later(1)))).toEqual({ failures: 0, lockedUntil: later(16) });
    expect(await residents.byId(r.id)).toMatchObject({ bindFailures: 0, bindLockedUntil: later(16) });
    expect(await residents.countBindFailure(r.id, rule(later(16)))).toEqual({ failures: 1, lockedUntil: null });
    expect(await residents.byId(r.id)).toMatchObject({ bindFailures: 1, bindLockedUntil: null });
    expect(await residents.countBindFailure(999_999, rule(t0))).toBeNull();
  });

  it('counts wrong tries made at the same moment one by one', async () => {
    const r = await residents.meet({ telegramUserId: '3004', chatId: '3004', locale: 'zh-CN' }, t0);
    const out = await Promise.all([1, 2, 3, 4].map(() => residents.countBindFailure(r.id, { at: t0, limit: 10, lockUntil: later(15) })));
    expect(out.map((o) => o!.failures).sort()).toEqual([1, 2, 3, 4]);
  });

  it('binds to a customer, taking its community and address and clearing wrong tries and lock', async () => {
    const r = await residents.meet({ telegramUserId: '4004', chatId: '4004', locale: 'zh-CN' }, t0);
    await residents.countBindFailure(r.id, rule(t0));
    const c = await core.db.customer.create({
      data: { account: '1234-5678', name: '王', phone: '13800001234', address: '幸福家园1-1-101', communityId: 'c001', createdAt: t0, updatedAt: t0 },
    });
    const bound = await residents.bind(r.id, c, later(5));
    expect(bound).toMatchObject({
      id: r.id,
      customerId: c.id,
      communityId: 'c001',
      address: '幸福家园1-1-101',
      bindFailures: 0,
      bindLockedUntil: null,
      updatedAt: later(5),
    });
    expect(await residents.bind(999_999, c, t0)).toBeNull();
  });

  it('sets the language and the address given by hand', async () => {
    const r = await residents.meet({ telegramUserId: '5005', chatId: '5005', locale: 'zh-CN' }, t0);
    expect(await residents.setLocale(r.id, 'en', later(1))).toMatchObject({ locale: 'en', updatedAt: later(1) });
    expect(await residents.setAddress(r.id, { communityId: 'c002', address: '3号楼2单元502' }, later(2))).toMatchObject({
      communityId: 'c002',
      address: '3号楼2单元502',
      locale: 'en',
    });
    expect(await residents.setLocale(999_999, 'en', t0)).toBeNull();
    expect(await residents.setAddress(999_999, { communityId: 'c002', address: 'x' }, t0)).toBeNull();
  });

  it("lists a resident's own reports and their account's reports that no resident filed, newest first, never another resident's", async () => {
    const c = await core.db.customer.create({
      data: { account: '9999-0001', name: '李', phone: '13800009999', address: 'x', communityId: 'c001', createdAt: t0, updatedAt: t0 },
    });
    const me = await residents.bind((await residents.meet({ telegramUserId: '6006', chatId: '6006', locale: 'zh-CN' }, t0)).id, c, t0);
    const other = await residents.bind((await residents.meet({ telegramUserId: '6007', chatId: '6007', locale: 'zh-CN' }, t0)).id, c, t0);
    const base = { kind: 'complaint', category: 'no_heat', source: 'telegram', description: '暖气不热', firstResponder: 'telegram', createdAt: t0 };
    let n = 0;
    const ticket = (data: object) =>
      core.db.ticket.create({ data: { ...base, number: `T20261128-${String(++n).padStart(4, '0')}`, status: 'dispatched', ...data } });
    const mine = await ticket({ residentId: me!.id, customerId: c.id });
    const byPhone = await ticket({ customerId: c.id, source: 'hotline', firstResponder: 'staff:agent01' });
    await ticket({ residentId: other!.id, customerId: c.id });
    const closed = await ticket({ residentId: me!.id, status: 'closed' });
    const all = await residents.ownTickets(me!, { limit: 50 });
    expect(all.map((t) => t.id)).toEqual([closed.id, byPhone.id, mine.id]);
    expect(all[2]).toMatchObject({ number: mine.number, status: 'dispatched', verified: false, createdAt: t0 });
    const open = await residents.ownTickets(me!, { statuses: ['received', 'dispatched'], limit: 50 });
    expect(open.map((t) => t.id)).toEqual([byPhone.id, mine.id]);
    expect((await residents.ownTickets(me!, { limit: 1 })).map((t) => t.id)).toEqual([closed.id]);
    const unbound = await residents.meet({ telegramUserId: '6008', chatId: '6008', locale: 'zh-CN' }, t0);
    expect(await residents.ownTickets(unbound, { limit: 50 })).toEqual([]);
  });
});
