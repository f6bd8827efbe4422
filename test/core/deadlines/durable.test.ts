import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { ensureReportsScheduled, nextOccurrence } from '../../../src/core/reports/schedule-reports.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { seedDemoCustomers } from '../../../src/db/seed-demo.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { makeTestCore, usingPostgres, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore();
  await seedDemoCustomers(core);
});
afterAll(() => core?.close());

describe('alerts survive restarts and several instances', () => {
  it('fires every alert missed during downtime exactly once after a restart', async () => {
    core.clock.set('2026-11-28T06:00:00Z');
    const t = await createTicket(core, hotlineComplaint());
    // the service is down from 06:10 to 09:00; a new instance opens the same database
    const restarted = await makeTestCore({ databaseUrl: core.databaseUrl, start: '2026-11-28T09:00:00Z' });
    try {
      // overdue for ack (06:15), warn (06:45) + overdue for arrive (07:00); the 15-minute accept
      // limit gets no reminder (it would fall at filing time)
      expect((await fireDueAlerts(restarted, 'after-restart')).fired).toBe(3);
      // the overdue alerts stored their second level 30 min after each deadline: already due
      expect((await fireDueAlerts(restarted, 'after-restart')).fired).toBe(2);
      expect((await fireDueAlerts(restarted, 'after-restart')).fired).toBe(0);
      const kinds = (await restarted.db.scheduledAlert.findMany({ where: { ticketId: t.id, firedAt: { not: null } } })).map((a) => a.kind).sort();
      expect(kinds).toEqual(['ack_escalate2', 'ack_overdue', 'arrive_escalate2', 'arrive_overdue', 'arrive_warn']);
      const msgs = await restarted.db.outboxMessage.findMany({ where: { kind: 'staff_alert' } });
      expect(msgs.filter((m) => JSON.parse(m.payload).ticketId === t.id)).toHaveLength(5);
    } finally {
      await restarted.db.$disconnect();
    }
  });

  it('lets a second instance take over alerts claimed by one that died, after the lease', async () => {
    core.clock.set('2026-11-28T06:00:00Z');
    const t = await createTicket(core, hotlineComplaint());
    const due = await core.db.scheduledAlert.findFirstOrThrow({ where: { ticketId: t.id, kind: 'arrive_warn' } });
    // instance "dead" claimed the 06:45 reminder and was killed before firing it
    await core.db.scheduledAlert.update({ where: { id: due.id }, data: { leaseOwner: 'dead', leaseUntil: new Date('2026-11-28T06:46:00Z') } });
    await transitionTicket(core, { number: t.number, action: 'accept', actor: 'staff:xincheng-field1' });
    core.clock.set('2026-11-28T06:45:30Z');
    expect((await fireDueAlerts(core, 'alive')).fired).toBe(0);
    core.clock.set('2026-11-28T06:46:00Z');
    expect((await fireDueAlerts(core, 'alive')).fired).toBe(1);
    expect((await core.db.scheduledAlert.findUnique({ where: { id: due.id } }))?.firedAt).not.toBeNull();
  });

  it.skipIf(!usingPostgres)('fires each alert once with two instances sweeping one PostgreSQL database at once', async () => {
    core.clock.set('2026-11-28T06:00:00Z');
    const made = [];
    for (let i = 0; i < 20; i++) made.push(await createTicket(core, hotlineComplaint()));
    const other = await makeTestCore({ databaseUrl: core.databaseUrl, start: '2026-11-28T08:00:00Z' });
    core.clock.set('2026-11-28T08:00:00Z');
    try {
      const [a, b] = await Promise.all([fireDueAlerts(core, 'instance-a'), fireDueAlerts(other, 'instance-b')]);
      const [a2, b2] = await Promise.all([fireDueAlerts(core, 'instance-a'), fireDueAlerts(other, 'instance-b')]);
      const ids = new Set(made.map((t) => t.id));
      // each ticket's alert, in a message of its own or a line of a digest (20 at once to one channel are digests)
      const alerts = (await core.db.outboxMessage.findMany({ where: { kind: { in: ['staff_alert', 'staff_alert_digest'] } } }))
        .flatMap((m) => {
          const p = JSON.parse(m.payload);
          return (p.tickets ?? [p]).map((x: { ticketId: number }) => ({ ticketId: x.ticketId, alert: `${x.ticketId}:${p.deadline}:${p.stage}` }));
        })
        .filter((x) => ids.has(x.ticketId));
      // 20 tickets x (ack overdue, arrive warn, arrive overdue, ack escalate2, arrive escalate2)
      expect(alerts).toHaveLength(100);
      expect(new Set(alerts.map((x) => x.alert)).size).toBe(100);
      expect(a.fired + b.fired + a2.fired + b2.fired).toBeGreaterThanOrEqual(100);
    } finally {
      await other.db.$disconnect();
    }
  });
});

