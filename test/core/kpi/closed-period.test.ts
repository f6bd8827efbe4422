/**
 * Which closed month a ticket belongs to and what a change to it owes (R29, R30): a person's
 * change needs a reason; a resident's own action, the system and a callback answer carry one of
 * their own; a ticket of the running month asks nothing of the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adjustmentFor, monthOfKey, periodKeyOf } from '../../../src/core/kpi/closed-period.js';
import type { Ticket } from '../../../src/core/model.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore({ start: '2026-12-05T09:00:00+08:00' });
  const m = monthOfKey('2026-11');
  await core.stores.kpiPeriods.close({ periodKey: '2026-11', from: m.from, to: m.to, data: '{}', closedAt: core.clock.now(), closedBy: 'system' });
});
afterAll(() => core?.close());

const ticket = (createdAt: string) => ({ id: 7, number: 'T20261120-0007', branchId: 'xincheng', createdAt: new Date(createdAt) }) as Ticket;
const change = { action: 'reopened' as const, before: { status: 'closed' }, after: { status: 'reopened' } };

describe('the closed month of a ticket (R29, R30)', () => {
  it('reads months in company time: 1 December 07:00 in Shanghai is December, though November in UTC', () => {
    expect(periodKeyOf(new Date('2026-11-30T23:00:00Z'))).toBe('2026-12');
    expect(monthOfKey('2026-11').from).toEqual(new Date('2026-10-31T16:00:00Z'));
    for (const bad of ['2026-13', '2026-1', 'November', '1999-12']) expect(() => monthOfKey(bad)).toThrow(expect.objectContaining({ code: 'invalid_period' }));
  });

  it("asks a person for a reason, and takes the resident's or the system's action with a reason of its own", async () => {
    const t = ticket('2026-11-20T09:00:00+08:00');
    await expect(adjustmentFor(core, t, { ...change, actor: 'staff:xincheng-coord', reason: '  ' })).rejects.toMatchObject({ code: 'reason_required' });
    expect(await adjustmentFor(core, t, { ...change, actor: 'resident:3' })).toMatchObject({
      periodKey: '2026-11',
      reason: 'auto:resident',
      branchId: 'xincheng',
    });
    expect(await adjustmentFor(core, t, { ...change, actor: 'system' })).toMatchObject({ reason: 'auto:system' });
    const typed = await adjustmentFor(core, t, { ...change, actor: 'staff:agent01', via: 'api:erp', reason: '住户再次来电' });
    expect(typed).toMatchObject({ action: 'reopened', actor: 'staff:agent01', reason: '住户再次来电' });
    expect(JSON.parse(typed!.data!)).toEqual({ number: t.number, before: { status: 'closed' }, after: { status: 'reopened' }, via: 'api:erp' });
  });

  it('owes nothing for a month that was not closed, nor for the running month (whose store is not even asked)', async () => {
    expect(await adjustmentFor(core, ticket('2026-10-20T09:00:00+08:00'), { ...change, actor: 'staff:agent01' })).toBeNull();
    const noStore = { ...core, stores: { ...core.stores, kpiPeriods: { ...core.stores.kpiPeriods, isClosed: () => Promise.reject(new Error('read')) } } };
    expect(await adjustmentFor(noStore, ticket('2026-12-01T00:00:00+08:00'), { ...change, actor: 'staff:agent01' })).toBeNull();
  });
});
