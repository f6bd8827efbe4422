import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { auth, makeTestApp } from '../helpers/app.js';
import { customersCsv } from '../helpers/builders.js';
import type { TestCore } from '../helpers/core.js';

let app: FastifyInstance;
let core: TestCore;
beforeAll(async () => {
  ({ app, core } = await makeTestApp());
  await seedDemoCustomers(core);
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const post = (url: string, payload: unknown, headers: Record<string, string> = auth) => app.inject({ method: 'POST', url, payload: payload as any, headers });
const get = (url: string, headers: Record<string, string> = auth) => app.inject({ method: 'GET', url, headers });

const intake = {
  kind: 'complaint',
  category: 'no_heat',
  source: 'hotline',
  description: '暖气不热，家里有老人',
  firstResponder: 'agent01',
  customerAccount: '1010000000',
};

describe('the HTTP API', () => {
  it('answers /healthz without a token', async () => {
    const res = await get('/healthz', {});
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: core.provider });
  });

  it('refuses /api without the right bearer token', async () => {
    expect((await get('/api/org', {})).json()).toMatchObject({ code: 'unauthorized' });
    expect((await get('/api/org', { authorization: 'Bearer nope' })).statusCode).toBe(401);
  });

  it('shows the organisation: branches with units and channels, communities, staff with Slack ids', async () => {
    const org = (await get('/api/org')).json();
    expect(org.branches[0]).toMatchObject({ id: 'xincheng', name: '新城供热分公司', channels: { dispatch: 'C1XINCHED', urgent: 'C1XINCHEU' } });
    expect(org.branches[0].units.map((u: any) => u.kind)).toEqual(['service_office', 'field_team', 'billing_office', 'department']);
    expect(org.communities.find((c: any) => c.id === 'c001')).toMatchObject({ name: '幸福家园', branchId: 'xincheng' });
    expect(org.staff.find((s: any) => s.id === 'agent01')).toMatchObject({ role: 'centre_agent', branchId: null });
  });

  it('publishes OpenAPI at /docs to API clients', async () => {
    const res = await get('/docs/json');
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toContain('/api/tickets/{number}/transitions');
  });

  it('walks a ticket through the whole loop to closed and reads back the minute-stamped timeline', async () => {
    const created = await post('/api/tickets', intake);
    expect(created.statusCode).toBe(201);
    const t = created.json();
    expect(t).toMatchObject({ status: 'dispatched', branchName: '新城供热分公司', unitId: 'xincheng-field', firstResponder: 'staff:agent01' });
    const step = async (body: object) => {
      const res = await post(`/api/tickets/${t.number}/transitions`, { actor: 'xincheng-field1', ...body });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    await step({ action: 'accept' });
    await step({ action: 'arrive' });
    const resolved = await step({
      action: 'resolve',
      note: '更换温控阀',
      form: { workDone: '更换温控阀一个', materials: '温控阀 x1', feesCents: 16000, signed: true },
    });
    expect(resolved.status).toBe('callback');
    expect(resolved.form).toMatchObject({ workDone: '更换温控阀一个', feesCents: 16000, signed: true });
    const cb = resolved.callbacks[0];
    const answered = await post(`/api/callbacks/${cb.id}`, { actor: 'agent02', reached: true, satisfaction: 'fairly' });
    expect(answered.json()).toMatchObject({ outcome: 'closed', ticket: { status: 'closed', satisfaction: 'fairly' } });
    const back = (await get(`/api/tickets/${t.number}`)).json();
    expect(back.timeline.map((e: any) => e.type)).toEqual(['created', 'dispatched', 'accepted', 'arrived', 'resolved', 'callback_requested', 'closed']);
    expect(back.timeline[0].atLocal).toBe('2026-11-28 14:00');
  });

  it('answers bad input with a 4xx and a code, and stores nothing', async () => {
    const before = await core.db.ticket.count();
    const cases: [unknown, number, string][] = [
      [{ ...intake, kind: 'rant' }, 400, 'validation_failed'],
      [{ ...intake, description: '' }, 400, 'validation_failed'],
      [{ ...intake, extra: 1 }, 400, 'validation_failed'],
      [{ ...intake, customerAccount: '99999999' }, 404, 'customer_not_found'],
      [{ ...intake, firstResponder: 'nobody' }, 422, 'unknown_staff'],
      [{ ...intake, communityId: 'nowhere', customerAccount: undefined }, 422, 'unknown_community'],
    ];
    for (const [body, status, code] of cases) {
      const res = await post('/api/tickets', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.json().code).toBe(code);
    }
    const broken = await app.inject({ method: 'POST', url: '/api/tickets', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"kind":' });
    expect(broken.statusCode).toBe(400);
    expect(await core.db.ticket.count()).toBe(before);
  });

  it('refuses a step out of order with 409 invalid_transition and the allowed steps', async () => {
    const t = (await post('/api/tickets', intake)).json();
    const res = await post(`/api/tickets/${t.number}/transitions`, { action: 'resolve', actor: 'agent01', note: 'x' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'invalid_transition', allowed: ['accept', 'route', 'transfer', 'cancel', 'mark_duplicate'] });
    expect((await get('/api/tickets/T20990101-0001')).json().code).toBe('ticket_not_found');
    expect((await get('/api/tickets/nonsense')).statusCode).toBe(400);
  });

  it('lists tickets with filters, paging and the total', async () => {
    await post('/api/tickets', { ...intake, customerAccount: undefined, communityId: 'c020', category: 'billing', description: '多收了热费' });
    const res = (await get('/api/tickets?branch=yuquan&category=billing&pageSize=1')).json();
    expect(res.total).toBeGreaterThanOrEqual(1);
    expect(res.items).toHaveLength(1);
    expect(res.items[0]).toMatchObject({ branchId: 'yuquan', category: 'billing', unitId: 'yuquan-billing' });
    expect((await get('/api/tickets?status=open')).statusCode).toBe(400);
    expect((await get('/api/tickets?from=yesterday')).statusCode).toBe(400);
  });

  it('imports customers from CSV, keeping good rows and reporting each bad one', async () => {
    const csv = customersCsv([
      '2020000001,张三,13912345678,幸福家园1号楼1单元101室,c001,1,1,101,88.5',
      '2020000002,李四,12345,丁香苑2号楼,c004,2,1,201,70',
      '2020000003,王五,13912345679,某某小区,火星小区,3,1,301,70',
      '2020000004,赵六,13912345670,锡林小区,锡林,1,2,301,-5',
      ',钱七,13912345671,锡林小区,c003,1,2,301,60',
      '2020000005,孙八,13912345672,兴安小区5号楼,兴安小区,5,1,501,',
    ]);
    const res = await app.inject({ method: 'POST', url: '/api/customers/import', headers: { ...auth, 'content-type': 'text/csv' }, payload: csv });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ created: 2, updated: 0, refused: 4 });
    expect(body.errors.map((e: any) => [e.line, e.code])).toEqual([
      [3, 'bad_phone'],
      [4, 'unknown_community'],
      [5, 'bad_area'],
      [6, 'missing_field'],
    ]);
    // the alias 兴安小区 resolves to 兴安花园
    expect((await core.db.customer.findUnique({ where: { account: '2020000005' } }))?.communityId).toBe('c002');
    expect(await core.db.customer.findUnique({ where: { account: '2020000002' } })).toBeNull();
  });

  it('refuses a CSV without the expected header', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/customers/import', headers: { ...auth, 'content-type': 'text/csv' }, payload: 'a,b\n1,2\n' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'csv_invalid' });
  });
});
