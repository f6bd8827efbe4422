/**
 * The KPI store on the database under test (SQLite file, or PostgreSQL when TEST_DATABASE_URL
 * is set): the same tickets give the same counts on both. The rates built from these counts
 * are tested in test/core/kpi.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prisma } from '../../../src/db/generated/sqlite/client.js';
import type { KpiReads } from '../../../src/core/ports/kpi-reads.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let kpis: KpiReads;
const from = new Date('2026-11-01T00:00:00Z');
const to = new Date('2026-12-01T00:00:00Z');
const day = (d: number, h = 0, m = 0) => new Date(Date.UTC(2026, 10, d, h, m));
let n = 0;

async function ticket(over: Partial<Prisma.TicketUncheckedCreateInput>) {
  const base = {
    number: `T-${++n}`,
    kind: 'complaint',
    category: 'no_heat',
    source: 'telegram',
    status: 'accepted',
    description: '暖气不热',
    firstResponder: 'telegram',
  };
  return core.db.ticket.create({ data: { ...base, ...over } });
}

/** A ticket's resolve deadline as the steps leave it (R29 reads it from these rows). */
function resolveDeadline(ticketId: number, generation: number, startedAt: Date, dueAt: Date, over: { metAt?: Date; supersededAt?: Date } = {}) {
  return core.db.deadline.create({ data: { ticketId, name: 'resolve', generation, startedAt, dueAt, ...over } });
}

