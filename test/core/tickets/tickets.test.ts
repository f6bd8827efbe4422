import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { getTicket } from '../../../src/core/tickets/get-ticket.js';
import { recordCallback } from '../../../src/core/tickets/record-callback.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { routeTicket } from '../../../src/core/tickets/route-ticket.js';
import { listTickets } from '../../../src/core/tickets/list-tickets.js';
import { computeKpis } from '../../../src/core/kpi/compute-kpis.js';
import { formatMinute } from '../../../src/core/local-time.js';
import { seedDemoCustomers } from '../../../src/db/seed-demo.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore();
  await seedDemoCustomers(core);
});
afterAll(() => core?.close());

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('routing (R8a, R8b)', () => {
  it('sends no-heat and leaks to the field team of the branch serving the community', () => {
    expect(routeTicket(core.org, 'c001', 'no_heat')).toEqual({ branchId: 'xincheng', unitId: 'xincheng-field' });
    expect(routeTicket(core.org, 'c001', 'leak')).toEqual({ branchId: 'xincheng', unitId: 'xincheng-field' });
  });
  it('sends billing complaints to the billing office and others to the service office', () => {
    expect(routeTicket(core.org, 'c010', 'billing')).toEqual({ branchId: 'huimin', unitId: 'huimin-billing' });
    expect(routeTicket(core.org, 'c010', 'staff_conduct')).toEqual({ branchId: 'huimin', unitId: 'huimin-office' });
  });
  it('leaves an unknown address for the centre to triage', () => {
    expect(routeTicket(core.org, undefined, 'no_heat')).toEqual({ branchId: null, unitId: null });
  });
});

describe('intake', () => {
  it('files a hotline complaint for a known customer with the branch, unit, deadlines and first responder (R1, R7)', async () => {
    const t = await createTicket(core, hotlineComplaint());
    expect(t.number).toMatch(/^T20261128-\d{4}$/);
    expect(t).toMatchObject({
      status: 'dispatched',
      branchId: 'xincheng',
      unitId: 'xincheng-field',
      firstResponder: 'staff:agent01',
      verified: true,
      communityId: 'c001',
    });
    // 14:00 local; arrive within 1 hour (R27), resolve within 24 hours
    expect(t.arriveDueAt?.toISOString()).toBe('2026-11-28T07:00:00.000Z');
    expect(t.resolveDueAt?.toISOString()).toBe('2026-11-29T06:00:00.000Z');
    const rows = await core.db.outboxMessage.findMany({ where: { key: { startsWith: `card:${t.id}:` } } });
    expect(rows.map((r) => r.target)).toEqual(['C1XINCHED']);
  });

  it('puts a complaint with no known address in the triage queue, not lost', async () => {
    const t = await createTicket(core, hotlineComplaint({ customerAccount: undefined, address: '不知道哪个小区', contactPhone: '13800000000' }));
    expect(t.status).toBe('received');
    expect(t.branchId).toBeNull();
    const triage = await core.db.outboxMessage.findMany({ where: { kind: 'triage', key: { startsWith: `triage:${t.id}:` } } });
    expect(triage).toHaveLength(1);
  });

  it('makes a leak urgent and alerts the branch urgent channel at once (R8j)', async () => {
    const t = await createTicket(core, hotlineComplaint({ category: 'leak', description: '楼上跑水' }));
    expect(t.severity).toBe('urgent');
    const alert = await core.db.outboxMessage.findUnique({ where: { key: `urgent:${t.id}:xincheng` } });
    expect(alert?.target).toBe('C1XINCHEU');
  });

  it('alerts the leaders for a major event (R8k)', async () => {
    const t = await createTicket(core, hotlineComplaint({ severity: 'major', scope: 'primary', description: '主管道爆管，整个小区停暖' }));
    expect((await core.db.outboxMessage.findUnique({ where: { key: `major:${t.id}` } }))?.target).toBe('C0LEADER01');
  });

  it('keeps branch-direct complaints with the branch that took them (R1.2)', async () => {
    const t = await createTicket(core, hotlineComplaint({ source: 'branch_direct', firstResponder: 'staff:yuquan-coord', branchId: 'yuquan' }));
    expect(t.branchId).toBe('yuquan');
    expect(t.firstResponder).toBe('staff:yuquan-coord');
  });

  it('refuses an unknown account, community or first responder and stores nothing', async () => {
    const before = await core.db.ticket.count();
    expect(await codeOf(createTicket(core, hotlineComplaint({ customerAccount: '0000' })))).toBe('customer_not_found');
    expect(await codeOf(createTicket(core, hotlineComplaint({ communityId: 'c999' })))).toBe('unknown_community');
    expect(await codeOf(createTicket(core, hotlineComplaint({ firstResponder: 'staff:ghost' })))).toBe('unknown_staff');
    expect(await codeOf(createTicket(core, hotlineComplaint({ description: '  ' })))).toBe('validation_failed');
    expect(await core.db.ticket.count()).toBe(before);
  });
});

