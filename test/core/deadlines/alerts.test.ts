import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { recordCallback } from '../../../src/core/tickets/record-callback.js';
import { seedDemoCustomers } from '../../../src/db/seed-demo.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

const _MIN = 60_000;
let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore();
  await seedDemoCustomers(core);
});
afterAll(() => core?.close());

const alertsFor = async (ticketId: number) =>
  (await core.db.outboxMessage.findMany({ where: { kind: 'staff_alert' }, orderBy: { id: 'asc' } }))
    .map((m) => ({ target: m.target, ...JSON.parse(m.payload) }))
    .filter((p) => p.ticketId === ticketId);

async function at(iso: string) {
  core.clock.set(iso);
  return fireDueAlerts(core, 'test');
}

describe('deadline alerts (R7, R27, R2)', () => {
  it('warns before the 1-hour arrival, marks overdue and urges the coordinator, then alerts the branch head (each once)', async () => {
    core.clock.set('2026-11-28T06:00:00Z');
    const t = await createTicket(core, hotlineComplaint());
    await transitionTicket(core, { number: t.number, action: 'accept', actor: 'staff:xincheng-field1' });
    expect((await at('2026-11-28T06:44:00Z')).fired).toBe(0);
    await at('2026-11-28T06:45:00Z'); // 15 minutes before 07:00
    let alerts = await alertsFor(t.id);
    expect(alerts).toEqual([expect.objectContaining({ target: 'C1XINCHED', level: 0, stage: 'warn', deadline: 'arrive', mention: ['xincheng-field1'] })]);

    await at('2026-11-28T07:00:00Z');
    alerts = await alertsFor(t.id);
    expect(alerts[1]).toMatchObject({ level: 1, stage: 'overdue', deadline: 'arrive', mention: ['xincheng-coord'] });
    expect((await core.db.ticket.findUnique({ where: { id: t.id } }))?.overdueAt?.toISOString()).toBe('2026-11-28T07:00:00.000Z');

    await at('2026-11-28T07:29:00Z');
    expect(await alertsFor(t.id)).toHaveLength(2);
    await at('2026-11-28T07:30:00Z'); // secondLevelAfter: 30m
    alerts = await alertsFor(t.id);
    expect(alerts[2]).toMatchObject({ level: 2, stage: 'escalate2', mention: ['xincheng-head'] });
    // nothing fires twice
    await at('2026-11-28T08:30:00Z');
    expect((await alertsFor(t.id)).filter((a) => a.deadline === 'arrive')).toHaveLength(3);
    const events = await core.db.ticketEvent.findMany({ where: { ticketId: t.id, type: { in: ['overdue', 'escalated'] } } });
    expect(events.map((e) => e.type)).toEqual(['overdue', 'escalated']);
  });

  it('sends nothing for a deadline met in time', async () => {
    core.clock.set('2026-11-28T06:00:00Z');
    const t = await createTicket(core, hotlineComplaint());
    await transitionTicket(core, { number: t.number, action: 'accept', actor: 'staff:xincheng-field1' });
    core.clock.set('2026-11-28T06:30:00Z');
    await transitionTicket(core, { number: t.number, action: 'arrive', actor: 'staff:xincheng-field1' });
    await transitionTicket(core, { number: t.number, action: 'resolve', actor: 'staff:xincheng-field1', note: '已修好' });
    await at('2026-11-29T06:20:00Z'); // past every deadline, before the callback is due
    expect(await alertsFor(t.id)).toEqual([]);
  });

  it('alerts the HQ leader for a major event after the third-level delay (R8k)', async () => {
    core.clock.set('2026-11-28T06:00:00Z');
    const t = await createTicket(core, hotlineComplaint({ severity: 'major', scope: 'primary' }));
    // major: ack 5m, arrive 30m, resolve 12h
    await at('2026-11-28T06:05:00Z'); // ack overdue
    await at('2026-11-28T08:05:00Z'); // + 2h third level
    const levels = (await alertsFor(t.id)).filter((a) => a.deadline === 'ack').map((a) => [a.level, a.target]);
    // no reminder: the 5-minute limit is shorter than the 15-minute lead
    expect(levels).toEqual([
      [1, 'C1XINCHED'],
      [2, 'C1XINCHED'],
      [3, 'C0LEADER01'],
    ]);
  });
});

