/**
 * Deadlines as rows on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): the migration that gives existing tickets their rows, the steps
 * that meet and restart them, and the sweep that marks them missed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { planDeadlineAlerts } from '../../../src/core/deadlines/alert-effects.js';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { reclassifyTicket } from '../../../src/core/tickets/reclassify-ticket.js';
import { recordCallback } from '../../../src/core/tickets/record-callback.js';
import { transitionTicket, type StepInput } from '../../../src/core/tickets/transition-ticket.js';
import { parseDatabaseUrl } from '../../../src/db/client.js';
import { listMigrations, migrate } from '../../../src/db/migrate.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

let core: TestCore;
beforeEach(async () => {
  core = await makeTestCore({ start: '2026-11-28T06:00:00Z' });
});
afterEach(() => core?.close());

const byTicket = (ticketId: number) => core.db.deadline.findMany({ where: { ticketId }, orderBy: [{ generation: 'asc' }, { name: 'asc' }] });
const later = (ms: number) => core.clock.set(new Date(core.clock.now().getTime() + ms).toISOString());
/** A 新城 no-heat complaint (secondary): accept within 15 min, on site within 1 h, resolved within 24 h, called back within 24 h. */
const file = () => createTicket(core, hotlineComplaint({ customerAccount: undefined, communityId: 'c001' }));
const step = (number: string, action: StepInput['action'], extra: Partial<StepInput> = {}) =>
  transitionTicket(core, { number, action, actor: 'staff:xincheng-field1', ...extra });
const ticketOf = (id: number) => core.db.ticket.findUniqueOrThrow({ where: { id } });

describe('the deadlines migration', () => {
  it('the migration gives existing tickets their deadlines: met from the step times, missed from their own overdue event (R7, R29)', async () => {
    const deadlinesMigration = listMigrations(core.provider).find((m) => m.name.endsWith('_deadlines'));
    expect(deadlinesMigration).toBeDefined();
    // the database as it was before the migration: no Deadline table
    await core.db.$executeRawUnsafe('DROP TABLE "Deadline"');
    await core.db.$executeRawUnsafe(`DELETE FROM "_app_migrations" WHERE "name" = '${deadlinesMigration!.name}'`);

    const created = new Date('2026-11-20T01:00:00Z');
    const base = {
      kind: 'complaint',
      category: 'no_heat',
      source: 'hotline',
      description: '暖气不热',
      firstResponder: 'staff:agent01',
      branchId: 'xincheng',
      unitId: 'xincheng-field',
      createdAt: created,
      dispatchedAt: created,
      ackDueAt: new Date(created.getTime() + 15 * MIN),
      arriveDueAt: new Date(created.getTime() + HOUR),
      resolveDueAt: new Date(created.getTime() + 24 * HOUR),
    };
    // accepted in time, on site late (its overdue fired), resolved in time
    const late = await core.db.ticket.create({
      data: {
        ...base,
        number: 'T20261120-0001',
        status: 'resolved',
        acceptedAt: new Date(created.getTime() + 10 * MIN),
        arrivedAt: new Date(created.getTime() + 90 * MIN),
        resolvedAt: new Date(created.getTime() + 3 * HOUR),
        overdueAt: new Date(created.getTime() + HOUR),
      },
    });
    await core.db.ticketEvent.create({
      data: { ticketId: late.id, at: new Date(created.getTime() + HOUR), type: 'overdue', actor: 'system', note: 'arrive', data: '{"deadline":"arrive"}' },
    });
    // resolved without an on-site step: the resolve met every deadline
    const byPhone = await core.db.ticket.create({
      data: { ...base, number: 'T20261120-0002', status: 'resolved', resolvedAt: new Date(created.getTime() + 5 * MIN) },
    });
    // cancelled before anyone accepted it: its deadlines ended with it; a billing case has no arrive limit
    const cancelledAt = new Date(created.getTime() + 5 * MIN);
    const cancelled = await core.db.ticket.create({
      data: { ...base, number: 'T20261120-0003', category: 'billing', arriveDueAt: null, status: 'cancelled', cancelledAt },
    });
    // a question with no limits at all
    const question = await core.db.ticket.create({
      data: { ...base, number: 'T20261120-0004', kind: 'consultation', ackDueAt: null, arriveDueAt: null, resolveDueAt: null, status: 'dispatched' },
    });

    expect(await migrate(parseDatabaseUrl(core.databaseUrl))).toEqual([deadlinesMigration!.name]);

    const row = (ticketId: number, name: string, over: object) =>
      expect.objectContaining({ ticketId, name, generation: 0, startedAt: created, supersededAt: null, missedAt: null, ...over });
    expect(await byTicket(late.id)).toEqual([
      row(late.id, 'ack', { dueAt: base.ackDueAt, metAt: late.acceptedAt }),
      row(late.id, 'arrive', { dueAt: base.arriveDueAt, metAt: late.arrivedAt, missedAt: new Date(created.getTime() + HOUR) }),
      row(late.id, 'resolve', { dueAt: base.resolveDueAt, metAt: late.resolvedAt }),
    ]);
    expect(await byTicket(byPhone.id)).toEqual([
      row(byPhone.id, 'ack', { metAt: byPhone.resolvedAt }),
      row(byPhone.id, 'arrive', { metAt: byPhone.resolvedAt }),
      row(byPhone.id, 'resolve', { metAt: byPhone.resolvedAt }),
    ]);
    expect(await byTicket(cancelled.id)).toEqual([
      row(cancelled.id, 'ack', { metAt: null, supersededAt: cancelledAt }),
      row(cancelled.id, 'resolve', { metAt: null, supersededAt: cancelledAt }),
    ]);
    expect(await byTicket(question.id)).toEqual([]);
  });
});

