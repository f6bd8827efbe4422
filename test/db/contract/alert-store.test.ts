/**
 * The alert store on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): claiming, firing exactly once, and the rows firing stores.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emptyPlan, planDeadlineAlerts } from '../../../src/core/deadlines/alert-effects.js';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { outboxRow } from '../../../src/core/outbox/enqueue.js';
import type { FirePlan } from '../../../src/core/ports/alert-store.js';
import { makeTestCore, usingPostgres, type TestCore } from '../../helpers/core.js';

const NOW = new Date('2026-11-28T06:15:00Z');
const LEASE = new Date(NOW.getTime() + 60_000);
const MIN = 60_000;

let core: TestCore;
beforeEach(async () => {
  core = await makeTestCore({ start: NOW.toISOString() });
});
afterEach(() => core?.close());

let made = 0;
/** A dispatched 新城 ticket, not accepted, with its acceptance deadline running and its overdue alert due now. */
async function overdueTicket(over: { severity?: string } = {}) {
  made++;
  const t = await core.db.ticket.create({
    data: {
      number: `T20261128-${String(made).padStart(4, '0')}`,
      kind: 'complaint',
      category: 'no_heat',
      source: 'hotline',
      status: 'dispatched',
      description: '暖气不热',
      firstResponder: 'staff:agent01',
      branchId: 'xincheng',
      unitId: 'xincheng-field',
      severity: over.severity ?? 'normal',
      createdAt: new Date(NOW.getTime() - 15 * MIN),
      ackDueAt: NOW,
    },
  });
  await core.db.deadline.create({ data: { ticketId: t.id, name: 'ack', generation: 0, startedAt: t.createdAt, dueAt: NOW } });
  const alert = await core.db.scheduledAlert.create({
    data: { key: `ticket:${t.id}:ack_overdue:0`, ticketId: t.id, kind: 'ack_overdue', dueAt: NOW, data: JSON.stringify({ deadline: 'ack', dueAt: NOW }) },
  });
  return { ticket: t, alert };
}

const count = {
  messages: () => core.db.outboxMessage.count(),
  events: (ticketId?: number) => core.db.ticketEvent.count({ where: ticketId ? { ticketId } : {} }),
  fired: () => core.db.scheduledAlert.count({ where: { firedAt: { not: null } } }),
};

