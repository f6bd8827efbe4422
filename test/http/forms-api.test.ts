/**
 * The service-forms API (R8l) and the paid-work rules on the transitions API (R12, R14/R15):
 * app.inject against the real app and database. The clock is 2026-12-06 10:00 company time.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { apiClientKeys, DEMO_ORG } from '../../src/config.js';
import { createTicket } from '../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../src/core/tickets/transition-ticket.js';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { hotlineComplaint } from '../helpers/builders.js';
import { auth, makeTestApp, TEST_TOKEN } from '../helpers/app.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';

const BI_TOKEN = 'bi-token-0123456789-abcdefghijklmnopq';
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

let app: FastifyInstance;
let core: TestCore;
const numbers: string[] = [];
beforeAll(async () => {
  const doc = parse(readFileSync(DEMO_ORG, 'utf8'));
  doc.apiClients = [{ id: 'bi', name: 'BI dashboards', scopes: ['read'], tokenSha256: sha256(BI_TOKEN) }];
  core = await makeTestCore({ org: doc, start: '2026-12-06T02:00:00Z' });
  ({ app } = await makeTestApp({ apiClients: apiClientKeys(core.org.config.apiClients, TEST_TOKEN, {}) }, core));
  await seedDemoCustomers(core);
  // five overdue xincheng forms (Oct 1-5), one jinqiao (Oct 3), one not due yet (Dec 1)
  const plan: [string, number, number][] = [
    ['c001', 10, 1],
    ['c001', 10, 2],
    ['c001', 10, 3],
    ['c001', 10, 4],
    ['c001', 10, 5],
    ['c035', 10, 3],
    ['c001', 12, 1],
  ];
  for (const [communityId, m, d] of plan) {
    const t = await createTicket(core, hotlineComplaint({ customerAccount: undefined, communityId }));
    await core.db.serviceForm.create({ data: { ticketId: t.id, workDone: '排气', serviceDate: new Date(Date.UTC(2026, m - 1, d, 2)), createdBy: 'staff:x' } });
    numbers.push(t.number);
  }
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const send = (method: 'POST' | 'GET', url: string, payload?: unknown, headers: Record<string, string> = auth) =>
  app.inject({ method, url, payload: payload as any, headers });

describe('the service-forms API (R8l)', () => {
  it('lists overdue forms a page at a time with the true total, by branch or all', async () => {
    const res = await send('GET', '/api/forms?status=overdue&branch=xincheng&page=2&pageSize=2');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: 'overdue', branch: 'xincheng', total: 5, page: 2, pageSize: 2, pages: 3 });
    expect(body.items.map((i: any) => i.ticketNumber)).toEqual([numbers[2], numbers[3]]);
    expect(body.items[0]).toMatchObject({ branchId: 'xincheng', serviceDateLocal: '2026-10-03 10:00', hqReturnedAt: null, hqReturnedBy: null });
    expect((await send('GET', '/api/forms')).json()).toMatchObject({ total: 6, status: 'overdue' });
    expect((await send('GET', '/api/forms?status=all')).json().total).toBe(7);
    expect((await send('GET', '/api/forms?branch=nowhere')).json()).toMatchObject({ code: 'unknown_branch' });
    expect((await send('GET', '/api/forms?pageSize=1000')).statusCode).toBe(400);
  });

  it('marks one form back (200), refuses it again with who and when (409), and a ticket without a form (404)', async () => {
    const ok = await send('POST', `/api/forms/${numbers[0]}/returned`, {});
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ ticketNumber: numbers[0], hqReturnedAt: '2026-12-06T02:00:00.000Z', hqReturnedBy: 'api:operator' });
    const again = await send('POST', `/api/forms/${numbers[0]}/returned`, { actor: 'agent02' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'form_already_returned' });
    expect(again.json().message).toContain('2026-12-06 10:00 by api:operator');
    const bare = await createTicket(core, hotlineComplaint());
    const missing = await send('POST', `/api/forms/${bare.number}/returned`, {});
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: 'form_not_found' });
  });

  it('acts for a named staff member who may mark forms, and refuses branch staff (403) and strangers (422)', async () => {
    const branch = await send('POST', `/api/forms/${numbers[1]}/returned`, { actor: 'xincheng-coord' });
    expect(branch.statusCode).toBe(403);
    expect(branch.json()).toMatchObject({ code: 'forbidden', reason: 'centre_only' });
    expect((await send('POST', `/api/forms/${numbers[1]}/returned`, { actor: 'ghost' })).json()).toMatchObject({ code: 'unknown_staff' });
    const agent = await send('POST', `/api/forms/${numbers[1]}/returned`, { actor: 'agent02' });
    expect(agent.json().hqReturnedBy).toBe('staff:agent02');
  });

  it("marks a branch's bundle by service dates and says how many; refuses a bad range (400) and a read-only client (403)", async () => {
    const readOnly = await send(
      'POST',
      '/api/forms/returned',
      { branch: 'xincheng', from: '2026-10-01', to: '2026-10-31' },
      { authorization: `Bearer ${BI_TOKEN}` },
    );
    expect(readOnly.statusCode).toBe(403);
    const backwards = await send('POST', '/api/forms/returned', { branch: 'xincheng', from: '2026-10-31', to: '2026-10-01' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json()).toMatchObject({ code: 'invalid_range', field: 'to' });
    const res = await send('POST', '/api/forms/returned', { branch: 'xincheng', from: '2026-10-01', to: '2026-10-31' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ marked: 3, branch: 'xincheng', from: '2026-10-01', to: '2026-10-31' });
    const left = (await send('GET', '/api/forms')).json();
    expect(left).toMatchObject({ total: 1, items: [{ ticketNumber: numbers[5], branchId: 'jinqiao' }] });
    expect((await send('GET', '/api/forms?status=returned')).json().total).toBe(5);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await send('GET', '/docs/json')).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/forms', '/api/forms/{number}/returned', '/api/forms/returned']));
  });
});

describe('paid work through the transitions API (R12, R14/R15)', () => {
  it('refuses a resolve of paid work without the after-sales terms (422) and an own-materials fee above the basic labour fee without a reason (422)', async () => {
    const t = await createTicket(core, hotlineComplaint({ kind: 'paid_service', category: 'other', paidMaterials: 'own' }));
    await transitionTicket(core, { number: t.number, action: 'accept', actor: 'staff:xincheng-coord' });
    const url = `/api/tickets/${t.number}/transitions`;
    const form = { workDone: '更换阀门', effect: '不漏水', feesCents: 6000 };
    const noTerms = await send('POST', url, { action: 'resolve', actor: 'xincheng-field1', note: '已更换', form });
    expect(noTerms.statusCode).toBe(422);
    expect(noTerms.json()).toMatchObject({ code: 'after_sales_required', field: 'form.afterSalesTerms' });
    const over = await send('POST', url, { action: 'resolve', actor: 'xincheng-field1', note: '已更换', form: { ...form, afterSalesTerms: '人工保修三个月' } });
    expect(over.statusCode).toBe(422);
    expect(over.json()).toMatchObject({ code: 'labour_fee_exceeded', field: 'form.feesCents' });
    const ok = await send('POST', url, {
      action: 'resolve',
      actor: 'xincheng-field1',
      note: '已更换',
      form: { ...form, afterSalesTerms: '人工保修三个月', feeOverCapReason: '拆装旧阀门另收' },
    });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('callback');
  });
});
