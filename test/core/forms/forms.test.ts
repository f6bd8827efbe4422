/**
 * Service forms back at HQ (R8l) and paid work at resolve (R12, R14/R15), through the core on the
 * real database. The clock is 2026-12-06 10:00 company time; a form is overdue when its service
 * date is more than 15 days back.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_ORG } from '../../../src/config.js';
import { AppError } from '../../../src/core/errors.js';
import { listForms } from '../../../src/core/forms/list-forms.js';
import { markFormReturned } from '../../../src/core/forms/mark-form-returned.js';
import { markFormsReturned } from '../../../src/core/forms/mark-forms-returned.js';
import { buildReport } from '../../../src/core/reports/build-report.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import type { ScheduledAlert } from '../../../src/core/model.js';
import { seedDemoCustomers } from '../../../src/db/seed-demo.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
const serviceDay = (month: number, day: number) => new Date(Date.UTC(2026, month - 1, day, 2)); // 10:00 company time

/** A ticket of the community's branch with a service form of that date. */
async function withForm(communityId: string, at: Date): Promise<string> {
  const t = await createTicket(core, hotlineComplaint({ customerAccount: undefined, communityId }));
  await core.db.serviceForm.create({ data: { ticketId: t.id, workDone: '排气', serviceDate: at, createdBy: 'staff:xincheng-field1' } });
  return t.number;
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

beforeAll(async () => {
  core = await makeTestCore({ start: '2026-12-06T02:00:00Z' });
  await seedDemoCustomers(core);
});
afterAll(() => core?.close());

describe('marking a service form back at HQ (R8l)', () => {
  it('marks one form by its ticket number with who and when', async () => {
    const number = await withForm('c001', serviceDay(11, 10));
    const f = await markFormReturned(core, { number, actor: 'staff:agent01' });
    expect(f.form).toMatchObject({ hqReturnedAt: core.clock.now(), hqReturnedBy: 'staff:agent01' });
    const stored = await core.db.serviceForm.findFirstOrThrow({ where: { ticket: { number } } });
    expect(stored).toMatchObject({ hqReturnedAt: core.clock.now(), hqReturnedBy: 'staff:agent01' });
  });

  it('refuses a second mark with who marked it and when, and keeps the first record (R8l)', async () => {
    const number = await withForm('c001', serviceDay(11, 11));
    await markFormReturned(core, { number, actor: 'staff:agent01' });
    const first = core.clock.now();
    core.clock.advance(3_600_000);
    const e = await refusal(markFormReturned(core, { number, actor: 'staff:agent02' }));
    expect(e.code).toBe('form_already_returned');
    expect(e.context).toMatchObject({ number, at: first, by: 'staff:agent01' });
    expect(e.message).toContain('2026-12-06 10:00');
    expect((await core.db.serviceForm.findFirstOrThrow({ where: { ticket: { number } } })).hqReturnedBy).toBe('staff:agent01');
  });

  it('refuses a ticket without a form and a ticket that does not exist: form_not_found (R8l)', async () => {
    const bare = await createTicket(core, hotlineComplaint());
    expect((await refusal(markFormReturned(core, { number: bare.number, actor: 'staff:agent01' }))).code).toBe('form_not_found');
    expect((await refusal(markFormReturned(core, { number: 'T20260101-9999', actor: 'staff:agent01' }))).code).toBe('form_not_found');
  });

  it('lets the centre mark forms, not a branch: forbidden with the reason (R8l)', async () => {
    const number = await withForm('c001', serviceDay(11, 12));
    const e = await refusal(markFormReturned(core, { number, actor: 'staff:xincheng-coord' }));
    expect(e).toMatchObject({ code: 'forbidden', context: { reason: 'centre_only' } });
    expect((await markFormReturned(core, { number, actor: 'staff:hq-leader' })).form.hqReturnedBy).toBe('staff:hq-leader');
  });

  it("marks a branch's bundle by service dates, both days included, leaving other branches and days (R8l)", async () => {
    const inRange = [await withForm('c002', serviceDay(10, 1)), await withForm('c002', serviceDay(10, 31))];
    const before = await withForm('c002', serviceDay(9, 30));
    const otherBranch = await withForm('c035', serviceDay(10, 15));
    const done = await markFormsReturned(core, { branchId: 'xincheng', from: '2026-10-01', to: '2026-10-31', actor: 'api:operator' });
    expect(done).toEqual({ count: 2, branchId: 'xincheng', from: '2026-10-01', to: '2026-10-31' });
    for (const n of inRange) expect((await core.db.serviceForm.findFirstOrThrow({ where: { ticket: { number: n } } })).hqReturnedBy).toBe('api:operator');
    for (const n of [before, otherBranch]) expect((await core.db.serviceForm.findFirstOrThrow({ where: { ticket: { number: n } } })).hqReturnedAt).toBeNull();
    // the same bundle again marks nothing more
    expect((await markFormsReturned(core, { branchId: 'xincheng', from: '2026-10-01', to: '2026-10-31', actor: 'staff:agent01' })).count).toBe(0);
  });

  it('refuses a bad range and stores nothing: not a date, backwards, in the future, over a year (R8l)', async () => {
    const number = await withForm('c003', serviceDay(11, 1));
    const bad = [
      { from: '2026-11-31', to: '2026-12-01' },
      { from: '2026/11/01', to: '2026-12-01' },
      { from: '2026-11-20', to: '2026-11-01' },
      { from: '2026-11-01', to: '2026-12-07' },
      { from: '2025-01-01', to: '2026-12-01' },
    ];
    for (const r of bad) expect((await refusal(markFormsReturned(core, { branchId: 'xincheng', ...r, actor: 'staff:agent01' }))).code).toBe('invalid_range');
    expect((await refusal(markFormsReturned(core, { branchId: 'nowhere', from: '2026-11-01', to: '2026-11-02', actor: 'staff:agent01' }))).code).toBe(
      'unknown_branch',
    );
    expect((await core.db.serviceForm.findFirstOrThrow({ where: { ticket: { number } } })).hqReturnedAt).toBeNull();
  });
});

describe('the overdue list and the half-monthly report (R8l)', () => {
  let fresh: TestCore;
  const numbers: string[] = [];
  beforeAll(async () => {
    fresh = await makeTestCore({ start: '2026-12-16T00:00:00Z' });
    const t0 = await createTicket(fresh, hotlineComplaint({ customerAccount: undefined, communityId: 'c001' }));
    // 60 overdue forms of xincheng (Oct 1 onward, one an hour), 1 of jinqiao, 1 of xincheng not due yet
    const rows = [];
    for (let i = 0; i < 62; i++) {
      const t = i === 0 ? t0 : await createTicket(fresh, hotlineComplaint({ customerAccount: undefined, communityId: i === 60 ? 'c035' : 'c001' }));
      const serviceDate = i === 61 ? new Date('2026-12-10T02:00:00Z') : new Date(Date.UTC(2026, 9, 1) + i * 3_600_000);
      rows.push({ ticketId: t.id, workDone: '排气', serviceDate, createdBy: 'staff:xincheng-field1' });
      numbers.push(t.number);
    }
    await fresh.db.serviceForm.createMany({ data: rows });
  });
  afterAll(() => fresh?.close());

  it('pages through every overdue form, oldest first, with the true total', async () => {
    const p1 = await listForms(fresh, { status: 'overdue', branchId: 'xincheng', page: 1, pageSize: 25 });
    expect(p1).toMatchObject({ total: 60, pages: 3, page: 1 });
    expect(p1.items[0].ticketNumber).toBe(numbers[0]);
    const p3 = await listForms(fresh, { status: 'overdue', branchId: 'xincheng', page: 3, pageSize: 25 });
    expect(p3.items.map((i) => i.ticketNumber)).toEqual(numbers.slice(50, 60));
    expect((await listForms(fresh, { status: 'overdue', page: 1, pageSize: 10 })).total).toBe(61);
    expect((await listForms(fresh, { status: 'all', page: 1, pageSize: 10 })).total).toBe(62);
    expect((await refusal(listForms(fresh, { status: 'overdue', page: 1, pageSize: 500 }))).code).toBe('validation_failed');
    expect((await refusal(listForms(fresh, { status: 'overdue', branchId: 'nowhere', page: 1, pageSize: 5 }))).code).toBe('unknown_branch');
  });

  it("sends each branch its true count and oldest numbers with how many more, and the leaders every branch's count", async () => {
    const alert: ScheduledAlert = {
      id: 1,
      key: 'report_forms:2026-12-16',
      ticketId: null,
      kind: 'report_forms',
      dueAt: new Date('2026-12-16T00:30:00Z'),
    } as ScheduledAlert;
    const plan = await buildReport(fresh, alert, fresh.clock.now());
    const payloads = plan.messages.map((m) => ({ target: m.target, p: JSON.parse(m.payload as string) }));
    const xincheng = payloads.find((x) => x.p.branchId === 'xincheng')!.p;
    expect(xincheng).toMatchObject({ report: 'forms', count: 60, more: 10 });
    expect(xincheng.numbers).toEqual(numbers.slice(0, 50));
    expect(payloads.find((x) => x.p.branchId === 'jinqiao')!.p).toMatchObject({ count: 1, numbers: [numbers[60]], more: 0 });
    expect(payloads.find((x) => x.p.branchId === null)!.p).toMatchObject({ count: 61, byBranch: { xincheng: 60, jinqiao: 1 } });
  });
});

describe('resolving paid work (R12, R14/R15)', () => {
  async function paidOnSite(paidMaterials: 'own' | 'company') {
    const t = await createTicket(core, hotlineComplaint({ kind: 'paid_service', category: 'other', description: '更换暖气阀门', paidMaterials }));
    await transitionTicket(core, { number: t.number, action: 'accept', actor: 'staff:xincheng-coord' });
    await transitionTicket(core, { number: t.number, action: 'arrive', actor: 'staff:xincheng-field1' });
    return t;
  }
  const resolve = (number: string, form: Record<string, unknown> | undefined) =>
    transitionTicket(core, { number, action: 'resolve', actor: 'staff:xincheng-field1', note: '已更换阀门', form: form as any });

  it('refuses paid work without the effect and the after-sales terms, and stores nothing (R14/R15)', async () => {
    const t = await paidOnSite('company');
    const none = await refusal(resolve(t.number, undefined));
    expect(none).toMatchObject({ code: 'after_sales_required', context: { missing: ['form.effect', 'form.afterSalesTerms'] } });
    const noTerms = await refusal(resolve(t.number, { workDone: '更换阀门', effect: '不漏水' }));
    expect(noTerms).toMatchObject({ code: 'after_sales_required', context: { field: 'form.afterSalesTerms' } });
    expect((await core.db.ticket.findUniqueOrThrow({ where: { id: t.id }, include: { form: true } })).form).toBeNull();
    await resolve(t.number, { workDone: '更换阀门', effect: '不漏水', afterSalesTerms: '保修一年', feesCents: 9000 });
    const stored = await core.db.ticket.findUniqueOrThrow({ where: { id: t.id }, include: { form: true } });
    expect(stored.form).toMatchObject({ effect: '不漏水', afterSalesTerms: '保修一年', feesCents: 9000 });
  });

  it('refuses an own-materials fee above the basic labour fee without a reason, then stores the reason in the resolve event (R12)', async () => {
    const t = await paidOnSite('own');
    const form = { workDone: '更换阀门（客户自备）', effect: '不漏水', afterSalesTerms: '人工保修三个月', feesCents: 4500 };
    const e = await refusal(resolve(t.number, form));
    expect(e).toMatchObject({ code: 'labour_fee_exceeded', context: { field: 'form.feesCents', capCents: 3000, feesCents: 4500 } });
    expect((await refusal(resolve(t.number, { ...form, feeOverCapReason: '  ' }))).code).toBe('labour_fee_exceeded');
    await resolve(t.number, { ...form, feeOverCapReason: '高处作业，两人施工' });
    const event = await core.db.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id, type: 'resolved' } });
    expect(JSON.parse(event.data!)).toMatchObject({ labourFee: { capCents: 3000, feesCents: 4500, reason: '高处作业，两人施工' } });
  });

  it('takes the basic labour fee itself for own materials, and any fee for company materials (R12)', async () => {
    const own = await paidOnSite('own');
    await resolve(own.number, { workDone: '更换阀门', effect: '不漏水', afterSalesTerms: '人工保修三个月', feesCents: 3000 });
    const company = await paidOnSite('company');
    await resolve(company.number, { workDone: '更换阀门', effect: '不漏水', afterSalesTerms: '保修一年', feesCents: 50000 });
    for (const t of [own, company]) expect((await core.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe('callback');
  });

  it("holds own-materials work to the branch's own basic labour fee where the branch sets one (R12)", async () => {
    const doc = parse(readFileSync(DEMO_ORG, 'utf8'));
    doc.branches.find((b: { id: string }) => b.id === 'xincheng').basicLabourFee = 20;
    const branchCore = await makeTestCore({ org: doc, start: '2026-12-06T02:00:00Z' });
    try {
      await seedDemoCustomers(branchCore);
      const t = await createTicket(branchCore, hotlineComplaint({ kind: 'paid_service', category: 'other', paidMaterials: 'own' }));
      await transitionTicket(branchCore, { number: t.number, action: 'accept', actor: 'staff:xincheng-coord' });
      const form = { workDone: '更换阀门', effect: '不漏水', afterSalesTerms: '人工保修三个月', feesCents: 2500 };
      const e = await refusal(transitionTicket(branchCore, { number: t.number, action: 'resolve', actor: 'staff:xincheng-field1', note: '已更换', form }));
      expect(e).toMatchObject({ code: 'labour_fee_exceeded', context: { capCents: 2000, feesCents: 2500 } });
    } finally {
      await branchCore.close();
    }
  });
});
