/**
 * Each staff member's conduct record (R31-R33) on the dashboard and the API: leaders and admins
 * see the findings with counts per finding and the list per staff member; a branch coordinator
 * and a centre agent are refused; a branch head sees their own branch's staff only.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordConductFinding } from '../../src/core/conduct/record-conduct-finding.js';
import { createTicket } from '../../src/core/tickets/create-ticket.js';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { auth, makeTestApp, staffSessionCookie } from '../helpers/app.js';
import { hotlineComplaint } from '../helpers/builders.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';

let app: FastifyInstance;
let core: TestCore;
const numbers: string[] = [];

const page = (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { cookie } });

async function finding(staffId: string, kind: string) {
  const t = await createTicket(core, hotlineComplaint({ category: 'staff_conduct', description: '工作人员态度差' }));
  await recordConductFinding(core, { number: t.number, actor: 'staff:agent01', finding: kind, evidence: '核实', staffId });
  numbers.push(t.number);
}

beforeAll(async () => {
  core = await makeTestCore({ start: '2026-11-20T02:00:00Z' });
  await seedDemoCustomers(core);
  await finding('xincheng-field1', 'attitude');
  await finding('xincheng-field1', 'not_confirmed');
  await finding('huimin-field1', 'obstruction');
  core.clock.set('2026-12-03T02:00:00Z');
  await finding('xincheng-field1', 'favours');
  ({ app } = await makeTestApp({}, core));
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

describe('the conduct page /dashboard/conduct (R31-R33)', () => {
  it('shows the HQ leader each staff member with counts per finding, and their findings with ticket and consequence', async () => {
    const res = await page('/dashboard/conduct?month=2026-11', await staffSessionCookie(core, 'hq-leader'));
    expect(res.statusCode).toBe(200);
    const row = /<tr data-staff="xincheng-field1">(.*?)<\/tr>/s.exec(res.body)?.[1] ?? '';
    expect(row).toContain('吴娟');
    expect(row).toContain('data-finding="attitude">1<');
    expect(row).toContain('data-finding="not_confirmed">1<');
    expect(row).toContain('data-finding="favours">0<');
    expect(res.body).toContain('data-staff="huimin-field1"');
    expect(res.body).toContain(`data-ticket="${numbers[0]}"`);
    expect(res.body).toContain('扣发当月岗位津贴');
    // December's finding is not November's
    expect(res.body).not.toContain(`data-ticket="${numbers[3]}"`);
  });

  it('shows a branch head only their own branch’s staff', async () => {
    const res = await page('/dashboard/conduct', await staffSessionCookie(core, 'xincheng-head'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('data-staff="xincheng-field1"');
    expect(res.body).not.toContain('data-staff="huimin-field1"');
  });

  it('refuses a branch coordinator and a centre agent with 403 and says why', async () => {
    for (const who of ['xincheng-coord', 'agent01']) {
      const res = await page('/dashboard/conduct', await staffSessionCookie(core, who));
      expect(res.statusCode).toBe(403);
      expect(res.body).toContain('只有公司领导和管理员可以查看工作人员的作风记录。');
      expect(res.body).not.toContain('吴娟');
    }
  });
});

describe('GET /api/conduct (R31-R33)', () => {
  it('answers a staff member’s findings of a month with counts per finding', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/conduct?staff=xincheng-field1&month=2026-12', headers: auth });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ month: '2026-12', staffId: 'xincheng-field1' });
    expect(body.staff).toHaveLength(1);
    expect(body.staff[0].counts).toEqual({ attitude: 0, favours: 1, obstruction: 0, not_confirmed: 0 });
    expect(body.staff[0].findings).toEqual([
      expect.objectContaining({ ticketNumber: numbers[3], finding: 'favours', consequence: 'dismissal', branchId: 'xincheng' }),
    ]);
  });

  it('refuses a month that is not YYYY-MM with validation_failed, and anyone without a token', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/conduct?month=2026-13', headers: auth })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/conduct' })).statusCode).toBe(401);
  });
});

describe('a conduct complaint filed through the API (R31)', () => {
  const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as never, headers: auth });

  it('is held by the centre, its card owed to the supervision channel only, and cannot be transferred to a branch', async () => {
    const res = await post('/api/tickets', {
      kind: 'complaint',
      category: 'staff_conduct',
      source: 'hotline',
      description: '收费员索要好处费',
      firstResponder: 'agent01',
      customerAccount: '1010000000',
    });
    expect(res.statusCode).toBe(201);
    const t = res.json();
    expect(t).toMatchObject({ branchId: null, unitId: null, status: 'dispatched' });
    const stored = await core.db.ticket.findUniqueOrThrow({ where: { number: t.number } });
    const owed = await core.db.outboxMessage.findMany({ where: { platform: 'slack', key: { contains: `:${stored.id}:` } } });
    expect(owed.map((m) => [m.kind, m.target])).toEqual([['ticket_card', 'C0SUPERV01']]);
    const moved = await post(`/api/tickets/${t.number}/transitions`, { action: 'transfer', actor: 'agent01', branchId: 'xincheng', note: '转分公司' });
    expect(moved.statusCode).toBe(409);
    expect(moved.json()).toMatchObject({ code: 'invalid_transition' });
    expect((await core.db.ticket.findUniqueOrThrow({ where: { id: stored.id } })).branchId).toBeNull();
  });
});