describe('deadline rows written by intake and the steps', () => {
  it('intake stores the time-limit table’s deadlines as generation 0, with the ticket’s due columns from the same times (R7)', async () => {
    const start = core.clock.now();
    const t = await file();
    expect(await byTicket(t.id)).toEqual([
      expect.objectContaining({ name: 'ack', generation: 0, startedAt: start, dueAt: t.ackDueAt, metAt: null, missedAt: null, supersededAt: null }),
      expect.objectContaining({ name: 'arrive', generation: 0, startedAt: start, dueAt: t.arriveDueAt, metAt: null }),
      expect.objectContaining({ name: 'resolve', generation: 0, startedAt: start, dueAt: t.resolveDueAt, metAt: null }),
    ]);
    expect(t.ackDueAt).toEqual(new Date(start.getTime() + 15 * MIN));
  });

  it('a step that meets a deadline stores when; the resolve meets every one still open and opens the callback’s (R7, R8h)', async () => {
    const t = await file();
    later(10 * MIN);
    const accepted = core.clock.now();
    await step(t.number, 'accept');
    expect((await byTicket(t.id)).map((d) => [d.name, d.metAt])).toEqual([
      ['ack', accepted],
      ['arrive', null],
      ['resolve', null],
    ]);
    later(20 * MIN);
    const resolved = core.clock.now();
    await step(t.number, 'resolve', { note: '电话指导排气，已恢复' });
    expect(await byTicket(t.id)).toEqual([
      expect.objectContaining({ name: 'ack', metAt: accepted }),
      expect.objectContaining({ name: 'arrive', metAt: resolved }),
      expect.objectContaining({ name: 'callback', generation: 0, startedAt: resolved, dueAt: new Date(resolved.getTime() + 24 * HOUR), metAt: null }),
      expect.objectContaining({ name: 'resolve', metAt: resolved }),
    ]);
    const cb = await core.db.callback.findFirstOrThrow({ where: { ticketId: t.id } });
    later(HOUR);
    const answered = core.clock.now();
    await recordCallback(core, { callbackId: cb.id, actor: 'staff:agent01', reached: true, satisfaction: 'satisfied' });
    expect((await byTicket(t.id)).find((d) => d.name === 'callback')).toMatchObject({ metAt: answered });
  });

  it('a reopen starts a new generation and keeps the old one’s outcome (R29, R30)', async () => {
    const t = await file();
    later(10 * MIN);
    await step(t.number, 'accept');
    later(20 * MIN);
    await step(t.number, 'arrive');
    later(HOUR);
    const resolved = core.clock.now();
    await step(t.number, 'resolve', { note: '已修复' });
    const cb = await core.db.callback.findFirstOrThrow({ where: { ticketId: t.id } });
    later(2 * HOUR);
    const reopened = core.clock.now();
    await recordCallback(core, { callbackId: cb.id, actor: 'staff:agent01', reached: true, satisfaction: 'dissatisfied' });

    const rows = await byTicket(t.id);
    const old = rows.filter((d) => d.generation === 0);
    expect(old.map((d) => [d.name, d.metAt !== null, d.supersededAt])).toEqual([
      ['ack', true, reopened],
      ['arrive', true, reopened],
      ['callback', true, reopened],
      ['resolve', true, reopened],
    ]);
    expect(old.find((d) => d.name === 'resolve')?.metAt).toEqual(resolved);
    const after = await ticketOf(t.id);
    expect(rows.filter((d) => d.generation === 1)).toEqual([
      expect.objectContaining({ name: 'ack', startedAt: reopened, dueAt: after.ackDueAt, metAt: null, supersededAt: null }),
      expect.objectContaining({ name: 'arrive', startedAt: reopened, dueAt: after.arriveDueAt, metAt: null, supersededAt: null }),
      expect.objectContaining({ name: 'resolve', startedAt: reopened, dueAt: after.resolveDueAt, metAt: null, supersededAt: null }),
    ]);
    expect(after.resolveDueAt).toEqual(new Date(reopened.getTime() + 24 * HOUR));
  });

  it('a transfer within the branch keeps the generation; one to another branch starts the next (R27, R29)', async () => {
    const t = await file();
    const before = await byTicket(t.id);
    later(5 * MIN);
    await step(t.number, 'transfer', { actor: 'staff:xincheng-coord', unitId: 'xincheng-office', note: '属客服处' });
    expect(await byTicket(t.id)).toEqual(before);
    expect((await ticketOf(t.id)).resolveDueAt).toEqual(t.resolveDueAt);

    later(5 * MIN);
    const moved = core.clock.now();
    await step(t.number, 'transfer', { actor: 'staff:agent01', branchId: 'huimin', note: '地址属回民' });
    const rows = await byTicket(t.id);
    expect(rows.filter((d) => d.generation === 0).every((d) => d.supersededAt?.getTime() === moved.getTime() && d.metAt === null)).toBe(true);
    expect(rows.filter((d) => d.generation === 1).map((d) => [d.name, d.startedAt, d.supersededAt])).toEqual([
      ['ack', moved, null],
      ['arrive', moved, null],
      ['resolve', moved, null],
    ]);
  });

  it('a cancel withdraws the running deadlines, and their alerts then fire without a word', async () => {
    const t = await file();
    later(5 * MIN);
    const cancelled = core.clock.now();
    await step(t.number, 'cancel', { actor: 'staff:agent01', note: '重复来电' });
    expect((await byTicket(t.id)).map((d) => [d.name, d.supersededAt])).toEqual([
      ['ack', cancelled],
      ['arrive', cancelled],
      ['resolve', cancelled],
    ]);
  });

  it('a reclassification gives the running deadlines their new due times and ends a limit the new class lacks (R7)', async () => {
    const t = await file();
    later(5 * MIN);
    await reclassifyTicket(core, { number: t.number, actor: 'staff:xincheng-coord', scope: 'primary', reason: '一次网故障' });
    const after = await ticketOf(t.id);
    const rows = await byTicket(t.id);
    expect(rows.map((d) => [d.name, d.generation, d.dueAt, d.supersededAt !== null])).toEqual([
      ['ack', 0, after.ackDueAt, false],
      ['arrive', 0, t.arriveDueAt, true],
      ['resolve', 0, after.resolveDueAt, false],
    ]);
    expect(after.arriveDueAt).toBeNull();
  });
});