describe('the alert store', () => {
  it('claims due alerts with their tickets, oldest first, and leaves them to nobody else while leased', async () => {
    const { ticket, alert } = await overdueTicket();
    await core.db.scheduledAlert.create({ data: { key: 'later', ticketId: ticket.id, kind: 'ack_escalate2', dueAt: new Date(NOW.getTime() + 30 * MIN) } });
    const earlier = await core.db.scheduledAlert.create({
      data: { key: 'earlier', ticketId: null, kind: 'report_daily', dueAt: new Date(NOW.getTime() - MIN) },
    });
    const due = await core.stores.alerts.claimDue('a', NOW, LEASE, 100);
    expect(due.map((d) => d.alert.id)).toEqual([earlier.id, alert.id]);
    expect(due[0].ticket).toBeNull();
    expect(due[1].alert).toMatchObject({ id: alert.id, key: alert.key, kind: 'ack_overdue', dueAt: NOW, leaseOwner: 'a', leaseUntil: LEASE, firedAt: null });
    expect(due[1].ticket).toEqual({
      id: ticket.id,
      status: 'dispatched',
      acceptedAt: null,
      arrivedAt: null,
      resolvedAt: null,
      branchId: 'xincheng',
      unitId: 'xincheng-field',
      assigneeId: null,
      severity: 'normal',
      // what it is about: a conduct complaint's alerts go to the centre's supervision channel (R31)
      kind: 'complaint',
      category: 'no_heat',
      residentChatId: null, // a hotline ticket: no resident to tell when it is late
    });
    expect(await core.stores.alerts.claimDue('b', NOW, LEASE, 100)).toEqual([]);
    // after the lease another sweep takes it over
    expect((await core.stores.alerts.claimDue('b', LEASE, new Date(LEASE.getTime() + MIN), 100)).map((d) => d.alert.id)).toEqual([earlier.id, alert.id]);
  });

  it('fires a batch whose escalation and message are already stored without failing and without doubling anything', async () => {
    const { ticket, alert } = await overdueTicket();
    const due = await core.stores.alerts.claimDue('a', NOW, LEASE, 100);
    const plan = planDeadlineAlerts(core.org, due, NOW);
    expect(plan.alerts.map((a) => a.key)).toEqual([`ticket:${ticket.id}:ack_escalate2:0`]);
    expect(plan.messages.map((m) => m.key)).toEqual([`alert:${alert.key}`]);
    // stored already: by a sweep whose lease ran out after it wrote them, or by hand
    await core.db.scheduledAlert.create({ data: { ...plan.alerts[0], dueAt: new Date(NOW.getTime() + 99 * MIN) } });
    await core.db.outboxMessage.create({ data: { ...plan.messages[0], payload: '{"first":true}' } });

    expect(await core.stores.alerts.fire('a', NOW, plan)).toBe(true);
    expect(await core.db.scheduledAlert.findMany({ where: { kind: 'ack_escalate2' } })).toEqual([
      expect.objectContaining({ key: plan.alerts[0].key, dueAt: new Date(NOW.getTime() + 99 * MIN), firedAt: null }),
    ]);
    expect(await core.db.outboxMessage.findMany()).toEqual([expect.objectContaining({ key: plan.messages[0].key, payload: '{"first":true}' })]);
    expect(await count.events(ticket.id)).toBe(1);
    expect((await core.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).overdueAt).toEqual(NOW);
    expect((await core.db.scheduledAlert.findUniqueOrThrow({ where: { id: alert.id } })).firedAt).toEqual(NOW);
  });

  it('stores nothing of a plan once one of its alerts was fired by someone else', async () => {
    const a = await overdueTicket();
    const b = await overdueTicket();
    const due = await core.stores.alerts.claimDue('a', NOW, LEASE, 100);
    expect(due).toHaveLength(2);
    const plan = planDeadlineAlerts(core.org, due, NOW);
    // the lease ran out and another sweep fired the second one
    await core.db.scheduledAlert.update({ where: { id: b.alert.id }, data: { leaseOwner: 'b', firedAt: NOW } });

    expect(await core.stores.alerts.fire('a', NOW, plan)).toBe(false);
    expect(await count.messages()).toBe(0);
    expect(await count.events()).toBe(0);
    expect(await core.db.ticket.count({ where: { overdueAt: { not: null } } })).toBe(0);
    expect(await core.db.scheduledAlert.count({ where: { kind: 'ack_escalate2' } })).toBe(0);
    expect((await core.db.scheduledAlert.findUniqueOrThrow({ where: { id: a.alert.id } })).firedAt).toBeNull();
  });

  it('does not fire an alert it does not hold', async () => {
    await overdueTicket();
    const due = await core.stores.alerts.claimDue('a', NOW, LEASE, 100);
    expect(await core.stores.alerts.fire('someone-else', NOW, planDeadlineAlerts(core.org, due, NOW))).toBe(false);
    expect(await count.fired()).toBe(0);
    expect(await count.messages()).toBe(0);
  });

  it('keeps a ticket’s first overdue time', async () => {
    const { ticket } = await overdueTicket();
    const first = new Date(NOW.getTime() - 60 * MIN);
    await core.db.ticket.update({ where: { id: ticket.id }, data: { overdueAt: first } });
    const due = await core.stores.alerts.claimDue('a', NOW, LEASE, 100);
    expect(await core.stores.alerts.fire('a', NOW, planDeadlineAlerts(core.org, due, NOW))).toBe(true);
    expect((await core.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } })).overdueAt).toEqual(first);
  });

  it('fires each alert exactly once when two sweeps of two instances run at once', async () => {
    const tickets = [];
    for (let i = 0; i < 30; i++) tickets.push(await overdueTicket());
    // PostgreSQL: a second instance on its own pool. SQLite: a second connection in this one
    // process would block the event loop on the file lock the first holds across an await, so
    // the second sweep shares the connection (as two sweeps of one instance would)
    const other = usingPostgres ? await makeTestCore({ databaseUrl: core.databaseUrl, start: NOW.toISOString() }) : core;
    try {
      const sweep = async (c: TestCore, owner: string) => {
        let fired = 0;
        for (;;) {
          const r = await fireDueAlerts(c, owner, { batch: 7 });
          fired += r.fired;
          if (!r.fired && !r.skipped) return fired;
        }
      };
      const [a, b] = await Promise.all([sweep(core, 'instance-a'), sweep(other, 'instance-b')]);
      expect(a + b).toBe(30);
      expect(await count.fired()).toBe(30);
      // one overdue event and one next level per ticket; each ticket in exactly one message
      expect(await count.events()).toBe(30);
      expect(await core.db.scheduledAlert.count({ where: { kind: 'ack_escalate2' } })).toBe(30);
      const mentioned = (await core.db.outboxMessage.findMany()).flatMap((m) => {
        const p = JSON.parse(m.payload);
        return (p.tickets ?? [p]).map((x: { ticketId: number }) => x.ticketId);
      });
      expect(mentioned.sort((x, y) => x - y)).toEqual(tickets.map((t) => t.ticket.id));
    } finally {
      if (other !== core) await other.db.$disconnect();
    }
  });

  it('applies a callback alert only while the callback is pending', async () => {
    const { ticket } = await overdueTicket();
    const cb = await core.db.callback.create({ data: { ticketId: ticket.id, channel: 'telegram', status: 'pending', createdAt: NOW } });
    const alert = await core.db.scheduledAlert.create({
      data: { key: `callback:${cb.id}:bot_timeout`, ticketId: ticket.id, kind: 'callback_bot_timeout', dueAt: NOW },
    });
    await core.db.scheduledAlert.deleteMany({ where: { kind: 'ack_overdue' } });
    const plan = (): FirePlan => ({
      ...emptyPlan([alert.id]),
      callback: { id: cb.id, toPhone: true },
      messages: [outboxRow({ key: `cbt:${cb.id}`, platform: 'slack', target: 'C0CALLBK01', kind: 'callback_task', payload: {} }, NOW)],
    });
    // answered between the sweep's read and its write: fired, with no effect
    await core.stores.alerts.claimDue('a', NOW, LEASE, 100);
    await core.db.callback.update({ where: { id: cb.id }, data: { status: 'answered', answeredAt: NOW } });
    expect(await core.stores.alerts.fire('a', NOW, plan())).toBe(true);
    expect(await count.fired()).toBe(1);
    expect(await count.messages()).toBe(0);
    expect((await core.db.callback.findUniqueOrThrow({ where: { id: cb.id } })).channel).toBe('telegram');

    // still pending: a phone call for the centre
    await core.db.scheduledAlert.update({ where: { id: alert.id }, data: { firedAt: null, leaseOwner: null, leaseUntil: null } });
    await core.db.callback.update({ where: { id: cb.id }, data: { status: 'pending', answeredAt: null } });
    await core.stores.alerts.claimDue('a', NOW, LEASE, 100);
    expect(await core.stores.alerts.fire('a', NOW, plan())).toBe(true);
    expect((await core.db.callback.findUniqueOrThrow({ where: { id: cb.id } })).channel).toBe('phone');
    expect(await core.db.outboxMessage.findUnique({ where: { key: `cbt:${cb.id}` } })).toMatchObject({ kind: 'callback_task', state: 'pending', attempts: 0 });
  });

  it('stores one waiting occurrence of a report kind, however many instances schedule it', async () => {
    const next = { key: 'report_daily:2026-11-29', ticketId: null, kind: 'report_daily', dueAt: new Date('2026-11-29T00:00:00Z'), data: null };
    await core.stores.alerts.scheduleReport(next);
    await core.stores.alerts.scheduleReport(next);
    await core.stores.alerts.scheduleReport({ ...next, key: 'report_daily:2026-11-30', dueAt: new Date('2026-11-30T00:00:00Z') });
    expect((await core.db.scheduledAlert.findMany({ where: { kind: 'report_daily' } })).map((a) => a.key)).toEqual(['report_daily:2026-11-29']);
    expect(await core.stores.alerts.nextDue()).toEqual(next.dueAt);
  });

  it('knows when the next unfired alert falls due', async () => {
    expect(await core.stores.alerts.nextDue()).toBeNull();
    const { alert } = await overdueTicket();
    await core.db.scheduledAlert.create({ data: { key: 'later', ticketId: null, kind: 'ack_warn', dueAt: new Date(NOW.getTime() + MIN) } });
    expect(await core.stores.alerts.nextDue()).toEqual(NOW);
    await core.db.scheduledAlert.update({ where: { id: alert.id }, data: { firedAt: NOW } });
    expect(await core.stores.alerts.nextDue()).toEqual(new Date(NOW.getTime() + MIN));
  });

  it('reads a day’s report numbers per branch and the forms not back at HQ', async () => {
    const { ticket } = await overdueTicket();
    await core.db.ticket.update({ where: { id: ticket.id }, data: { overdueAt: NOW } });
    await core.db.ticket.create({
      data: {
        number: 'T20261128-9999',
        kind: 'suggestion',
        category: 'other',
        source: 'hotline',
        status: 'resolved',
        description: '建议',
        firstResponder: 'staff:agent01',
        createdAt: NOW,
        resolvedAt: NOW,
      },
    });
    await core.db.callback.create({ data: { ticketId: ticket.id, channel: 'phone', status: 'answered', result: 'fairly', createdAt: NOW, answeredAt: NOW } });
    await core.db.serviceForm.create({
      data: { ticketId: ticket.id, workDone: '换阀门', serviceDate: new Date(NOW.getTime() - 20 * 86_400_000), createdBy: 'staff:x', createdAt: NOW },
    });
    const day = { from: new Date('2026-11-27T16:00:00Z'), to: new Date('2026-11-28T16:00:00Z') };
    const { branches, callbacks, suggestions } = await core.stores.alerts.dailyCounts(day.from, day.to);
    expect(branches.sort((x, y) => String(x.branchId).localeCompare(String(y.branchId)))).toEqual([
      { branchId: null, newTickets: 1, finished: 1, overdueOpen: 0 },
      { branchId: 'xincheng', newTickets: 1, finished: 0, overdueOpen: 1 },
    ]);
    // the suggestion HQ holds, with its community, so the report counts it for the branch it concerns
    expect(suggestions).toEqual([{ branchId: null, communityId: null, n: 1 }]);
    expect(callbacks).toEqual([{ branchId: 'xincheng', result: 'fairly' }]);
    expect(await core.stores.alerts.formsNotBack(new Date(NOW.getTime() - 15 * 86_400_000), 10)).toEqual([
      { ticketNumber: ticket.number, branchId: 'xincheng', serviceDate: new Date(NOW.getTime() - 20 * 86_400_000) },
    ]);
  });
});