describe('scheduled reports (R8i, R8l)', () => {
  it('stores the next daily summary at 08:00 local and the forms list on the 1st and 16th', () => {
    expect(nextOccurrence('report_daily', new Date('2026-11-28T06:00:00Z'))).toEqual({
      key: 'report_daily:2026-11-29',
      dueAt: new Date('2026-11-29T00:00:00Z'),
    });
    expect(nextOccurrence('report_forms', new Date('2026-11-28T06:00:00Z'))).toEqual({
      key: 'report_forms:2026-12-01',
      dueAt: new Date('2026-12-01T01:00:00Z'),
    });
  });

  it('sends the daily summary per branch and for the company once, and schedules the next day', async () => {
    const c = await makeTestCore({ start: '2026-11-28T02:00:00Z' });
    try {
      await seedDemoCustomers(c);
      await ensureReportsScheduled(c);
      await ensureReportsScheduled(c); // a second instance starting: still one row
      expect(await c.db.scheduledAlert.count({ where: { kind: 'report_daily' } })).toBe(1);
      const t = await createTicket(c, hotlineComplaint());
      await transitionTicket(c, { number: t.number, action: 'accept', actor: 'staff:xincheng-field1' });
      await transitionTicket(c, { number: t.number, action: 'resolve', actor: 'staff:xincheng-field1', note: '好了' });
      await createTicket(c, hotlineComplaint({ kind: 'suggestion', category: 'other', description: '建议延长供暖期' }));
      c.clock.set('2026-11-29T00:00:00Z');
      await fireDueAlerts(c, 'x');
      await fireDueAlerts(c, 'y');
      const reports = await c.db.outboxMessage.findMany({ where: { kind: 'report' } });
      const xincheng = reports.find((r) => r.key === 'report:report_daily:2026-11-29:xincheng')!;
      expect(xincheng.target).toBe('C1XINCHER');
      // the suggestion is held by HQ (R18, R19), not 新城: it is not one of 新城's new tickets, yet it counts as 新城's suggestion
      expect(JSON.parse(xincheng.payload).numbers).toMatchObject({ newTickets: 1, finished: 1, suggestions: 1 });
      expect(reports.find((r) => r.key === 'report:report_daily:2026-11-29:company')?.target).toBe('C0LEADER01');
      expect(reports.filter((r) => r.key.startsWith('report:report_daily:2026-11-29:'))).toHaveLength(6);
      const next = await c.db.scheduledAlert.findFirst({ where: { kind: 'report_daily', firedAt: null } });
      expect(next?.key).toBe('report_daily:2026-11-30');
    } finally {
      await c.close();
    }
  });
});

describe('the monthly KPI report (R25-R30)', () => {
  it('is due on the 1st at 08:30 local and names the month that ended', async () => {
    const { fireDueAlerts: fire } = await import('../../../src/core/deadlines/fire-due-alerts.js');
    expect(nextOccurrence('report_monthly', new Date('2026-11-28T06:00:00Z'))).toEqual({
      key: 'report_monthly:2026-12-01',
      dueAt: new Date('2026-12-01T00:30:00Z'),
    });
    const c = await makeTestCore({ start: '2026-12-31T12:00:00Z' });
    try {
      await ensureReportsScheduled(c);
      c.clock.set('2027-01-01T00:30:00Z');
      await fire(c, 'x');
      const monthly = await c.db.outboxMessage.findFirstOrThrow({ where: { key: 'report:report_monthly:2027-01-01:company' } });
      expect(monthly.target).toBe('C0LEADER01');
      expect(JSON.parse(monthly.payload)).toMatchObject({ report: 'monthly_kpi', month: '2026-12' });
    } finally {
      await c.close();
    }
  });
});
