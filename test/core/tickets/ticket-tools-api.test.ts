/**
 * The staff tools through the tickets API (POST /api/tickets/{number}/transitions): the reason is
 * required for a duplicate and a cancel, the original is checked, and the system's own step
 * (a duplicate following its original) is not a client's to send.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCustomers } from '../../../src/db/seed-demo.js';
import { auth, makeTestApp } from '../../helpers/app.js';
import type { TestCore } from '../../helpers/core.js';

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

const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as any, headers: auth });
const report = async (account = '1010000000') =>
  (
    await post('/api/tickets', {
      kind: 'complaint',
      category: 'no_heat',
      source: 'hotline',
      description: '暖气不热',
      firstResponder: 'agent01',
      customerAccount: account,
    })
  ).json() as { number: string };
const step = (number: string, body: Record<string, unknown>) => post(`/api/tickets/${number}/transitions`, { actor: 'xincheng-coord', ...body });

describe('the staff tools in the tickets API', () => {
  it('wants a reason and a real original for a duplicate, then marks it', async () => {
    const a = await report();
    const b = await report('1010332640');
    const noReason = await step(b.number, { action: 'mark_duplicate', duplicateOf: a.number });
    expect([noReason.statusCode, noReason.json().code]).toEqual([400, 'validation_failed']);
    const itself = await step(b.number, { action: 'mark_duplicate', duplicateOf: b.number, note: '同一故障' });
    expect([itself.statusCode, itself.json().code]).toEqual([422, 'duplicate_of_self']);
    const missing = await step(b.number, { action: 'mark_duplicate', duplicateOf: 'T20991231-9999', note: '同一故障' });
    expect([missing.statusCode, missing.json().code]).toEqual([404, 'ticket_not_found']);
    const ok = await step(b.number, { action: 'mark_duplicate', duplicateOf: a.number, note: '同一故障' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().status).toBe('duplicate');
    const cancel = await step(a.number, { action: 'cancel', note: '住户撤回' });
    expect([cancel.statusCode, cancel.json().code]).toEqual([409, 'has_duplicates']);
  });

  it('does not take the system’s follow_original step from a client', async () => {
    const a = await report();
    const res = await step(a.number, { action: 'follow_original' });
    expect(res.statusCode).toBe(400);
    expect((await core.db.ticket.findUniqueOrThrow({ where: { number: a.number } })).status).toBe('dispatched');
  });
});