describe('the housekeeping store', () => {
  it('answers a ping and names its database', async () => {
    await expect(core.stores.housekeeping.ping()).resolves.toBeUndefined();
    expect(core.stores.housekeeping.database).toBe(core.provider);
  });

  it('deletes old receipts and delivered messages a chunk at a time', async () => {
    const old = new Date(NOW.getTime() - 40 * 86_400_000);
    await core.db.inboundReceipt.createMany({ data: [1, 2, 3].map((i) => ({ key: `r:${i}`, receivedAt: old })).concat([{ key: 'r:new', receivedAt: NOW }]) });
    expect(await core.stores.housekeeping.deleteReceiptsBefore(NOW, 2)).toBe(2);
    expect(await core.stores.housekeeping.deleteReceiptsBefore(NOW, 2)).toBe(1);
    expect(await core.stores.housekeeping.deleteReceiptsBefore(NOW, 2)).toBe(0);
    expect(await core.db.inboundReceipt.count()).toBe(1);
    const msg = (key: string, state: string, sentAt: Date | null) => ({
      key,
      platform: 'slack',
      target: 'C1',
      kind: 'report',
      payload: '{}',
      state,
      nextAt: old,
      createdAt: old,
      sentAt,
    });
    await core.db.outboxMessage.createMany({ data: [msg('sent', 'sent', old), msg('dead', 'dead', null), msg('recent', 'sent', NOW)] });
    expect(await core.stores.housekeeping.deleteSentMessagesBefore(NOW, 10)).toBe(1);
    expect((await core.db.outboxMessage.findMany({ orderBy: { key: 'asc' } })).map((m) => m.key)).toEqual(['dead', 'recent']);
  });
});
