/**
 * The closed-period store on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): a month is closed once, its snapshot never overwritten, and the
 * changes after the close are kept beside it (R29, R30).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewKpiSnapshot } from '../../../src/core/ports/kpi-period-store.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore({ start: '2026-12-01T00:10:00+08:00' });
});
afterAll(() => core?.close());

const snapshot = (periodKey: string, data: string, closedBy = 'system'): NewKpiSnapshot => ({
  periodKey,
  from: new Date('2026-10-31T16:00:00Z'),
  to: new Date('2026-11-30T16:00:00Z'),
  data,
  closedAt: core.clock.now(),
  closedBy,
});

describe('the closed-period store (R29, R30)', () => {
  it('closes a month once: a second close returns the first snapshot and overwrites nothing', async () => {
    const s = core.stores.kpiPeriods;
    expect(await s.isClosed('2026-11')).toBe(false);
    const first = await s.close(snapshot('2026-11', '{"v":1}'));
    expect(first).toMatchObject({ created: true, snapshot: { periodKey: '2026-11', data: '{"v":1}', closedBy: 'system' } });
    const again = await s.close(snapshot('2026-11', '{"v":2}', 'staff:leader'));
    expect(again).toEqual({ created: false, snapshot: first.snapshot });
    expect(await s.snapshot('2026-11')).toEqual(first.snapshot);
    expect(await s.isClosed('2026-11')).toBe(true);
    expect(await s.snapshot('2026-10')).toBeNull();
  });

  it('lets one of two simultaneous closes win; both answer with the same snapshot', async () => {
    const s = core.stores.kpiPeriods;
    const [a, b] = await Promise.all([s.close(snapshot('2026-09', '{"a":1}')), s.close(snapshot('2026-09', '{"b":1}'))]);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    expect(a.snapshot).toEqual(b.snapshot);
    expect(await core.db.kpiSnapshot.count({ where: { periodKey: '2026-09' } })).toBe(1);
  });

  it('keeps adjustments beside a period, oldest first, by branch when asked, and counts them in the list of closed months', async () => {
    const s = core.stores.kpiPeriods;
    const at = core.clock.now();
    const base = { periodKey: '2026-11', ticketId: 1, actor: 'staff:xincheng-coord', at };
    await s.addAdjustment({ ...base, branchId: 'xincheng', action: 'cancelled', reason: '客户撤诉', data: '{"before":"resolved"}' });
    await s.addAdjustment({
      ...base,
      ticketId: 2,
      branchId: 'huimin',
      action: 'reclassified',
      reason: '一次网',
      at: new Date(at.getTime() + 1000),
      data: null,
    });
    const all = await s.adjustments('2026-11');
    expect(all.map((a) => [a.action, a.branchId, a.reason])).toEqual([
      ['cancelled', 'xincheng', '客户撤诉'],
      ['reclassified', 'huimin', '一次网'],
    ]);
    expect(all[0]).toMatchObject({ actor: 'staff:xincheng-coord', at, data: '{"before":"resolved"}' });
    expect((await s.adjustments('2026-11', { branchId: 'huimin' })).map((a) => a.ticketId)).toEqual([2]);
    expect(await s.adjustments('2026-09')).toEqual([]);
    const closed = await s.closed();
    expect(closed.map((c) => [c.periodKey, c.adjustments])).toEqual([
      ['2026-11', 2],
      ['2026-09', 0],
    ]);
    expect(closed[0]).toMatchObject({ closedBy: 'system', from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z') });
  });
});
