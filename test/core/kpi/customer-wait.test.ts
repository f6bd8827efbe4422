import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeKpis, type KpiReport } from '../../../src/core/kpi/compute-kpis.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { recordCallback } from '../../../src/core/tickets/record-callback.js';
import { transitionTicket, type StepInput } from '../../../src/core/tickets/transition-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

const HOUR = 3_600_000;
let core: TestCore;
let nov: KpiReport;

/** A 新城 no-heat complaint (resolve within 24 h of each round) reported at `reported`. */
async function report(reported: Date) {
  core.clock.set(reported.toISOString());
  return createTicket(core, hotlineComplaint({ customerAccount: undefined, communityId: 'c001', contactPhone: `1390000${reported.getUTCDate()}` }));
}
async function step(number: string, at: Date, action: StepInput['action'], note?: string) {
  core.clock.set(at.toISOString());
  return transitionTicket(core, { number, action, actor: 'staff:xincheng-field1', note });
}
async function answer(ticketId: number, at: Date, satisfaction: 'satisfied' | 'dissatisfied') {
  core.clock.set(at.toISOString());
  const cb = await core.db.callback.findFirstOrThrow({ where: { ticketId, status: 'pending' } });
  await recordCallback(core, { callbackId: cb.id, actor: 'staff:agent01', reached: true, satisfaction });
}
const after = (t: Date, hours: number) => new Date(t.getTime() + hours * HOUR);

beforeAll(async () => {
  core = await makeTestCore();
  // reported, resolved after 2 h, reopened after 20 h (not satisfied), resolved again after 30 h:
  // the second round met its own deadline (24 h from the reopen), the customer waited 30 h
  const first = new Date('2026-11-10T01:00:00Z');
  const a = await report(first);
  await step(a.number, after(first, 0.1), 'accept');
  await step(a.number, after(first, 0.5), 'arrive');
  await step(a.number, after(first, 2), 'resolve', '已排气');
  await answer(a.id, after(first, 20), 'dissatisfied');
  await step(a.number, after(first, 21), 'accept');
  await step(a.number, after(first, 22), 'arrive');
  await step(a.number, after(first, 30), 'resolve', '更换阀门');
  await answer(a.id, after(first, 31), 'satisfied');
  // reported and resolved within the hour
  const second = new Date('2026-11-12T01:00:00Z');
  const b = await report(second);
  await step(b.number, after(second, 0.1), 'accept');
  await step(b.number, after(second, 0.5), 'arrive');
  await step(b.number, after(second, 1), 'resolve', '已恢复');
  core.clock.set('2026-12-03T02:00:00Z');
  nov = await computeKpis(core, { from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z') });
});
afterAll(() => core?.close());

const xincheng = () => nov.branches.find((r) => r.branchId === 'xincheng')!;

describe('the customer’s whole wait (KPI row)', () => {
  it('is the mean of the minutes from the first report to the final resolve, across a reopen: (30 h + 1 h) / 2', () => {
    expect(xincheng().customerWaitMinutes).toBe(((30 + 1) * 60) / 2);
    expect(nov.company.customerWaitMinutes).toBe(((30 + 1) * 60) / 2);
  });

  it('judges R29 timeliness by the resolve deadline of the round that stood at the end: both in time although one customer waited 30 h', () => {
    expect([xincheng().complaintTimeliness.numerator, xincheng().complaintTimeliness.denominator]).toEqual([2, 2]);
  });

  it('is null for a branch that finished nothing', () => {
    expect(nov.branches.find((r) => r.branchId === 'huimin')?.customerWaitMinutes).toBeNull();
  });
});
