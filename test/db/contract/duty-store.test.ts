/**
 * The duty log and handovers on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): entries, the handover's reads and the one countersignature behave the same on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DutyStore } from '../../../src/core/ports/duty-store.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let duty: DutyStore;
const t0 = new Date('2026-11-28T06:00:00.123Z');
const later = (min: number) => new Date(t0.getTime() + min * 60_000);

beforeAll(async () => {
  core = await makeTestCore();
  duty = core.stores.duty;
});
afterAll(() => core.close());

describe('the duty store', () => {
  it("keeps each place's log apart (the centre's has no branch) and reads it in time order within a range", async () => {
    const e2 = await duty.addEntry({ staffId: 'xincheng-coord', branchId: 'xincheng', text: '17号楼跑水', ticketNumber: 'T20261128-0001', at: later(20) });
    const e1 = await duty.addEntry({ staffId: 'xincheng-coord', branchId: 'xincheng', text: '巡查正常', ticketNumber: null, at: later(10) });
    const e3 = await duty.addEntry({ staffId: 'xincheng-field', branchId: 'xincheng', text: '抢修完成', ticketNumber: null, at: later(30) });
    const c = await duty.addEntry({ staffId: 'centre-agent', branchId: null, text: '中心值班', ticketNumber: null, at: later(15) });
    expect(e2).toMatchObject({ staffId: 'xincheng-coord', branchId: 'xincheng', text: '17号楼跑水', ticketNumber: 'T20261128-0001', at: later(20) });
    expect((await duty.entries('xincheng', { after: null }, 200)).map((e) => e.id)).toEqual([e1.id, e2.id, e3.id]);
    expect((await duty.entries('xincheng', { after: later(10), until: later(20) }, 200)).map((e) => e.id)).toEqual([e2.id]);
    expect((await duty.entries('xincheng', { after: null }, 2)).map((e) => e.id)).toEqual([e1.id, e2.id]);
    expect((await duty.entries(null, { after: null }, 200)).map((e) => e.id)).toEqual([c.id]);
    expect(await duty.entries('huimin', { after: null }, 200)).toEqual([]);
  });

  it('reads open tickets of given severities for one branch or for all, and tickets by number', async () => {
    const base = { kind: 'complaint', category: 'leak', source: 'hotline', description: '跑水', firstResponder: 'staff:agent01', createdAt: t0 };
    const mk = (number: string, data: { severity: string; status: string; branchId: string }) => core.db.ticket.create({ data: { ...base, number, ...data } });
    const a = await mk('T20261128-0001', { severity: 'urgent', status: 'dispatched', branchId: 'xincheng' });
    const b = await mk('T20261128-0002', { severity: 'major', status: 'on_site', branchId: 'huimin' });
    await mk('T20261128-0003', { severity: 'normal', status: 'dispatched', branchId: 'xincheng' });
    await mk('T20261128-0004', { severity: 'urgent', status: 'closed', branchId: 'xincheng' });
    const filter = { severities: ['urgent', 'major'] as const, statuses: ['dispatched', 'on_site'] as const };
    expect((await duty.tickets({ branchId: 'xincheng', ...filter }, 50)).map((t) => t.number)).toEqual([a.number]);
    expect((await duty.tickets({ branchId: null, ...filter }, 50)).map((t) => t.number)).toEqual([a.number, b.number]);
    expect((await duty.tickets({ branchId: null, ...filter }, 1)).map((t) => t.number)).toEqual([a.number]);
    const named = await duty.ticketsByNumber([b.number, 'T19990101-0001', a.number]);
    expect(named.map((t) => t.number)).toEqual([a.number, b.number]);
    expect(named[0]).toMatchObject({ severity: 'urgent', status: 'dispatched', verified: false, createdAt: t0 });
    expect(await duty.ticketsByNumber([])).toEqual([]);
  });

  it("stores a signed handover and finds the place's latest, or the latest before a moment", async () => {
    expect(await duty.lastHandover('xincheng')).toBeNull();
    const h1 = await duty.startHandover({
      branchId: 'xincheng',
      outgoingStaffId: 'xincheng-coord',
      outgoingSignedAt: later(60),
      summary: '交接一',
      openUrgent: '["T20261128-0001"]',
    });
    expect(h1).toMatchObject({
      branchId: 'xincheng',
      outgoingStaffId: 'xincheng-coord',
      outgoingSignedAt: later(60),
      summary: '交接一',
      openUrgent: '["T20261128-0001"]',
      incomingStaffId: null,
      incomingSignedAt: null,
    });
    const h2 = await duty.startHandover({
      branchId: 'xincheng',
      outgoingStaffId: 'xincheng-field',
      outgoingSignedAt: later(120),
      summary: '交接二',
      openUrgent: '[]',
    });
    const c = await duty.startHandover({ branchId: null, outgoingStaffId: 'centre-agent', outgoingSignedAt: later(200), summary: '中心', openUrgent: null });
    expect((await duty.lastHandover('xincheng'))?.id).toBe(h2.id);
    expect((await duty.lastHandover('xincheng', later(120)))?.id).toBe(h1.id);
    expect(await duty.lastHandover('xincheng', later(60))).toBeNull();
    expect((await duty.lastHandover(null))?.id).toBe(c.id);
    expect(await duty.handoverById(h1.id)).toEqual(h1);
    expect(await duty.handoverById(999_999)).toBeNull();
  });

  it('takes the first countersignature only, also when two arrive at once', async () => {
    const h = await duty.startHandover({ branchId: 'huimin', outgoingStaffId: 'huimin-coord', outgoingSignedAt: t0, summary: '交接', openUrgent: '[]' });
    const [a, b] = await Promise.all([
      duty.acceptHandover(h.id, { staffId: 'huimin-field', at: later(5) }),
      duty.acceptHandover(h.id, { staffId: 'huimin-field2', at: later(5) }),
    ]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const signed = (a ?? b)!;
    expect(signed).toMatchObject({ id: h.id, incomingSignedAt: later(5) });
    expect(await duty.acceptHandover(h.id, { staffId: 'huimin-field', at: later(9) })).toBeNull();
    expect(await duty.handoverById(h.id)).toEqual(signed);
    expect(await duty.acceptHandover(999_999, { staffId: 'huimin-field', at: t0 })).toBeNull();
  });
});
