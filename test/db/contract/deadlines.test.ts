/**
 * Deadlines as rows on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): the migration that gives existing tickets their rows, the steps
 * that meet and restart them, and the sweep that marks them missed.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDatabaseUrl } from '../../../src/db/client.js';
import { listMigrations, migrate } from '../../../src/db/migrate.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

const MIN = 60_000;
const HOUR = 60 * MIN;

let core: TestCore;
beforeEach(async () => {
  core = await makeTestCore({ start: '2026-11-28T06:00:00Z' });
});
afterEach(() => core?.close());

const byTicket = (ticketId: number) => core.db.deadline.findMany({ where: { ticketId }, orderBy: [{ generation: 'asc' }, { name: 'asc' }] });

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
