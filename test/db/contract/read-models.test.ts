/**
 * The read models on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): what the cards and pages read comes back the same on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadModels } from '../../../src/core/ports/read-models.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let views: ReadModels;
let withAll: number;
let bare: number;
const t0 = new Date('2026-11-28T06:00:00.123Z');
const later = (min: number) => new Date(t0.getTime() + min * 60_000);

beforeAll(async () => {
  core = await makeTestCore();
  views = core.stores.views;
  const base = { kind: 'complaint', category: 'no_heat', source: 'telegram', description: '暖气不热', firstResponder: 'telegram', createdAt: t0 };
  const a = await core.db.ticket.create({
    data: { ...base, number: 'T20261128-0001', status: 'resolved', verified: true, branchId: 'xincheng', resolvedAt: later(90) },
  });
  const b = await core.db.ticket.create({ data: { ...base, number: 'T20261128-0002', status: 'received' } });
  withAll = a.id;
  bare = b.id;
  // written out of order: the view sorts them by time, then id
  await core.db.ticketEvent.create({
    data: { ticketId: a.id, at: later(90), type: 'resolved', actor: 'staff:wang', fromStatus: 'arrived', toStatus: 'resolved' },
  });
  await core.db.ticketEvent.create({ data: { ticketId: a.id, at: t0, type: 'created', actor: 'telegram', toStatus: 'received', data: '{"via":"bot"}' } });
  await core.db.ticketEvent.create({ data: { ticketId: a.id, at: t0, type: 'dispatched', actor: 'system', fromStatus: 'received', toStatus: 'dispatched' } });
  await core.db.ticketEvent.create({ data: { ticketId: b.id, at: t0, type: 'created', actor: 'telegram', toStatus: 'received' } });
  await core.db.ticketPhoto.create({ data: { ticketId: a.id, fileId: 'photo-1', createdAt: t0 } });
  await core.db.serviceForm.create({
    data: { ticketId: a.id, workDone: '更换阀门', feesCents: 1200, signed: true, serviceDate: later(80), createdBy: 'staff:wang', createdAt: later(85) },
  });
  await core.db.callback.create({ data: { ticketId: a.id, channel: 'phone', status: 'unreachable', attempts: 3, createdAt: later(120) } });
  await core.db.callback.create({
    data: { ticketId: a.id, channel: 'telegram', status: 'answered', result: 'satisfied', createdAt: later(200), answeredAt: later(210) },
  });
});
afterAll(() => core.close());

describe('read models', () => {
  it('reads a ticket by id and by number, with its instants and flags in their types', async () => {
    const byId = await views.ticketById(withAll);
    const byNumber = await views.ticketByNumber('T20261128-0001');
    expect(byNumber).toEqual(byId);
    expect(byId).toMatchObject({
      id: withAll,
      number: 'T20261128-0001',
      status: 'resolved',
      verified: true,
      conductConfirmed: false,
      transferCount: 0,
      customerId: null,
    });
    expect(byId!.createdAt.toISOString()).toBe(t0.toISOString());
    expect(byId!.resolvedAt!.toISOString()).toBe(later(90).toISOString());
  });

  it('answers null for a ticket, event or callback that does not exist', async () => {
    expect(await views.ticketById(999_999)).toBeNull();
    expect(await views.ticketByNumber('T19990101-0001')).toBeNull();
    expect(await views.eventById(999_999)).toBeNull();
    expect(await views.callbackById(999_999)).toBeNull();
    expect(await views.ticketView({ id: 999_999 })).toBeNull();
    expect(await views.ticketView({ number: 'T19990101-0001' })).toBeNull();
  });

  it('reads several tickets at once and leaves out ids that do not exist', async () => {
    const got = await views.ticketsByIds([bare, 999_999, withAll, bare]);
    expect(got.map((t) => t.id).sort((x, y) => x - y)).toEqual([withAll, bare].sort((x, y) => x - y));
    expect(await views.ticketsByIds([])).toEqual([]);
  });

  it('reads a ticket with its events in order, photos, form and callbacks', async () => {
    const v = await views.ticketView({ id: withAll });
    expect(v!.ticket.number).toBe('T20261128-0001');
    expect(v!.events.map((e) => e.type)).toEqual(['created', 'dispatched', 'resolved']);
    expect(v!.events[0]).toMatchObject({ ticketId: withAll, actor: 'telegram', fromStatus: null, toStatus: 'received', data: '{"via":"bot"}' });
    expect(v!.events[0].at.toISOString()).toBe(t0.toISOString());
    expect(v!.photos.map((p) => p.fileId)).toEqual(['photo-1']);
    expect(v!.form).toMatchObject({
      ticketId: withAll,
      workDone: '更换阀门',
      feesCents: 1200,
      signed: true,
      customerConfirmed: false,
      confirmedAt: null,
      createdBy: 'staff:wang',
    });
    expect(v!.form!.serviceDate.toISOString()).toBe(later(80).toISOString());
    expect(v!.callbacks.map((c) => [c.channel, c.status, c.result, c.attempts])).toEqual([
      ['phone', 'unreachable', null, 3],
      ['telegram', 'answered', 'satisfied', 0],
    ]);
    expect(v!.callbacks[1].answeredAt!.toISOString()).toBe(later(210).toISOString());
  });

  it('reads the same view by number as by id, and an empty view for a bare ticket', async () => {
    expect(await views.ticketView({ number: 'T20261128-0001' })).toEqual(await views.ticketView({ id: withAll }));
    const v = await views.ticketView({ number: 'T20261128-0002' });
    expect(v).toMatchObject({ photos: [], form: null, callbacks: [] });
    expect(v!.ticket).toEqual(await views.ticketById(bare));
    expect(v!.events.map((e) => e.type)).toEqual(['created']);
  });

  it('reads the city request a platform filed with its ticket, its point and instant in their types; null for another channel', async () => {
    const base = { kind: 'complaint', category: 'leak', source: 'city_platform', description: '楼道跑水', firstResponder: 'api:city', createdAt: t0 };
    const c = await core.db.ticket.create({ data: { ...base, number: 'T20261128-0003', status: 'received' } });
    await core.db.cityRequest.create({
      data: {
        ticketId: c.id,
        clientId: 'city',
        serviceCode: 'leak',
        addressString: '幸福家园3号楼',
        lat: 36.6512,
        long: 117.1201,
        email: 'zhangwei@example.cn',
        mediaUrl: 'https://12345.example.gov.cn/m/1.jpg',
        attributes: '{"water_running":"yes","leak_place":"stairwell"}',
        createdAt: later(1),
      },
    });
    const v = await views.ticketView({ id: c.id });
    expect(v!.ticket).toEqual(await views.ticketById(c.id));
    expect(v!.cityRequest).toMatchObject({
      ticketId: c.id,
      clientId: 'city',
      serviceCode: 'leak',
      addressString: '幸福家园3号楼',
      addressId: null,
      lat: 36.6512,
      long: 117.1201,
      email: 'zhangwei@example.cn',
      firstName: null,
      mediaUrl: 'https://12345.example.gov.cn/m/1.jpg',
      attributes: '{"water_running":"yes","leak_place":"stairwell"}',
    });
    expect(v!.cityRequest!.createdAt.toISOString()).toBe(later(1).toISOString());
    expect(await views.ticketView({ number: 'T20261128-0003' })).toEqual(v);
    expect((await views.ticketView({ id: withAll }))!.cityRequest).toBeNull();
    expect((await views.ticketView({ number: 'T20261128-0002' }))!.cityRequest).toBeNull();
  });

  it('reads one event and one callback by id', async () => {
    const v = await views.ticketView({ id: withAll });
    expect(await views.eventById(v!.events[2].id)).toEqual(v!.events[2]);
    expect(await views.callbackById(v!.callbacks[0].id)).toEqual(v!.callbacks[0]);
  });
});

describe('ticket lists', () => {
  const now = new Date('2026-11-28T12:00:00Z');
  const past = new Date('2026-11-28T11:00:00Z');
  const future = new Date('2026-11-28T13:00:00Z');
  const base = {
    kind: 'complaint',
    category: 'leak',
    source: 'hotline',
    description: '漏水',
    firstResponder: 'staff:li',
    createdAt: new Date('2026-11-20T00:00:00Z'),
  };
  const made: Record<string, number> = {};

  beforeAll(async () => {
    const rows = {
      ackLate: { status: 'dispatched', branchId: 'huimin', ackDueAt: past },
      ackLateButAccepted: { status: 'accepted', branchId: 'huimin', ackDueAt: past, acceptedAt: past },
      arriveLate: { status: 'accepted', branchId: 'huimin', arriveDueAt: past, acceptedAt: past },
      arrivedInTime: { status: 'on_site', branchId: 'huimin', arriveDueAt: past, arrivedAt: past },
      resolveLate: { status: 'on_site', branchId: 'huimin', resolveDueAt: past, arrivedAt: past },
      resolveAhead: { status: 'accepted', branchId: 'huimin', resolveDueAt: future },
      closedLate: { status: 'closed', branchId: 'huimin', resolveDueAt: past },
      otherBranch: { status: 'dispatched', branchId: 'xincheng', ackDueAt: past, category: 'billing' },
    };
    let i = 100;
    for (const [name, r] of Object.entries(rows)) {
      made[name] = (await core.db.ticket.create({ data: { ...base, number: `T20261120-0${i++}`, ...r } })).id;
    }
  });

  const ids = (items: { id: number }[]) => items.map((t) => t.id);

  it('lists the newest first, a page at a time, with the count of all that match', async () => {
    const first = await views.ticketList({ branchId: 'huimin' }, { offset: 0, limit: 3 });
    expect(first.total).toBe(7);
    expect(ids(first.items)).toEqual([made.closedLate, made.resolveAhead, made.resolveLate]);
    const third = await views.ticketList({ branchId: 'huimin' }, { offset: 6, limit: 3 });
    expect(ids(third.items)).toEqual([made.ackLate]);
  });

  it('lists only tickets with a deadline passed and its step not done', async () => {
    const late = await views.ticketList({ overdueAt: now }, { offset: 0, limit: 50 });
    expect(ids(late.items).sort((a, b) => a - b)).toEqual([made.ackLate, made.arriveLate, made.resolveLate, made.otherBranch].sort((a, b) => a - b));
    expect(late.total).toBe(4);
  });

  it('narrows by status, kind, category and creation time together', async () => {
    const got = await views.ticketList(
      { status: ['dispatched', 'accepted'], kind: 'complaint', category: 'leak', from: new Date('2026-11-19T00:00:00Z'), to: new Date('2026-11-21T00:00:00Z') },
      { offset: 0, limit: 50 },
    );
    expect(ids(got.items)).toEqual([made.resolveAhead, made.arriveLate, made.ackLateButAccepted, made.ackLate]);
    expect((await views.ticketList({ category: 'billing' }, { offset: 0, limit: 50 })).items.map((t) => t.number)).toEqual(['T20261120-0107']);
    expect((await views.ticketList({ to: new Date('2026-11-20T00:00:00Z') }, { offset: 0, limit: 50 })).total).toBe(0);
  });
});
