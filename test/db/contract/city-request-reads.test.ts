/**
 * The Open311 reads on the database under test (SQLite file, or PostgreSQL when TEST_DATABASE_URL
 * is set): the same rows give the same pages and feed on both, and a page or a poll costs the same
 * two statements however many tickets it holds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CityRequestReads } from '../../../src/core/ports/city-request-reads.js';
import type { Prisma } from '../../../src/db/generated/sqlite/client.js';
import { runnerOf, type Runner } from '../../../src/db/runner.js';
import { SqlCityRequestReads } from '../../../src/db/stores/city-request-reads.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let reads: CityRequestReads;
const t0 = new Date('2026-11-28T06:00:00.123Z');
const at = (min: number) => new Date(t0.getTime() + min * 60_000);
let n = 0;
const ids: Record<string, number> = {};

async function ticket(name: string, over: Partial<Prisma.TicketUncheckedCreateInput>) {
  const base = {
    number: `T-${++n}`,
    kind: 'complaint',
    category: 'no_heat',
    source: 'hotline',
    status: 'dispatched',
    description: '暖气不热',
    firstResponder: 'staff:agent01',
  };
  const t = await core.db.ticket.create({ data: { ...base, ...over } });
  ids[name] = t.id;
  return t;
}

function event(ticket: string, min: number, type: string, fromStatus: string | null, toStatus: string | null, data?: object) {
  return core.db.ticketEvent.create({
    data: { ticketId: ids[ticket], at: at(min), type, actor: 'system', fromStatus, toStatus, data: data ? JSON.stringify(data) : null },
  });
}

beforeAll(async () => {
  core = await makeTestCore();
  reads = core.stores.cityRequests;
  const customer = await core.db.customer.create({
    data: { account: '1010000000', name: '王秀兰', phone: '15260181590', address: '幸福家园17号楼2单元201室', communityId: 'c001' },
  });
  // a: from a city platform, with what it sent
  await ticket('a', { createdAt: at(0), communityId: 'c001', branchId: 'xincheng', arriveDueAt: at(60), resolveDueAt: at(1440) });
  await core.db.cityRequest.create({
    data: {
      ticketId: ids.a,
      clientId: 'city12345',
      serviceCode: 'no_heat',
      addressString: '幸福家园5号楼',
      addressId: null,
      lat: 40.844,
      long: 111.69,
      email: 'li@example.org',
      firstName: '明',
      lastName: '李',
      mediaUrl: 'https://example.org/p.jpg',
      attributes: '{"room_temperature":"14"}',
      createdAt: at(0),
    },
  });
  await event('a', 0, 'created', null, 'received');
  await event('a', 0, 'dispatched', 'received', 'dispatched', { branchId: 'xincheng' });
  // a note at the same time as the transfer is no step: the transfer stays the latest
  await event('a', 10, 'transferred', 'dispatched', 'dispatched', { branchId: 'huimin', fromBranchId: 'xincheng' });
  await event('a', 10, 'note', null, null);
  // a step that keeps the status is not one a platform follows
  await event('a', 20, 'escalation_acknowledged', 'dispatched', 'dispatched');
  // b: a customer's leak, resolved
  await ticket('b', { createdAt: at(5), category: 'leak', status: 'resolved', customerId: customer.id, branchId: 'xincheng' });
  await event('b', 5, 'created', null, 'received');
  await event('b', 30, 'resolved', 'on_site', 'resolved');
  // c: a conduct complaint the centre holds; d: a staff member named on another complaint
  await ticket('c', { createdAt: at(6), category: 'staff_conduct', status: 'dispatched' });
  await event('c', 6, 'created', null, 'received');
  await event('c', 6, 'dispatched', 'received', 'dispatched');
  await ticket('d', { createdAt: at(7), category: 'other', conductStaffId: 'xincheng-field1' });
  await event('d', 7, 'created', null, 'received');
  // e: paid work, with no step stored
  await ticket('e', { createdAt: at(8), kind: 'paid_service', category: 'leak' });
});
afterAll(() => core.close());

const numbersOf = (rows: { ticket: { number: string } }[]) => rows.map((r) => r.ticket.number);

describe('a page of requests', () => {
  it('reads the tickets newest first with their city request, account and latest step, instants and numbers in their types', async () => {
    const rows = await reads.requests({ hideConduct: false, limit: 10 });
    expect(numbersOf(rows)).toEqual(['T-5', 'T-4', 'T-3', 'T-2', 'T-1']);
    const a = rows[4];
    expect(a.ticket).toMatchObject({ id: ids.a, number: 'T-1', status: 'dispatched', branchId: 'xincheng', conductStaffId: null, arrivedAt: null });
    expect(a.ticket.arriveDueAt?.toISOString()).toBe(at(60).toISOString());
    expect(a.ticket.createdAt.toISOString()).toBe(t0.toISOString());
    expect(a.cityRequest).toMatchObject({ ticketId: ids.a, clientId: 'city12345', lat: 40.844, long: 111.69, addressString: '幸福家园5号楼', addressId: null });
    expect(a.cityRequest?.createdAt.toISOString()).toBe(t0.toISOString());
    expect(a.account).toBeNull();
    expect(a.latestStep).toMatchObject({ type: 'transferred', toStatus: 'dispatched', data: '{"branchId":"huimin","fromBranchId":"xincheng"}' });
    expect(a.latestStep?.at.toISOString()).toBe(at(10).toISOString());
    const b = rows[3];
    expect([b.cityRequest, b.account, b.latestStep?.type]).toEqual([null, '1010000000', 'resolved']);
    expect(rows[0].latestStep).toBeNull();
  });

  it('filters by numbers, kinds and categories, status, creation time and conduct', async () => {
    expect(numbersOf(await reads.requests({ numbers: ['T-2', 'T-404', 'T-1'], hideConduct: false, limit: 10 }))).toEqual(['T-2', 'T-1']);
    expect(numbersOf(await reads.requests({ numbers: [], hideConduct: false, limit: 10 }))).toEqual([]);
    const other = [{ kind: 'complaint', category: 'other' }, { kind: 'paid_service' }] as const;
    expect(numbersOf(await reads.requests({ services: other, hideConduct: false, limit: 10 }))).toEqual(['T-5', 'T-4']);
    expect(numbersOf(await reads.requests({ statuses: ['resolved'], hideConduct: false, limit: 10 }))).toEqual(['T-2']);
    // open statuses are read by their index, the window checked row by row: the same answer
    expect(numbersOf(await reads.requests({ statuses: ['dispatched'], from: at(0), to: at(6), hideConduct: false, limit: 10 }))).toEqual(['T-3', 'T-1']);
    expect(numbersOf(await reads.requests({ statuses: ['dispatched'], from: at(1), to: at(7), hideConduct: false, limit: 10 }))).toEqual(['T-4', 'T-3']);
    expect(numbersOf(await reads.requests({ from: at(5), to: at(7), hideConduct: false, limit: 10 }))).toEqual(['T-4', 'T-3', 'T-2']);
    expect(numbersOf(await reads.requests({ hideConduct: true, limit: 10 }))).toEqual(['T-5', 'T-2', 'T-1']);
    expect(numbersOf(await reads.requests({ hideConduct: false, limit: 2 }))).toEqual(['T-5', 'T-4']);
  });

  it('costs two statements for a page of 300 as for a page of one, and so does the feed', async () => {
    const base = { kind: 'complaint', category: 'no_heat', source: 'hotline', status: 'received', description: 'x', firstResponder: 'staff:agent01' };
    await core.db.ticket.createMany({ data: Array.from({ length: 300 }, (_, i) => ({ ...base, number: `B-${i}`, createdAt: at(-100 - i) })) });
    const made = await core.db.ticket.findMany({ where: { number: { startsWith: 'B-' } }, select: { id: true, createdAt: true } });
    await core.db.ticketEvent.createMany({
      data: made.map((t) => ({ ticketId: t.id, at: t.createdAt, type: 'created', actor: 'system', toStatus: 'received' })),
    });
    const counted = counting(runnerOf(core.db));
    const r = new SqlCityRequestReads(counted.runner);
    const page = await r.requests({ from: at(-1000), to: at(-100), hideConduct: true, limit: 1000 });
    expect(page).toHaveLength(300);
    expect(page.every((p) => p.latestStep?.type === 'created')).toBe(true);
    expect(counted.statements()).toBe(2);
    await r.requests({ numbers: ['T-1'], hideConduct: true, limit: 1 });
    expect(counted.statements()).toBe(4);
    await r.steps({ from: at(-1000), to: at(100), hideConduct: true, limit: 1000 });
    expect(counted.statements()).toBe(6);
    await core.db.ticketEvent.deleteMany({ where: { ticketId: { in: made.map((t) => t.id) } } });
    await core.db.ticket.deleteMany({ where: { number: { startsWith: 'B-' } } });
  });
});

describe('the steps of a window', () => {
  it('reads the status steps oldest first (by time, then id), with the ticket they changed; by cursor in the order they were stored', async () => {
    const rows = await reads.steps({ from: at(0), to: at(30), hideConduct: false, limit: 100 });
    expect(rows.map((r) => `${r.ticket.number} ${r.event.type}`)).toEqual([
      'T-1 created',
      'T-1 dispatched',
      'T-2 created',
      'T-3 created',
      'T-3 dispatched',
      'T-4 created',
      'T-1 transferred',
      'T-2 resolved',
    ]);
    expect(rows[6].ticket).toEqual({ number: 'T-1', kind: 'complaint', category: 'no_heat', branchId: 'xincheng' });
    expect(rows[6].event.at.toISOString()).toBe(at(10).toISOString());
    const stored = await reads.steps({ from: at(0), to: at(30), after: 0, hideConduct: false, limit: 100 });
    expect(stored.map((r) => `${r.ticket.number} ${r.event.type}`)).toEqual([
      'T-1 created',
      'T-1 dispatched',
      'T-1 transferred',
      'T-2 created',
      'T-2 resolved',
      'T-3 created',
      'T-3 dispatched',
      'T-4 created',
    ]);
    expect(stored.map((r) => r.event.id)).toEqual([...stored.map((r) => r.event.id)].sort((a, b) => a - b));
  });

  it('takes the window inclusive at both ends, a cursor, a limit, and leaves conduct out when asked', async () => {
    const all = await reads.steps({ from: at(0), to: at(30), after: 0, hideConduct: false, limit: 100 });
    expect((await reads.steps({ from: at(6), to: at(10), hideConduct: false, limit: 100 })).map((r) => r.event.type)).toEqual([
      'created',
      'dispatched',
      'created',
      'transferred',
    ]);
    expect((await reads.steps({ from: at(6), to: at(10), after: 0, hideConduct: false, limit: 100 })).map((r) => r.event.type)).toEqual([
      'transferred',
      'created',
      'dispatched',
      'created',
    ]);
    const after = all[3].event.id;
    expect((await reads.steps({ from: at(0), to: at(30), after, hideConduct: false, limit: 100 })).map((r) => r.event.id)).toEqual(
      all.slice(4).map((r) => r.event.id),
    );
    expect((await reads.steps({ from: at(0), to: at(30), after, hideConduct: false, limit: 2 })).map((r) => r.event.id)).toEqual(
      all.slice(4, 6).map((r) => r.event.id),
    );
    expect((await reads.steps({ from: at(0), to: at(30), hideConduct: true, limit: 100 })).map((r) => `${r.ticket.number} ${r.event.type}`)).toEqual([
      'T-1 created',
      'T-1 dispatched',
      'T-2 created',
      'T-1 transferred',
      'T-2 resolved',
    ]);
    expect((await reads.steps({ from: at(0), to: at(30), after: 0, hideConduct: true, limit: 100 })).map((r) => r.ticket.number)).toEqual([
      'T-1',
      'T-1',
      'T-1',
      'T-2',
      'T-2',
    ]);
  });
});

/** The runner, counting the statements that go through it. */
function counting(base: Runner): { runner: Runner; statements: () => number } {
  let n = 0;
  const runner: Runner = {
    dialect: base.dialect,
    all: (q) => {
      n++;
      return base.all(q);
    },
    get: (q) => {
      n++;
      return base.get(q);
    },
    run: (q) => {
      n++;
      return base.run(q);
    },
    transaction: (fn) => base.transaction(fn),
    groupCommit: (fn) => base.groupCommit(fn),
  };
  return { runner, statements: () => n };
}