describe('ticket numbers', () => {
  it('are unique and gap-free under 40 concurrent intakes', async () => {
    const made = await Promise.all(
      Array.from({ length: 40 }, () => createTicket(core, hotlineComplaint({ kind: 'suggestion', category: 'other', description: '建议' }))),
    );
    const seqs = made.map((t) => Number(t.number.split('-')[1])).sort((a, b) => a - b);
    expect(new Set(made.map((t) => t.number)).size).toBe(40);
    expect(seqs).toEqual(Array.from({ length: 40 }, (_, i) => seqs[0] + i));
    expect(made[0].number.startsWith('S20261128-')).toBe(true);
  });

  it('restart at 0001 on the next local day (Asia/Shanghai)', async () => {
    core.clock.set('2026-11-28T16:00:00Z'); // 00:00 on the 29th in Hohhot
    const t = await createTicket(core, hotlineComplaint({ kind: 'paid_service', category: 'other', paidMaterials: 'own' }));
    expect(t.number).toBe('P20261129-0001');
    core.clock.set('2026-11-28T06:00:00Z');
  });
});

describe('the closed loop', () => {
  it('walks a complaint from intake to closed and reads back a minute-stamped timeline (R8, R8g, R8h)', async () => {
    const t = await createTicket(core, hotlineComplaint());
    const step = (action: any, extra: object = {}) => transitionTicket(core, { number: t.number, action, actor: 'staff:xincheng-field1', ...extra });
    core.clock.advance(5 * 60_000);
    await step('accept');
    core.clock.advance(35 * 60_000);
    await step('arrive');
    core.clock.advance(50 * 60_000);
    const resolved = await step('resolve', { note: '暖气片排气后恢复正常', form: { workDone: '排气，调节阀门', feesCents: 0, signed: true } });
    expect(resolved.ticket.status).toBe('callback');
    const cb = await core.db.callback.findFirstOrThrow({ where: { ticketId: t.id } });
    expect(cb).toMatchObject({ channel: 'phone', status: 'pending' });
    core.clock.advance(60 * 60_000);
    const out = await recordCallback(core, { callbackId: cb.id, actor: 'staff:agent02', reached: true, satisfaction: 'satisfied' });
    expect(out.outcome).toBe('closed');

    const full = await getTicket(core, t.number);
    expect(full.status).toBe('closed');
    expect(full.satisfaction).toBe('satisfied');
    expect(full.form?.workDone).toBe('排气，调节阀门');
    expect(full.events.map((e) => `${formatMinute(e.at)} ${e.type}`)).toEqual([
      '2026-11-28 14:00 created',
      '2026-11-28 14:00 dispatched',
      '2026-11-28 14:05 accepted',
      '2026-11-28 14:40 arrived',
      '2026-11-28 15:30 resolved',
      '2026-11-28 15:30 callback_requested',
      '2026-11-28 16:30 closed',
    ]);
    core.clock.set('2026-11-28T06:00:00Z');
  });

  it('reopens on a dissatisfied callback and counts it (R30)', async () => {
    const t = await createTicket(core, hotlineComplaint());
    for (const [action, extra] of [
      ['accept', {}],
      ['arrive', {}],
      ['resolve', { note: '已处理' }],
    ] as const) {
      await transitionTicket(core, { number: t.number, action, actor: 'staff:xincheng-field1', ...extra });
    }
    const cb = await core.db.callback.findFirstOrThrow({ where: { ticketId: t.id } });
    const out = await recordCallback(core, { callbackId: cb.id, actor: 'staff:agent01', reached: true, satisfaction: 'dissatisfied', comment: '还是不热' });
    expect(out.outcome).toBe('reopened');
    expect(out.ticket).toMatchObject({ status: 'dispatched', reopenCount: 1, satisfaction: 'dissatisfied' });
    expect(await codeOf(recordCallback(core, { callbackId: cb.id, actor: 'staff:agent01', reached: true, satisfaction: 'satisfied' }))).toBe(
      'already_answered',
    );
  });

  it('stores a callback answer together with its step: a step that cannot be applied leaves the callback pending (R8h, R28)', async () => {
    const t = await createTicket(core, hotlineComplaint());
    for (const [action, extra] of [
      ['accept', {}],
      ['resolve', { note: '已处理' }],
    ] as const) {
      await transitionTicket(core, { number: t.number, action, actor: 'staff:xincheng-coord', ...extra });
    }
    const cb = await core.db.callback.findFirstOrThrow({ where: { ticketId: t.id } });
    // meanwhile the ticket left the callback stage (a supervisor's correction): closing it is not a valid step now
    await core.db.ticket.update({ where: { id: t.id }, data: { status: 'on_site' } });
    expect(await codeOf(recordCallback(core, { callbackId: cb.id, actor: 'staff:agent01', reached: true, satisfaction: 'satisfied' }))).toBe(
      'invalid_transition',
    );
    expect(await core.db.callback.findUniqueOrThrow({ where: { id: cb.id } })).toMatchObject({ status: 'pending', result: null, attempts: 0 });
    expect(await core.db.ticketEvent.count({ where: { ticketId: t.id, type: 'closed' } })).toBe(0);
    // back in the callback stage, the same answer counts once
    await core.db.ticket.update({ where: { id: t.id }, data: { status: 'callback' } });
    expect((await recordCallback(core, { callbackId: cb.id, actor: 'staff:agent01', reached: true, satisfaction: 'satisfied' })).outcome).toBe('closed');
    expect(await codeOf(recordCallback(core, { callbackId: cb.id, actor: 'staff:agent01', reached: true, satisfaction: 'satisfied' }))).toBe(
      'already_answered',
    );
  });

  it('records unreachable after the configured number of phone attempts and closes', async () => {
    const t = await createTicket(core, hotlineComplaint());
    for (const [action, extra] of [
      ['accept', {}],
      ['resolve', { note: '已处理' }],
    ] as const) {
      await transitionTicket(core, { number: t.number, action, actor: 'staff:xincheng-coord', ...extra });
    }
    const cb = await core.db.callback.findFirstOrThrow({ where: { ticketId: t.id } });
    // attempts count only 2 h apart (escalation.callbackRetrySpacing, R28)
    const attempt = async () => {
      const out = await recordCallback(core, { callbackId: cb.id, actor: 'staff:agent01', reached: false });
      core.clock.advance(2 * 3_600_000);
      return out;
    };
    const a1 = await attempt();
    const a2 = await attempt();
    const a3 = await attempt();
    expect([a1.outcome, a2.outcome, a3.outcome]).toEqual(['attempt_recorded', 'attempt_recorded', 'unreachable']);
    expect(a3.callback.status).toBe('unreachable');
    expect(a3.ticket.status).toBe('closed');
  });

  it('keeps the first responder through a transfer to another branch (R1)', async () => {
    const t = await createTicket(core, hotlineComplaint());
    const { ticket } = await transitionTicket(core, {
      number: t.number,
      action: 'transfer',
      actor: 'staff:xincheng-coord',
      branchId: 'huimin',
      note: '地址属回民区',
    });
    expect(ticket).toMatchObject({ branchId: 'huimin', unitId: 'huimin-field', firstResponder: 'staff:agent01', transferCount: 1, status: 'dispatched' });
    expect(await codeOf(transitionTicket(core, { number: t.number, action: 'transfer', actor: 'staff:agent01', branchId: 'huimin', note: 'x' }))).toBe(
      'transfer_to_same_place',
    );
    expect(await codeOf(transitionTicket(core, { number: t.number, action: 'transfer', actor: 'staff:agent01', branchId: 'saihan' }))).toBe(
      'validation_failed',
    );
  });

  it('keeps the clock when a billing complaint moves between two units of its branch a minute before its limit, so R29 counts its late reply as late', async () => {
    core.clock.set('2026-11-30T01:00:00Z'); // Monday 09:00 in Hohhot
    const t = await createTicket(core, hotlineComplaint({ category: 'billing', description: '多收热费' }));
    expect(t).toMatchObject({ branchId: 'xincheng', unitId: 'xincheng-billing' });
    const due = t.resolveDueAt!;
    core.clock.set(new Date(due.getTime() - 60_000));
    const { ticket } = await transitionTicket(core, {
      number: t.number,
      action: 'transfer',
      actor: 'staff:xincheng-coord',
      unitId: 'xincheng-office',
      note: '属服务态度问题',
    });
    expect(ticket).toMatchObject({ branchId: 'xincheng', unitId: 'xincheng-office', transferCount: 1 });
    expect(ticket.resolveDueAt?.toISOString()).toBe(due.toISOString());
    const overdue = await core.db.scheduledAlert.findMany({ where: { ticketId: t.id, kind: 'resolve_overdue', firedAt: null } });
    expect(overdue.map((a) => a.dueAt.toISOString())).toEqual([due.toISOString()]);

    core.clock.advance(3600_000);
    await transitionTicket(core, { number: t.number, action: 'accept', actor: 'staff:xincheng-coord' });
    await transitionTicket(core, { number: t.number, action: 'resolve', actor: 'staff:xincheng-coord', note: '已退多收热费' });
    const week = await computeKpis(core, { from: new Date('2026-11-29T16:00:00Z'), to: new Date('2026-12-06T16:00:00Z'), branchId: 'xincheng' });
    expect(week.branches.find((b) => b.branchId === 'xincheng')?.complaintTimeliness).toMatchObject({ numerator: 0, denominator: 1 });
    core.clock.set('2026-11-28T06:00:00Z');
  });

  it('still counts a complaint as pending at the end of its month when it moves between units of its branch after the month (R29)', async () => {
    core.clock.set('2026-11-30T03:00:00Z'); // Monday 11:00 in Hohhot: the last day of November
    const t = await createTicket(core, hotlineComplaint({ category: 'billing', description: '多收热费' }));
    const due = t.resolveDueAt!;
    expect(due.getTime()).toBeGreaterThan(new Date('2026-11-30T16:00:00Z').getTime()); // its limit falls in December
    core.clock.set(new Date(due.getTime() - 60 * 60_000));
    await transitionTicket(core, { number: t.number, action: 'transfer', actor: 'staff:xincheng-coord', unitId: 'xincheng-office', note: '属服务态度问题' });
    // the last hours of November, so that only this complaint is in the period
    const lastHours = { from: new Date('2026-11-30T02:30:00Z'), to: new Date('2026-11-30T16:00:00Z'), branchId: 'xincheng' };
    const row = (await computeKpis(core, lastHours)).branches.find((b) => b.branchId === 'xincheng');
    // at the end of November its limit had not passed: not finished, and pending rather than late
    expect(row?.complaintTimeliness).toMatchObject({ numerator: 0, denominator: 1, pending: 1 });
    core.clock.set('2026-11-28T06:00:00Z');
  });

  it('starts the clock again when a ticket moves to another branch', async () => {
    const t = await createTicket(core, hotlineComplaint());
    core.clock.advance(50 * 60_000);
    const { ticket } = await transitionTicket(core, {
      number: t.number,
      action: 'transfer',
      actor: 'staff:xincheng-coord',
      branchId: 'huimin',
      note: '地址属回民区',
    });
    // a secondary-network complaint: on site within an hour of the new branch getting it (R27)
    expect(ticket.arriveDueAt?.toISOString()).toBe(new Date(core.clock.now().getTime() + 3600_000).toISOString());
    const pending = await core.db.scheduledAlert.findMany({ where: { ticketId: t.id, firedAt: null, kind: 'arrive_overdue' } });
    expect(pending.map((a) => a.dueAt.toISOString())).toEqual([ticket.arriveDueAt!.toISOString()]);
    core.clock.set('2026-11-28T06:00:00Z');
  });

  it('routes inside the branch to billing (R8b)', async () => {
    const t = await createTicket(core, hotlineComplaint());
    await transitionTicket(core, { number: t.number, action: 'accept', actor: 'staff:xincheng-coord' });
    const { ticket } = await transitionTicket(core, { number: t.number, action: 'route', actor: 'staff:xincheng-coord', unitKind: 'billing_office' });
    expect(ticket.unitId).toBe('xincheng-billing');
  });

  it('refuses a step out of order with invalid_transition and changes nothing', async () => {
    const t = await createTicket(core, hotlineComplaint());
    expect(await codeOf(transitionTicket(core, { number: t.number, action: 'arrive', actor: 'staff:agent01' }))).toBe('invalid_transition');
    expect(await codeOf(transitionTicket(core, { number: t.number, action: 'resolve', actor: 'staff:agent01', note: 'x' }))).toBe('invalid_transition');
    const after = await getTicket(core, t.number);
    expect(after.status).toBe('dispatched');
    expect(after.events).toHaveLength(2);
  });

  it('lets only one of two simultaneous accepts through', async () => {
    const t = await createTicket(core, hotlineComplaint());
    const results = await Promise.allSettled([
      transitionTicket(core, { number: t.number, action: 'accept', actor: 'staff:xincheng-field1' }),
      transitionTicket(core, { number: t.number, action: 'accept', actor: 'staff:xincheng-field2' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const events = await core.db.ticketEvent.count({ where: { ticketId: t.id, type: 'accepted' } });
    expect(events).toBe(1);
  });

  it('marks duplicates and cancels with a reason', async () => {
    const a = await createTicket(core, hotlineComplaint());
    const b = await createTicket(core, hotlineComplaint());
    const dup = await transitionTicket(core, {
      number: b.number,
      action: 'mark_duplicate',
      actor: 'staff:agent01',
      duplicateOf: a.number,
      note: '同一户重复来电',
    });
    expect(dup.ticket).toMatchObject({ status: 'duplicate', duplicateOfId: a.id });
    const other = await createTicket(core, hotlineComplaint());
    expect(await codeOf(transitionTicket(core, { number: other.number, action: 'cancel', actor: 'staff:agent01' }))).toBe('validation_failed');
    const c = await transitionTicket(core, { number: other.number, action: 'cancel', actor: 'staff:agent01', note: '客户撤诉' });
    expect(c.ticket.status).toBe('cancelled');
  });

  it('lists overdue tickets once a deadline passes', async () => {
    const t = await createTicket(core, hotlineComplaint({ customerAccount: '1010007920' }));
    core.clock.advance(2 * 3600_000);
    const overdue = await listTickets(core, { overdue: true, pageSize: 500 });
    expect(overdue.items.map((x) => x.number)).toContain(t.number);
    core.clock.set('2026-11-28T06:00:00Z');
  });
});
