/** The quotes API (R16, R9): make a quote, list a ticket's quotes, record a phone answer; bad amounts refused with the field. */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicket } from '../../src/core/tickets/create-ticket.js';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { auth, makeTestApp } from '../helpers/app.js';
import { hotlineComplaint } from '../helpers/builders.js';
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

const send = (method: 'POST' | 'GET', url: string, payload?: unknown) => app.inject({ method, url, payload: payload as any, headers: auth });
const secondaryLeak = () => createTicket(core, hotlineComplaint({ category: 'leak', scope: 'secondary', description: '楼内管沟漏水' }));
const items = [
  { name: '管沟内管道 DN32', unit: '米', quantity: 6, unitPrice: '98.60' },
  { name: '保温棉', unit: '米', quantity: '6', unitPrice: 12 },
];

describe('the quotes API (R16)', () => {
  it('makes a quote on a ticket (201), lists it, and records the phone answer: accepted and scheduled as paid work (R9)', async () => {
    const t = await secondaryLeak();
    const res = await send('POST', `/api/tickets/${t.number}/quotes`, { items, note: '不含墙面修复', actor: 'xincheng-coord' });
    expect(res.statusCode, res.body).toBe(201);
    const q = res.json();
    expect(q).toMatchObject({
      number: `Q-${t.number}-1`,
      status: 'sent',
      totalCents: 66360,
      total: '663.60',
      createdBy: 'staff:xincheng-coord',
      note: '不含墙面修复',
    });
    expect(q.items[0]).toMatchObject({ name: '管沟内管道 DN32', quantity: 6, unitPriceCents: 9860, amountCents: 59160, unitPrice: '98.60' });
    const list = await send('GET', `/api/tickets/${t.number}/quotes`);
    expect(list.json().items.map((x: any) => x.number)).toEqual([q.number]);
    const answered = await send('POST', `/api/quotes/${q.number}/answer`, { accept: true, actor: 'agent01' });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json()).toMatchObject({ status: 'accepted', answeredBy: 'staff:agent01' });
    expect(answered.json().paidNumber).toMatch(/^P\d{8}-\d{4}$/);
    const again = await send('POST', `/api/quotes/${q.number}/answer`, { accept: false, actor: 'agent01' });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('quote_already_answered');
  });

  it('refuses absurd amounts with invalid_quote and the field, and stores nothing (422)', async () => {
    const t = await secondaryLeak();
    for (const [bad, field] of [
      [[{ name: '阀门', unit: '个', quantity: 1, unitPrice: -1 }], 'items[0].unitPrice'],
      [[{ name: '阀门', unit: '个', quantity: 0, unitPrice: 1 }], 'items[0].quantity'],
      [[{ name: '管道', unit: '米', quantity: 20000, unitPrice: 99 }], 'total'],
    ] as const) {
      const res = await send('POST', `/api/tickets/${t.number}/quotes`, { items: bad, actor: 'xincheng-coord' });
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json()).toMatchObject({ code: 'invalid_quote' });
      expect(JSON.stringify(res.json())).toContain(field);
    }
    expect((await send('GET', `/api/tickets/${t.number}/quotes`)).json().items).toEqual([]);
  });

  it('refuses another branch (403), an expired quote (409 quote_expired) and an unknown one (404)', async () => {
    const t = await secondaryLeak();
    const other = await send('POST', `/api/tickets/${t.number}/quotes`, { items, actor: 'huimin-field1' });
    expect(other.statusCode).toBe(403);
    const q = (await send('POST', `/api/tickets/${t.number}/quotes`, { items, actor: 'xincheng-field1' })).json();
    core.clock.advance(8 * 86_400_000);
    expect((await send('GET', `/api/tickets/${t.number}/quotes`)).json().items[0].status).toBe('expired');
    const late = await send('POST', `/api/quotes/${q.number}/answer`, { accept: true, actor: 'agent01' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('quote_expired');
    const none = await send('POST', `/api/quotes/Q-${t.number}-9/answer`, { accept: true, actor: 'agent01' });
    expect(none.statusCode).toBe(404);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await app.inject({ method: 'GET', url: '/docs/json', headers: auth });
    const paths = Object.keys(doc.json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/tickets/{number}/quotes', '/api/quotes/{number}/answer']));
  });
});
