import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { eventText } from '../../src/bots/slack/render/ticket-card.js';
import { apiClientKeys, DEMO_ORG } from '../../src/config.js';
import { getTicket } from '../../src/core/tickets/get-ticket.js';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { ticketPage } from '../../src/http/dashboard/ticket-pages.js';
import { auth, makeTestApp, TEST_TOKEN } from '../helpers/app.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';

const ERP_TOKEN = 'erp-token-0123456789-abcdefghijklmnop';
const BI_TOKEN = 'bi-token-0123456789-abcdefghijklmnopq';
const PUSH_TOKEN = 'push-token-0123456789-abcdefghijklmno';
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** The demo organisation with three clients, as an operator writes them: one token in the environment, two by their hash. */
function orgFile() {
  const doc = parse(readFileSync(DEMO_ORG, 'utf8'));
  doc.apiClients = [
    { id: 'erp', name: 'ERP', scopes: ['read', 'write'], tokenEnv: 'API_CLIENT_ERP_TOKEN' },
    { id: 'bi', name: 'BI dashboards', scopes: ['read'], tokenSha256: sha256(BI_TOKEN) },
    { id: 'push', name: 'Import job', scopes: ['write'], tokenSha256: sha256(PUSH_TOKEN) },
  ];
  return doc;
}

const intake = {
  kind: 'complaint',
  category: 'no_heat',
  source: 'hotline',
  description: '暖气不热，家里有老人',
  firstResponder: 'agent01',
  customerAccount: '1010000000',
};

let app: FastifyInstance;
let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore({ org: orgFile() });
  const apiClients = apiClientKeys(core.org.config.apiClients, TEST_TOKEN, { API_CLIENT_ERP_TOKEN: ERP_TOKEN });
  ({ app } = await makeTestApp({ apiClients }, core));
  await seedDemoCustomers(core);
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const post = (url: string, payload: unknown, headers: Record<string, string>) => app.inject({ method: 'POST', url, payload: payload as any, headers });
const get = (url: string, headers: Record<string, string>) => app.inject({ method: 'GET', url, headers });

async function eventsOf(number: string) {
  const t = await core.db.ticket.findUniqueOrThrow({ where: { number } });
  return core.db.ticketEvent.findMany({ where: { ticketId: t.id }, orderBy: { id: 'asc' } });
}