beforeAll(async () => {
  core = await makeTestCore();
  kpis = core.stores.kpis;
  // xincheng: a repair on site in 30 minutes, resolved and closed in time, customer satisfied
  const a = await ticket({
    branchId: 'xincheng',
    status: 'closed',
    createdAt: day(2),
    dispatchedAt: day(2),
    arrivedAt: day(2, 0, 30),
    resolvedAt: day(2, 2),
    closedAt: day(2, 3),
    resolveDueAt: day(5),
    satisfaction: 'satisfied',
    conductConfirmed: false,
  });
  await resolveDeadline(a.id, 0, day(2), day(5), { metAt: day(2, 2) });
  // xincheng: a billing complaint still open at the end, its deadline after the end (pending)
  const b = await ticket({
    branchId: 'xincheng',
    category: 'billing',
    createdAt: day(3),
    dispatchedAt: day(3),
    resolveDueAt: new Date('2026-12-10T00:00:00Z'),
  });
  await resolveDeadline(b.id, 0, day(3), new Date('2026-12-10T00:00:00Z'));
  // huimin: a primary leak repaired after 48 hours (late for R27), in time for its deadline
  const c = await ticket({
    branchId: 'huimin',
    category: 'leak',
    scope: 'primary',
    status: 'resolved',
    createdAt: day(4),
    dispatchedAt: day(4),
    resolvedAt: day(6),
    resolveDueAt: day(10),
  });
  await resolveDeadline(c.id, 0, day(4), day(10), { metAt: day(6) });
  // held by xincheng at the end, transferred to huimin after it
  const d = await ticket({
    branchId: 'huimin',
    category: 'staff_conduct',
    conductConfirmed: true,
    createdAt: day(20),
    dispatchedAt: new Date('2026-12-02T00:00:00Z'),
    transferCount: 1,
    resolveDueAt: new Date('2026-12-05T00:00:00Z'),
  });
  await core.db.ticketEvent.create({ data: { ticketId: d.id, at: day(20), type: 'dispatched', actor: 'system', toStatus: 'dispatched' } });
  // R32/R33 count the finding (ConductFinding), by the branch of the staff member when it was recorded
  await core.db.conductFinding.create({
    data: {
      ticketId: d.id,
      staffId: 'xincheng-field1',
      branchId: 'xincheng',
      finding: 'attitude',
      consequence: 'allowance',
      month: '2026-11',
      evidence: '录音核实',
      foundBy: 'staff:agent01',
      foundAt: day(21),
    },
  });
  // the transfer to another branch ended the first generation (three days from the report) and started the next
  await resolveDeadline(d.id, 0, day(20), day(23), { supersededAt: new Date('2026-12-02T00:00:00Z') });
  await resolveDeadline(d.id, 1, new Date('2026-12-02T00:00:00Z'), new Date('2026-12-05T00:00:00Z'));
  await core.db.ticketEvent.create({
    data: {
      ticketId: d.id,
      at: new Date('2026-12-02T00:00:00Z'),
      type: 'transferred',
      actor: 'staff:li',
      data: JSON.stringify({ fromBranchId: 'xincheng', toBranchId: 'huimin' }),
    },
  });
  // no branch yet: the centre's triage queue
  await ticket({ status: 'received', category: 'other', createdAt: day(5) });
  // left out: cancelled, a duplicate, another period, not a complaint
  await ticket({ branchId: 'xincheng', status: 'cancelled', createdAt: day(6) });
  await ticket({ branchId: 'xincheng', status: 'duplicate', createdAt: day(6) });
  await ticket({ branchId: 'xincheng', createdAt: new Date('2026-10-31T23:59:59Z') });
  await ticket({ branchId: 'xincheng', kind: 'consultation', createdAt: day(7) });

  // R28: one customer answered about tickets of both branches; the latest answer decides for the company
  await core.db.callback.create({
    data: { ticketId: a.id, channel: 'telegram', status: 'answered', result: 'satisfied', customerKey: 'acc:1', createdAt: day(2, 4), answeredAt: day(2, 5) },
  });
  await core.db.callback.create({
    data: { ticketId: c.id, channel: 'phone', status: 'answered', result: 'dissatisfied', customerKey: 'acc:1', createdAt: day(7), answeredAt: day(7, 1) },
  });
  // another customer: basically satisfied; one not reached is not surveyed
  await core.db.callback.create({
    data: { ticketId: c.id, channel: 'phone', status: 'answered', result: 'fairly', customerKey: 'acc:2', createdAt: day(7), answeredAt: day(8) },
  });
  await core.db.callback.create({ data: { ticketId: c.id, channel: 'phone', status: 'unreachable', customerKey: 'acc:3', attempts: 3, createdAt: day(7) } });

  // suggestions: two on one topic (one answered), one without a topic, one of another period
  await ticket({
    kind: 'suggestion',
    category: 'other',
    topic: ' 收费窗口 ',
    branchId: 'xincheng',
    status: 'closed',
    createdAt: day(10),
    closedAt: day(12),
    description: '窗口太少',
  });
  await ticket({
    kind: 'suggestion',
    category: 'other',
    topic: '收费窗口',
    branchId: 'xincheng',
    status: 'received',
    createdAt: day(11),
    description: '延长时间',
  });
  await ticket({ kind: 'suggestion', category: 'billing', branchId: 'huimin', status: 'received', createdAt: day(12), description: '线上缴费' });
  await ticket({ kind: 'suggestion', category: 'other', branchId: 'huimin', status: 'received', createdAt: new Date(day(1).getTime() - 1) });
});
afterAll(() => core.close());

const byBranch = <T extends { branchId: string | null }>(rows: T[]) => new Map(rows.map((r) => [r.branchId, r]));

