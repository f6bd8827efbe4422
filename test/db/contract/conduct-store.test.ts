/**
 * The conduct store on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): a finding is stored with its ticket's steps in one transaction,
 * once per ticket, and read back by month, staff and branch; open conduct complaints are listed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nameConductStaff } from '../../../src/core/conduct/name-conduct-staff.js';
import { recordConductFinding } from '../../../src/core/conduct/record-conduct-finding.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { seedDemoCustomers } from '../../../src/db/seed-demo.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore({ start: '2026-12-07T02:00:00Z' });
  await seedDemoCustomers(core);
});
afterAll(() => core?.close());

const conductComplaint = () => createTicket(core, hotlineComplaint({ category: 'staff_conduct', description: '维修师傅态度恶劣，还骂人' }));

describe('the conduct store (R31-R33)', () => {
  it('stores the finding with the reply and the callback, setting the ticket conduct fields in the same transaction (R32)', async () => {
    const t = await conductComplaint();
    expect(await core.stores.conduct.open()).toEqual([expect.objectContaining({ number: t.number, conductStaffId: null })]);
    await nameConductStaff(core, { number: t.number, actor: 'staff:agent01', staffId: 'xincheng-field1' });
    const { finding, ticket } = await recordConductFinding(core, {
      number: t.number,
      actor: 'staff:agent01',
      finding: 'attitude',
      evidence: '录音核实：维修人员言语粗鲁',
    });
    expect(finding).toMatchObject({
      ticketId: t.id,
      staffId: 'xincheng-field1',
      branchId: 'xincheng',
      finding: 'attitude',
      consequence: 'allowance',
      month: '2026-12',
    });
    expect(ticket).toMatchObject({ status: 'callback', conductStaffId: 'xincheng-field1', conductConfirmed: true });
    expect(await core.stores.conduct.ofTicket(t.id)).toEqual(finding);
    expect(await core.stores.conduct.open()).toEqual([]);
    const rows = await core.stores.conduct.list({ month: '2026-12', staffId: 'xincheng-field1' });
    expect(rows).toEqual([{ ...finding, ticketNumber: t.number }]);
    expect(await core.stores.conduct.list({ branchId: 'huimin' })).toEqual([]);
  });

  it('refuses a second finding for the ticket with finding_exists and stores nothing of it (R31)', async () => {
    const t = await conductComplaint();
    const loaded = (await core.stores.tickets.forStep({ id: t.id }))!;
    const row = {
      ticketId: t.id,
      staffId: 'xincheng-field2',
      branchId: 'xincheng',
      finding: 'favours' as const,
      consequence: 'dismissal' as const,
      month: '2026-12',
      evidence: '收受好处',
      foundBy: 'staff:agent01',
      foundAt: core.clock.now(),
    };
    const plan = (v: number) => ({ ticketId: t.id, version: v, steps: [], at: core.clock.now() });
    await core.stores.conduct.record(row, plan(loaded.ticket.version));
    await expect(core.stores.conduct.record({ ...row, finding: 'not_confirmed', consequence: 'none' }, plan(loaded.ticket.version))).rejects.toMatchObject({
      code: 'finding_exists',
    });
    expect(await core.db.conductFinding.count({ where: { ticketId: t.id } })).toBe(1);
    expect((await core.stores.conduct.ofTicket(t.id))?.finding).toBe('favours');
  });

  it('undoes the finding when the ticket step loses a race (concurrent_update)', async () => {
    const t = await conductComplaint();
    const row = {
      ticketId: t.id,
      staffId: 'xincheng-field2',
      branchId: 'xincheng',
      finding: 'obstruction' as const,
      consequence: 'dismissal' as const,
      month: '2026-12',
      evidence: '故意刁难',
      foundBy: 'staff:agent01',
      foundAt: core.clock.now(),
    };
    const step = {
      status: 'dispatched' as const,
      patch: { conductStaffId: 'xincheng-field2' },
      event: { type: 'conduct_named', actor: 'staff:agent01', fromStatus: 'dispatched', toStatus: 'dispatched', note: null, data: null },
      cancelAlertKinds: [],
      cancelAlertKeys: [],
      alerts: [],
      form: null,
      openCallback: null,
      owed: () => ({ messages: [], alerts: [] }),
    };
    await expect(core.stores.conduct.record(row, { ticketId: t.id, version: t.version + 7, steps: [step], at: core.clock.now() })).rejects.toMatchObject({
      code: 'concurrent_update',
    });
    expect(await core.stores.conduct.ofTicket(t.id)).toBeNull();
  });
});