describe('API clients', () => {
  it('a change through the API names the client as the actor, in the stored event and in the timeline, and keeps the staff member it acted for', async () => {
    const created = await post('/api/tickets', intake, bearer(ERP_TOKEN));
    expect(created.statusCode, created.body).toBe(201);
    const number = created.json().number;
    const accepted = await post(`/api/tickets/${number}/transitions`, { action: 'accept', actor: 'xincheng-field1' }, bearer(ERP_TOKEN));
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().assigneeId).toBe('xincheng-field1');

    const stored = await eventsOf(number);
    const byType = Object.fromEntries(stored.map((e) => [e.type, e]));
    expect(byType.created).toMatchObject({ actor: 'api:erp' });
    expect(JSON.parse(byType.created.data!)).toMatchObject({ onBehalfOf: 'staff:agent01' });
    expect(byType.accepted).toMatchObject({ actor: 'api:erp' });
    expect(JSON.parse(byType.accepted.data!)).toEqual({ onBehalfOf: 'staff:xincheng-field1' });

    const timeline = (await get(`/api/tickets/${number}`, bearer(BI_TOKEN))).json().timeline;
    expect(timeline.find((e: any) => e.type === 'accepted')).toMatchObject({ actor: 'api:erp', data: { onBehalfOf: 'staff:xincheng-field1' } });
    // the ticket still says who received it (R1)
    expect(created.json().firstResponder).toBe('staff:agent01');
  });

  it("the environment's API_TOKEN acts as the operator client", async () => {
    const created = await post('/api/tickets', intake, auth);
    expect(created.statusCode).toBe(201);
    const number = created.json().number;
    await post(`/api/tickets/${number}/classification`, { actor: 'xincheng-coord', severity: 'urgent', reason: '有老人，升级' }, auth);
    const timeline = (await get(`/api/tickets/${number}`, auth)).json().timeline;
    expect(timeline.find((e: any) => e.type === 'created').actor).toBe('api:operator');
    expect(timeline.find((e: any) => e.type === 'reclassified')).toMatchObject({ actor: 'api:operator', data: { onBehalfOf: 'staff:xincheng-coord' } });
  });

  it('a read-only client reads tickets and KPIs but is refused any change with 403 insufficient_scope, and nothing is stored', async () => {
    expect((await get('/api/tickets', bearer(BI_TOKEN))).statusCode).toBe(200);
    expect((await get('/api/kpi', bearer(BI_TOKEN))).statusCode).toBe(200);
    expect((await get('/api/kpi.csv', bearer(BI_TOKEN))).statusCode).toBe(200);
    const before = await core.db.ticket.count();
    const refused = await post('/api/tickets', intake, bearer(BI_TOKEN));
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'insufficient_scope', scope: 'write' });
    const csv = 'account,name,phone,address,community\n9990000001,王五,13800000000,某路1号,c001\n';
    const imported = await app.inject({
      method: 'POST',
      url: '/api/customers/import',
      headers: { ...bearer(BI_TOKEN), 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(imported.statusCode).toBe(403);
    expect(imported.json().code).toBe('insufficient_scope');
    expect((await post('/api/outbox/1/resend', {}, bearer(BI_TOKEN))).json().code).toBe('insufficient_scope');
    expect(await core.db.ticket.count()).toBe(before);
    expect(await core.db.customer.findUnique({ where: { account: '9990000001' } })).toBeNull();
  });

  it('a write-only client may change but not read', async () => {
    expect((await post('/api/tickets', intake, bearer(PUSH_TOKEN))).statusCode).toBe(201);
    const read = await get('/api/kpi', bearer(PUSH_TOKEN));
    expect(read.statusCode).toBe(403);
    expect(read.json()).toMatchObject({ code: 'insufficient_scope', scope: 'read' });
    expect((await get('/api/tickets', bearer(PUSH_TOKEN))).statusCode).toBe(403);
  });

  it('refuses an unknown token, on the API and the KPIs alike', async () => {
    for (const url of ['/api/org', '/api/kpi', '/api/tickets']) {
      const res = await get(url, bearer(`${ERP_TOKEN}x`));
      expect(res.statusCode, url).toBe(401);
      expect(res.json().code).toBe('unauthorized');
    }
  });

  it('checks the staff member a client acts for as if they had clicked in Slack: 403 forbidden with the reason, nothing stored', async () => {
    const number = (await post('/api/tickets', intake, bearer(ERP_TOKEN))).json().number;
    const before = (await eventsOf(number)).length;
    const leader = await post(`/api/tickets/${number}/transitions`, { action: 'accept', actor: 'hq-leader' }, bearer(ERP_TOKEN));
    expect(leader.statusCode).toBe(403);
    expect(leader.json()).toMatchObject({ code: 'forbidden', reason: 'leaders_see_only' });
    const elsewhere = await post(`/api/tickets/${number}/transitions`, { action: 'accept', actor: 'huimin-field1' }, bearer(ERP_TOKEN));
    expect(elsewhere.json()).toMatchObject({ code: 'forbidden', reason: 'other_branch' });
    const reclass = await post(`/api/tickets/${number}/classification`, { actor: 'huimin-coord', severity: 'urgent' }, bearer(ERP_TOKEN));
    expect(reclass.json()).toMatchObject({ code: 'forbidden', reason: 'other_branch' });
    const callback = await post('/api/callbacks/1', { actor: 'xincheng-coord', reached: true, satisfaction: 'satisfied' }, bearer(ERP_TOKEN));
    expect(callback.json()).toMatchObject({ code: 'forbidden', reason: 'centre_only' });
    expect((await post(`/api/tickets/${number}/transitions`, { action: 'accept', actor: 'nobody' }, bearer(ERP_TOKEN))).json().code).toBe('unknown_staff');
    expect(await eventsOf(number)).toHaveLength(before);
  });
});

