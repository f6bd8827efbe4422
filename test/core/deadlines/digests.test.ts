import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planDeadlineAlerts } from '../../../src/core/deadlines/alert-effects.js';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { seedDemoCustomers } from '../../../src/db/seed-demo.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

// each test starts from an empty database: alerts of other tests' tickets would join the digests
let core: TestCore;
beforeEach(async () => {
  core = await makeTestCore({ start: '2026-11-28T06:00:00Z' });
  await seedDemoCustomers(core);
});
afterEach(() => core?.close());

/** n hotline complaints filed now: 幸福家园 (新城) unless another community is given. */
async function fileTickets(n: number, over: Parameters<typeof hotlineComplaint>[0] = {}) {
  const made = [];
  for (let i = 0; i < n; i++) made.push(await createTicket(core, hotlineComplaint(over)));
  return made;
}

const messages = async (kind: string) =>
  (await core.db.outboxMessage.findMany({ where: { kind }, orderBy: { id: 'asc' } })).map((m) => ({
    key: m.key,
    target: m.target,
    payload: JSON.parse(m.payload),
  }));

describe('deadline alerts of one sweep as digests (R2 督促, R7)', () => {
  it('urges the coordinator once for six tickets overdue for acceptance, and keeps three of another branch one by one', async () => {
    const xincheng = await fileTickets(6);
    const huimin = await fileTickets(3, { customerAccount: undefined, communityId: 'c010' });
    expect(huimin.map((t) => t.branchId)).toEqual(['huimin', 'huimin', 'huimin']);
    core.clock.set('2026-11-28T06:15:00Z'); // every ticket's 15-minute accept limit passes at once
    expect((await fireDueAlerts(core, 'test')).fired).toBe(9);

    const digests = await messages('staff_alert_digest');
    expect(digests).toHaveLength(1);
    expect(digests[0].target).toBe('C1XINCHED');
    expect(digests[0].payload).toEqual({
      level: 1,
      stage: 'overdue',
      deadline: 'ack',
      tickets: xincheng.map((t) => ({ ticketId: t.id, dueAt: t.ackDueAt!.toISOString() })),
      mention: ['xincheng-coord'],
    });
    // below four to one channel they go as before, one message each
    const single = await messages('staff_alert');
    expect(single.map((m) => [m.target, m.payload.ticketId, m.payload.stage, m.payload.mention])).toEqual(
      huimin.map((t) => ['C1HUIMIND', t.id, 'overdue', ['huimin-coord']]),
    );

    // each ticket still has its own overdue mark, log entry and next level
    const ids = xincheng.map((t) => t.id);
    expect(await core.db.ticket.count({ where: { id: { in: ids }, overdueAt: { not: null } } })).toBe(6);
    expect(await core.db.ticketEvent.count({ where: { ticketId: { in: ids }, type: 'overdue', note: 'ack' } })).toBe(6);
    const next = await core.db.scheduledAlert.findMany({ where: { ticketId: { in: ids }, kind: 'ack_escalate2', firedAt: null } });
    expect(next.map((a) => a.dueAt.toISOString())).toEqual(Array(6).fill('2026-11-28T06:45:00.000Z'));

    // fired once: a second sweep at the same minute writes nothing
    expect((await fireDueAlerts(core, 'test')).fired).toBe(0);
    expect(await core.db.outboxMessage.count({ where: { kind: { in: ['staff_alert', 'staff_alert_digest'] } } })).toBe(4);
  });

  it('splits 45 tickets overdue in one channel into digests of 20, 20 and 5, each ticket once', async () => {
    const made = await fileTickets(45);
    core.clock.set('2026-11-28T06:15:00Z');
    await fireDueAlerts(core, 'test');
    const digests = await messages('staff_alert_digest');
    expect(digests.map((d) => d.payload.tickets.length)).toEqual([20, 20, 5]);
    expect(new Set(digests.map((d) => d.key)).size).toBe(3);
    expect(digests.flatMap((d) => d.payload.tickets.map((x: { ticketId: number }) => x.ticketId)).sort((a, b) => a - b)).toEqual(made.map((t) => t.id));
    expect(await messages('staff_alert')).toEqual([]);
  });

  it('writes a digest keyed by its first alert through the one path both databases take (claim, plan, fire)', async () => {
    const made = await fileTickets(4);
    core.clock.set('2026-11-28T06:15:00Z');
    const now = core.clock.now();
    const due = await core.stores.alerts.claimDue('test', now, new Date(now.getTime() + 60_000), 1000);
    expect(due.map((d) => d.alert.kind)).toEqual(Array(4).fill('ack_overdue'));
    expect(await core.stores.alerts.fire('test', now, planDeadlineAlerts(core.org, due, now))).toBe(true);
    const digests = await messages('staff_alert_digest');
    expect(digests).toEqual([
      expect.objectContaining({
        key: `alerts:ack:overdue:C1XINCHED:${due[0].alert.id}`,
        payload: expect.objectContaining({ tickets: made.map((t) => ({ ticketId: t.id, dueAt: t.ackDueAt!.toISOString() })) }),
      }),
    ]);
    expect(await core.db.ticketEvent.count({ where: { type: 'overdue' } })).toBe(4);
  });
});