describe('deadline rows written by the sweep', () => {
  it('the sweep marks a missed deadline in the transaction that fires its alert (R7)', async () => {
    const t = await file();
    core.clock.set(t.ackDueAt!.toISOString());
    await fireDueAlerts(core, 'sweep');
    const ack = (await byTicket(t.id)).find((d) => d.name === 'ack');
    expect(ack).toMatchObject({ missedAt: t.ackDueAt, metAt: null });
    expect((await ticketOf(t.id)).overdueAt).toEqual(t.ackDueAt);

    // met late: the row keeps both times, and the arrive deadline's alerts still run
    later(5 * MIN);
    const accepted = core.clock.now();
    await step(t.number, 'accept');
    expect((await byTicket(t.id)).find((d) => d.name === 'ack')).toMatchObject({ missedAt: t.ackDueAt, metAt: accepted });
  });

  it('stores no missed time when the fire loses its alerts to another sweep', async () => {
    const t = await file();
    core.clock.set(t.ackDueAt!.toISOString());
    const now = core.clock.now();
    const due = await core.stores.alerts.claimDue('a', now, new Date(now.getTime() + MIN), 100);
    const plan = planDeadlineAlerts(core.org, due, now);
    expect(plan.missed).toHaveLength(1);
    await core.db.scheduledAlert.update({ where: { id: due[0].alert.id }, data: { leaseOwner: 'b', firedAt: now } });
    expect(await core.stores.alerts.fire('a', now, plan)).toBe(false);
    expect((await byTicket(t.id)).find((d) => d.name === 'ack')?.missedAt).toBeNull();
  });

  it('marks an unanswered callback’s deadline missed when its time-out fires (R8h)', async () => {
    const t = await file();
    later(10 * MIN);
    await step(t.number, 'accept');
    later(10 * MIN);
    await step(t.number, 'resolve', { note: '已修复' });
    const callback = (await byTicket(t.id)).find((d) => d.name === 'callback')!;
    core.clock.set(callback.dueAt.toISOString());
    await fireDueAlerts(core, 'sweep');
    expect((await byTicket(t.id)).find((d) => d.name === 'callback')).toMatchObject({ missedAt: callback.dueAt, metAt: null });
  });
});