describe('tokens in the URL', () => {
  it('are refused with 400 token_in_query whatever the name is spelt like, even beside a good bearer header', async () => {
    for (const q of ['token=x', 'access_token=x', 'api_key=x', 'apiKey=x', 'APIKEY=x', 'page=1&Token=x']) {
      const res = await get(`/api/tickets?${q}`, auth);
      expect(res.statusCode, q).toBe(400);
      expect(res.json().code).toBe('token_in_query');
      expect(res.body).not.toContain('=x');
    }
    expect((await get('/healthz?access_token=abc', {})).json().code).toBe('token_in_query');
    expect((await get('/api/tickets?page=1', auth)).statusCode).toBe(200);
  });
});

describe('the API documentation', () => {
  it('needs a client with the read scope unless DOCS_PUBLIC says it is public', async () => {
    expect((await get('/docs/json', {})).statusCode).toBe(401);
    expect((await get('/docs', {})).statusCode).toBe(401);
    expect((await get('/docs/json', bearer(PUSH_TOKEN))).json().code).toBe('insufficient_scope');
    const spec = await get('/docs/json', bearer(BI_TOKEN));
    expect(spec.statusCode).toBe(200);
    expect(spec.json().paths['/api/tickets']).toBeDefined();
  });

  it('is open to anyone with DOCS_PUBLIC=true', async () => {
    const { app: open, core: c } = await makeTestApp({ docsPublic: true });
    try {
      expect((await open.inject({ method: 'GET', url: '/docs/json' })).statusCode).toBe(200);
      expect((await open.inject({ method: 'GET', url: '/api/org' })).statusCode).toBe(401);
    } finally {
      await open.close();
      await c.close();
    }
  });
});

describe('the timeline people read', () => {
  it('names the API client and the staff member it acted for, on the Slack card and the dashboard, in both languages', async () => {
    const number = (await post('/api/tickets', intake, bearer(ERP_TOKEN))).json().number;
    await post(`/api/tickets/${number}/transitions`, { action: 'accept', actor: 'xincheng-field1' }, bearer(ERP_TOKEN));
    await post(`/api/tickets/${number}/transitions`, { action: 'arrive', actor: 'xincheng-field2' }, auth);
    const tk = await getTicket(core, number);
    const accepted = tk.events.find((e) => e.type === 'accepted')!;
    const arrived = tk.events.find((e) => e.type === 'arrived')!;
    const ctx = (locale: 'zh-CN' | 'en') => ({ org: core.org, locale, now: core.clock.now() });
    expect(eventText(ctx('zh-CN'), accepted)).toContain('API 客户端「ERP」（代吴娟）');
    expect(eventText(ctx('en'), accepted)).toContain('API client “ERP” for 吴娟');
    expect(eventText(ctx('zh-CN'), arrived)).toContain('运维（API）（代徐刚）');
    const page = String(ticketPage(core.org, 'zh-CN', tk));
    expect(page).toContain('API 客户端「ERP」（代吴娟）');
    expect(page).toContain('运维（API）（代徐刚）');
    expect(String(ticketPage(core.org, 'en', tk))).toContain('API client “ERP” for 吴娟');
  });
});

describe('changes without an event of their own', () => {
  it('are logged with the client that asked, the route without its query, and the outcome', async () => {
    const lines: any[] = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    const apiClients = apiClientKeys(core.org.config.apiClients, TEST_TOKEN, { API_CLIENT_ERP_TOKEN: ERP_TOKEN });
    const { app: logged } = await makeTestApp({ apiClients, logger: { level: 'info', stream } }, core);
    try {
      const resend = await logged.inject({ method: 'POST', url: '/api/outbox/424242/resend', headers: bearer(ERP_TOKEN) });
      await logged.inject({ method: 'GET', url: '/api/org', headers: bearer(BI_TOKEN) });
      const changes = lines.filter((l) => l.msg === 'API change');
      expect(changes).toEqual([expect.objectContaining({ apiClient: 'erp', method: 'POST', route: '/api/outbox/:id/resend', statusCode: resend.statusCode })]);
      expect(JSON.stringify(lines)).not.toContain(ERP_TOKEN);
    } finally {
      await logged.close();
    }
  });
});