describe('callbacks (R8h)', () => {
  it('turns an unanswered bot question into a phone task for the centre after the configured time', async () => {
    core.clock.set('2026-11-28T06:00:00Z');
    const resident = await core.db.resident.create({ data: { telegramUserId: '777', chatId: '777', customerId: 1 } });
    const t = await createTicket(core, hotlineComplaint({ source: 'telegram', firstResponder: 'telegram', residentId: resident.id }));
    await transitionTicket(core, { number: t.number, action: 'accept', actor: 'staff:xincheng-field1' });
    await transitionTicket(core, { number: t.number, action: 'resolve', actor: 'staff:xincheng-field1', note: '已修好' });
    const cb = await core.db.callback.findFirstOrThrow({ where: { ticketId: t.id } });
    expect(cb.channel).toBe('telegram');
    // a heating repair: "暖气现在热了吗？" once the radiators had two hours to warm up, and the bot's
    // time-out counts from then (it counted from the resolve, with the question asked at once)
    expect(await core.db.outboxMessage.findUnique({ where: { key: `warm:${cb.id}` } })).toBeNull();
    await at('2026-11-28T08:00:00Z');
    expect(await core.db.outboxMessage.findUnique({ where: { key: `warm:${cb.id}` } })).toMatchObject({
      platform: 'telegram',
      target: '777',
      kind: 'warm_check',
    });
    await at('2026-11-29T07:59:00Z');
    expect(await core.db.outboxMessage.findUnique({ where: { key: `cbt:${cb.id}` } })).toBeNull();
    await at('2026-11-29T08:00:00Z');
    const task = await core.db.outboxMessage.findUnique({ where: { key: `cbt:${cb.id}` } });
    expect(task).toMatchObject({ platform: 'slack', target: 'C0CALLBK01', kind: 'callback_task' });
    expect((await core.db.callback.findUnique({ where: { id: cb.id } }))?.channel).toBe('phone');
  });

  it('reopens on a dissatisfied answer, with fresh deadlines counted from the reopening (R30)', async () => {
    core.clock.set('2026-11-28T06:00:00Z');
    const t = await createTicket(core, hotlineComplaint());
    await transitionTicket(core, { number: t.number, action: 'accept', actor: 'staff:xincheng-field1' });
    await transitionTicket(core, { number: t.number, action: 'resolve', actor: 'staff:xincheng-field1', note: '已修好' });
    core.clock.set('2026-11-28T10:00:00Z');
    const cb = await core.db.callback.findFirstOrThrow({ where: { ticketId: t.id } });
    const out = await recordCallback(core, { callbackId: cb.id, actor: 'staff:agent01', reached: true, satisfaction: 'dissatisfied' });
    expect(out.ticket.status).toBe('dispatched');
    expect(out.ticket.arriveDueAt?.toISOString()).toBe('2026-11-28T11:00:00.000Z');
    await at('2026-11-28T11:00:00Z');
    expect((await alertsFor(t.id)).map((a) => a.stage)).toContain('overdue');
  });
});

describe('office-hours limits', () => {
  it('count a billing complaint across a weekend (demo: 3 office days)', async () => {
    // Friday 2026-11-27 16:30 local = 08:30Z. Office 08:30-17:30, so 3 office days = 27 h:
    // Friday 1 h, Monday 9 h, Tuesday 9 h, then 8 h on Wednesday -> Wed 2 Dec 16:30 local.
    core.clock.set('2026-11-27T08:30:00Z');
    const t = await createTicket(core, hotlineComplaint({ category: 'billing', description: '多收热费' }));
    expect(t.resolveDueAt?.toISOString()).toBe('2026-12-02T08:30:00.000Z');
    // the callback limit stays on the wall clock
    expect(t.arriveDueAt).toBeNull();
  });

  it('skip a holiday and count a worked weekend day', async () => {
    // 2026-12-31 and 2027-01-01 are holidays in the demo calendar; ack is 1h of office time
    core.clock.set('2026-12-30T09:00:00Z'); // Wed 17:00 local, 30 minutes before closing
    const t = await createTicket(core, hotlineComplaint({ category: 'billing', description: '发票' }));
    expect(t.ackDueAt?.toISOString()).toBe('2027-01-04T01:00:00.000Z'); // Mon 09:00 local: 30 min Wed + 30 min Monday
  });

  it('let a branch override the company table (九: 赛罕 answers billing in 2 office days)', async () => {
    core.clock.set('2026-11-30T00:30:00Z'); // Monday 08:30 local
    const t = await createTicket(core, hotlineComplaint({ category: 'billing', description: '多收热费', customerAccount: undefined, communityId: 'c026' }));
    expect(t.branchId).toBe('saihan');
    // 2 office days from Monday 08:30 -> Tuesday 17:30 local
    expect(t.resolveDueAt?.toISOString()).toBe('2026-12-01T09:30:00.000Z');
    expect(t.ackDueAt?.toISOString()).toBe('2026-11-30T01:00:00.000Z'); // 30m
  });
});

describe('reclassifying a ticket', () => {
  it('recomputes its deadlines from when it was received when the scope changes (R27)', async () => {
    const { reclassifyTicket } = await import('../../../src/core/tickets/reclassify-ticket.js');
    core.clock.set('2026-11-28T06:00:00Z');
    const t = await createTicket(core, hotlineComplaint());
    expect(t.arriveDueAt?.toISOString()).toBe('2026-11-28T07:00:00.000Z');
    core.clock.set('2026-11-28T06:20:00Z');
    const u = await reclassifyTicket(core, { number: t.number, actor: 'staff:xincheng-coord', scope: 'primary', note: '一次网故障' });
    // primary network: no 1-hour arrival limit, repaired within 24 h of the report
    expect(u.arriveDueAt).toBeNull();
    expect(u.resolveDueAt?.toISOString()).toBe('2026-11-29T06:00:00.000Z');
    await at('2026-11-28T07:05:00Z');
    expect((await alertsFor(t.id)).filter((a) => a.deadline === 'arrive')).toEqual([]);
    const ev = await core.db.ticketEvent.findFirst({ where: { ticketId: t.id, type: 'reclassified' } });
    expect(JSON.parse(ev!.data!)).toEqual({ before: expect.objectContaining({ scope: 'secondary' }), after: expect.objectContaining({ scope: 'primary' }) });
  });

  it('alerts the urgent channel at once when a ticket becomes urgent', async () => {
    const { reclassifyTicket } = await import('../../../src/core/tickets/reclassify-ticket.js');
    core.clock.set('2026-11-28T06:00:00Z');
    const t = await createTicket(core, hotlineComplaint());
    await reclassifyTicket(core, { number: t.number, actor: 'staff:xincheng-coord', category: 'leak', severity: 'urgent', reason: '实为漏水' });
    expect(await core.db.outboxMessage.findUnique({ where: { key: `urgent:${t.id}:xincheng` } })).toMatchObject({ target: 'C1XINCHEU' });
  });
});