describe('KPI counts', () => {
  it('counts the complaints of the period per branch that held them at its end', async () => {
    const rows = byBranch(await kpis.complaintCounts({ from, to, asOf: to }));
    expect([...rows.keys()].sort()).toEqual([null, 'huimin', 'xincheng'].sort());
    expect(rows.get('xincheng')).toEqual({
      branchId: 'xincheng',
      repairs: 1,
      repairsTimely: 1,
      repairsPending: 0,
      assigned: 3,
      finished: 1,
      inTime: 1,
      // the billing complaint; the transferred one's deadline, counted from before the transfer, had passed
      pending: 1,
      satisfied: 1,
      reopened: 0,
      conduct: 1,
      repeats: 0,
      // the customer's whole wait: a resolved two hours after the report
      waitMinutes: 120,
    });
    expect(rows.get('huimin')).toMatchObject({
      repairs: 1,
      repairsTimely: 0,
      repairsPending: 0,
      assigned: 1,
      finished: 1,
      inTime: 1,
      pending: 0,
      satisfied: 0,
      conduct: 0,
      waitMinutes: 2 * 24 * 60,
    });
    expect(rows.get(null)).toMatchObject({ repairs: 0, assigned: 1, finished: 0, pending: 1 });
  });

  it('counts a repair still within its window as pending while the period runs', async () => {
    const asOf = day(4, 12);
    const rows = byBranch(await kpis.complaintCounts({ from, to, asOf }));
    expect(rows.get('huimin')).toMatchObject({ repairs: 1, repairsTimely: 0, repairsPending: 1 });
  });

  it('counts each surveyed customer once, by the latest answer, per branch and for the company', async () => {
    const s = await kpis.surveyCounts({ from, to });
    expect(s.company).toEqual({ surveyed: 2, satisfied: 1 });
    const rows = byBranch(s.branches);
    expect(rows.get('xincheng')).toEqual({ branchId: 'xincheng', surveyed: 1, satisfied: 1 });
    expect(rows.get('huimin')).toEqual({ branchId: 'huimin', surveyed: 2, satisfied: 1 });
  });

  it('finds nothing in a period without tickets', async () => {
    const empty = { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-02-01T00:00:00Z') };
    expect(await kpis.complaintCounts({ ...empty, asOf: empty.to })).toEqual([]);
    expect(await kpis.surveyCounts(empty)).toEqual({ branches: [], company: { surveyed: 0, satisfied: 0 } });
  });
});

describe('suggestion counts', () => {
  it('groups suggestions by branch and trimmed topic, or category without one, and lists them', async () => {
    const { counts, rows } = await kpis.suggestions({ from, to, limit: 10 });
    expect(counts.sort((a, b) => String(a.branchId).localeCompare(String(b.branchId)))).toEqual([
      { branchId: 'huimin', communityId: null, topic: null, category: 'billing', count: 1, answered: 0 },
      { branchId: 'xincheng', communityId: null, topic: '收费窗口', category: null, count: 2, answered: 1 },
    ]);
    expect(rows.map((r) => [r.branchId, r.topic, r.description, r.answered])).toEqual([
      ['huimin', null, '线上缴费', false],
      ['xincheng', '收费窗口', '窗口太少', true],
      ['xincheng', '收费窗口', '延长时间', false],
    ]);
    expect(rows[1].createdAt.toISOString()).toBe(day(10).toISOString());
  });

  it('keeps to one branch and to the limit', async () => {
    const { counts, rows } = await kpis.suggestions({ from, to, branchId: 'xincheng', limit: 1 });
    expect(counts).toEqual([{ branchId: 'xincheng', communityId: null, topic: '收费窗口', category: null, count: 2, answered: 1 }]);
    expect(rows.map((r) => r.description)).toEqual(['窗口太少']);
  });

  it('groups the suggestions HQ holds by their community, and a branch filter with its communities takes them in (R18, R19)', async () => {
    // December 2026, apart from November's tickets above
    const dec = { from: new Date(Date.UTC(2026, 11, 1)), to: new Date(Date.UTC(2027, 0, 1)) };
    const at = new Date(Date.UTC(2026, 11, 5));
    await ticket({ kind: 'suggestion', category: 'other', status: 'received', communityId: 'c019', topic: '热线', createdAt: at, description: '热线等太久' });
    await ticket({
      kind: 'suggestion',
      category: 'other',
      status: 'closed',
      communityId: 'c019',
      topic: '热线',
      createdAt: at,
      resolvedAt: at,
      closedAt: at,
      description: '热线多开几条',
    });
    await ticket({ kind: 'suggestion', category: 'other', status: 'received', createdAt: at, description: '无小区' });
    const all = await kpis.suggestions({ ...dec, limit: 10 });
    expect(all.counts.sort((a, b) => String(a.communityId).localeCompare(String(b.communityId)))).toEqual([
      { branchId: null, communityId: 'c019', topic: '热线', category: null, count: 2, answered: 1 },
      { branchId: null, communityId: null, topic: null, category: 'other', count: 1, answered: 0 },
    ]);
    expect(all.rows.map((r) => r.communityId).sort()).toEqual(['c019', 'c019', null].sort());
    const yuquan = await kpis.suggestions({ ...dec, branchId: 'yuquan', communityIds: ['c019', 'c020'], limit: 10 });
    expect(yuquan.counts).toEqual([{ branchId: null, communityId: 'c019', topic: '热线', category: null, count: 2, answered: 1 }]);
    expect(yuquan.rows.map((r) => r.description).sort()).toEqual(['热线多开几条', '热线等太久'].sort());
  });
});

describe('R30 and R28 lists: transfers, unreachable customers, repeats', () => {
  // January 2027, apart from November's tickets above
  const jan = (d: number, h = 0) => new Date(Date.UTC(2027, 0, d, h));
  const period = { from: jan(1), to: new Date(Date.UTC(2027, 1, 1)) };

  it('counts transfers out of a branch to another, done before the end, per branch the ticket left', async () => {
    const t = await ticket({ branchId: 'yuquan', createdAt: jan(3), transferCount: 3 });
    const moved = (at: Date, data: object) =>
      core.db.ticketEvent.create({ data: { ticketId: t.id, at, type: 'transferred', actor: 'staff:li', data: JSON.stringify(data) } });
    await moved(jan(3, 1), { fromBranchId: 'saihan', branchId: 'jinqiao' });
    // between units of one branch: not passing the buck to another branch
    await moved(jan(3, 2), { fromBranchId: 'jinqiao', branchId: 'jinqiao', fromUnitId: 'a', unitId: 'b' });
    await moved(new Date(Date.UTC(2027, 1, 2)), { fromBranchId: 'jinqiao', branchId: 'yuquan' });
    expect(await kpis.transfersOut(period)).toEqual([{ branchId: 'saihan', count: 1 }]);
    // November's transfer of d happened on 2 December: a period through 3 December has it
    expect(await kpis.transfersOut({ from, to: new Date('2026-12-03T00:00:00Z') })).toEqual([{ branchId: 'xincheng', count: 1 }]);
  });

  it('lists the callbacks marked unreachable in the period by when, with the branch holding the ticket', async () => {
    const t = await ticket({ branchId: 'saihan', createdAt: jan(4), contactName: '李四', contactPhone: '13900000009' });
    await core.db.callback.create({
      data: { ticketId: t.id, channel: 'phone', status: 'unreachable', attempts: 3, createdAt: jan(5), answeredAt: jan(6), lastAttemptAt: jan(6) },
    });
    await core.db.callback.create({
      data: { ticketId: t.id, channel: 'phone', status: 'answered', result: 'satisfied', createdAt: jan(7), answeredAt: jan(8) },
    });
    const all = await kpis.unreachable({ ...period, limit: 10 });
    expect(all).toEqual({
      total: 1,
      rows: [{ number: t.number, branchId: 'saihan', category: 'no_heat', contactName: '李四', contactPhone: '13900000009', attempts: 3, at: jan(6) }],
    });
    expect(await kpis.unreachable({ ...period, branchId: 'huimin', limit: 10 })).toEqual({ total: 0, rows: [] });
  });

  it('finds the first complaint of a repeat chain by account, resident or phone in the community, leaving out cancelled ones', async () => {
    const first = await ticket({ branchId: 'jinqiao', createdAt: jan(10), contactPhone: '13911110000', communityId: 'c030' });
    const second = await ticket({ branchId: 'jinqiao', createdAt: jan(12), contactPhone: '13911110000', communityId: 'c030', repeatOfId: first.id });
    await ticket({ branchId: 'jinqiao', createdAt: jan(13), contactPhone: '13911110000', communityId: 'c030', status: 'cancelled' });
    const q = { category: 'no_heat', since: jan(9), customerId: null, residentId: null, phone: '13911110000', communityId: 'c030' };
    expect(await kpis.repeatOf(q)).toEqual({ id: first.id, number: first.number });
    expect(await kpis.repeatOf({ ...q, category: 'leak' })).toBeNull();
    expect(await kpis.repeatOf({ ...q, communityId: 'c031' })).toBeNull();
    // the window starts after the first: the second is the latest, and it names the first
    expect(await kpis.repeatOf({ ...q, since: jan(11) })).toEqual({ id: first.id, number: first.number });
    expect(await kpis.repeatOf({ ...q, since: jan(13) })).toBeNull();
    expect(second.repeatOfId).toBe(first.id);
  });
});
