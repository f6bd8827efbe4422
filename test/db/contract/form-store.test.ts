/**
 * The service-form store on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): marking HQ copies back one by one and by branch and date, the
 * paginated lists and the overdue counts per branch behave the same on both (R8l).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
const day = (d: number) => new Date(Date.UTC(2026, 10, d, 2)); // 2026-11-<d> 10:00 company time
const numbers: Record<string, string> = {};

beforeAll(async () => {
  core = await makeTestCore({ start: '2026-12-06T02:00:00Z' });
  // xincheng: forms of Nov 1, 2, 3, 20; jinqiao: Nov 5; and one ticket without a form
  const plan: [string, string, number][] = [
    ['x1', 'c001', 1],
    ['x2', 'c001', 2],
    ['x3', 'c001', 3],
    ['x20', 'c001', 20],
    ['j5', 'c035', 5],
  ];
  for (const [name, communityId, d] of plan) {
    const t = await createTicket(core, hotlineComplaint({ customerAccount: undefined, communityId }));
    numbers[name] = t.number;
    await core.db.serviceForm.create({ data: { ticketId: t.id, workDone: '换阀门', serviceDate: day(d), createdBy: 'staff:xincheng-field1' } });
  }
  numbers.none = (await createTicket(core, hotlineComplaint({ customerAccount: undefined, communityId: 'c001' }))).number;
});
afterAll(() => core?.close());

const dueBefore = new Date('2026-11-20T00:00:00Z'); // the Nov 20 form is not due yet

describe('the form store (R8l)', () => {
  it('reads a form by its ticket number with the ticket branch, and nothing for a ticket without one', async () => {
    const f = await core.stores.forms.byTicketNumber(numbers.x1);
    expect(f).toMatchObject({ ticketNumber: numbers.x1, branchId: 'xincheng', kind: 'complaint', form: { workDone: '换阀门', hqReturnedAt: null } });
    expect(f?.form.serviceDate).toEqual(day(1));
    expect(await core.stores.forms.byTicketNumber(numbers.none)).toBeNull();
    expect(await core.stores.forms.byTicketNumber('T20990101-0001')).toBeNull();
  });

  it('lists overdue forms oldest first, a page at a time, with the true total', async () => {
    const p1 = await core.stores.forms.list({ status: 'overdue', dueBefore }, { skip: 0, take: 2 });
    expect(p1.total).toBe(4);
    expect(p1.items.map((i) => i.ticketNumber)).toEqual([numbers.x1, numbers.x2]);
    const p2 = await core.stores.forms.list({ status: 'overdue', dueBefore }, { skip: 2, take: 2 });
    expect(p2.items.map((i) => i.ticketNumber)).toEqual([numbers.x3, numbers.j5]);
    const jq = await core.stores.forms.list({ status: 'overdue', branchId: 'jinqiao', dueBefore }, { skip: 0, take: 10 });
    expect(jq).toMatchObject({ total: 1, items: [{ ticketNumber: numbers.j5, branchId: 'jinqiao' }] });
  });

  it('counts overdue forms per branch in full and names the oldest few', async () => {
    const by = await core.stores.forms.overdueByBranch(dueBefore, 2);
    expect(by).toEqual([
      { branchId: 'jinqiao', count: 1, oldest: [{ ticketNumber: numbers.j5, serviceDate: day(5) }] },
      {
        branchId: 'xincheng',
        count: 3,
        oldest: [
          { ticketNumber: numbers.x1, serviceDate: day(1) },
          { ticketNumber: numbers.x2, serviceDate: day(2) },
        ],
      },
    ]);
  });

  it('marks one form back once: a second mark changes nothing and says so', async () => {
    const f = await core.stores.forms.byTicketNumber(numbers.x1);
    const at = new Date('2026-12-06T03:00:00Z');
    const marked = await core.stores.forms.markReturned(f!.form.id, { at, by: 'staff:agent01' });
    expect(marked).toMatchObject({ hqReturnedAt: at, hqReturnedBy: 'staff:agent01' });
    expect(await core.stores.forms.markReturned(f!.form.id, { at: new Date('2026-12-06T04:00:00Z'), by: 'staff:agent02' })).toBeNull();
    expect((await core.stores.forms.byTicketNumber(numbers.x1))?.form).toMatchObject({ hqReturnedAt: at, hqReturnedBy: 'staff:agent01' });
  });

  it('marks a branch range in bulk: only that branch, only the range, only forms not back', async () => {
    const at = new Date('2026-12-06T05:00:00Z');
    // Nov 1 to Nov 20 (until Nov 21 00:00 company time): x1 was back already, x2 x3 x20 now; jinqiao's j5 untouched
    const n = await core.stores.forms.markReturnedInRange(
      { branchId: 'xincheng', from: new Date('2026-10-31T16:00:00Z'), until: new Date('2026-11-20T16:00:00Z') },
      { at, by: 'api:operator' },
    );
    expect(n).toBe(3);
    expect((await core.stores.forms.byTicketNumber(numbers.x1))?.form.hqReturnedBy).toBe('staff:agent01');
    expect((await core.stores.forms.byTicketNumber(numbers.x20))?.form).toMatchObject({ hqReturnedAt: at, hqReturnedBy: 'api:operator' });
    expect((await core.stores.forms.byTicketNumber(numbers.j5))?.form.hqReturnedAt).toBeNull();
    const returned = await core.stores.forms.list({ status: 'returned', dueBefore }, { skip: 0, take: 10 });
    expect(returned.total).toBe(4);
    expect(returned.items[returned.items.length - 1].ticketNumber).toBe(numbers.x1); // the earliest return last
    expect((await core.stores.forms.list({ status: 'all', dueBefore }, { skip: 0, take: 1 })).total).toBe(5);
    expect(await core.stores.forms.overdueByBranch(dueBefore, 5)).toEqual([
      { branchId: 'jinqiao', count: 1, oldest: [{ ticketNumber: numbers.j5, serviceDate: day(5) }] },
    ]);
  });
});
