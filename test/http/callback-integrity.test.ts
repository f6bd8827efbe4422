/**
 * R28, R29 through the API: a "not reached" callback attempt counts only 2 h after the last counted
 * one, and a close cannot carry a satisfaction nobody gave in an answered callback.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../src/core/clock.js';
import { auth, makeTestApp } from '../helpers/app.js';
import type { TestCore } from '../helpers/core.js';

let app: FastifyInstance;
let core: TestCore;
beforeAll(async () => {
  ({ app, core } = await makeTestApp());
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const post = (url: string, payload: unknown) => app.inject({ method: 'POST', url, payload: payload as any, headers: auth });

/** A hotline complaint taken through to its callback; returns its number and pending callback id. */
async function resolvedComplaint(phone: string): Promise<{ number: string; callbackId: number }> {
  const t = (
    await post('/api/tickets', {
      kind: 'complaint',
      category: 'no_heat',
      source: 'hotline',
      description: '暖气不热',
      firstResponder: 'agent01',
      communityId: 'c001',
      contactPhone: phone,
    })
  ).json();
  for (const body of [{ action: 'accept' }, { action: 'arrive' }, { action: 'resolve', note: '已排气' }]) {
    const res = await post(`/api/tickets/${t.number}/transitions`, { actor: 'xincheng-field1', ...body });
    expect(res.statusCode, res.body).toBe(200);
  }
  const cb = await core.db.callback.findFirstOrThrow({ where: { ticket: { number: t.number }, status: 'pending' } });
  return { number: t.number, callbackId: cb.id };
}

describe('POST /api/callbacks/:id not reached (R28)', () => {
  it('refuses an attempt within 2 h of the last counted one with 409 callback_retry_too_soon and when the next counts', async () => {
    const { number, callbackId } = await resolvedComplaint('13700000001');
    const first = await post(`/api/callbacks/${callbackId}`, { actor: 'agent02', reached: false });
    expect(first.json()).toMatchObject({ outcome: 'attempt_recorded' });
    const firstAt = core.clock.now();
    core.clock.advance(30 * MINUTE);
    const soon = await post(`/api/callbacks/${callbackId}`, { actor: 'agent02', reached: false });
    expect(soon.statusCode).toBe(409);
    expect(soon.json()).toMatchObject({ code: 'callback_retry_too_soon', nextAt: new Date(firstAt.getTime() + 2 * HOUR).toISOString() });
    const view = (await app.inject({ method: 'GET', url: `/api/tickets/${number}`, headers: auth })).json();
    expect(view.callbacks[0]).toMatchObject({ status: 'pending', attempts: 1, lastAttemptAt: firstAt.toISOString() });
    core.clock.advance(90 * MINUTE);
    expect((await post(`/api/callbacks/${callbackId}`, { actor: 'agent02', reached: false })).json()).toMatchObject({ outcome: 'attempt_recorded' });
    core.clock.advance(2 * HOUR);
    const third = await post(`/api/callbacks/${callbackId}`, { actor: 'agent02', reached: false });
    expect(third.json()).toMatchObject({ outcome: 'unreachable', ticket: { status: 'closed' } });
  });
});

describe('POST /api/tickets/:number/transitions close with a satisfaction (R28, R29)', () => {
  it('is refused with 409 callback_not_answered while the callback is pending, and the ticket stays as it was', async () => {
    const { number } = await resolvedComplaint('13700000002');
    const res = await post(`/api/tickets/${number}/transitions`, { actor: 'agent01', action: 'close', satisfaction: 'satisfied' });
    expect(res.statusCode).toBe(409);
    expect(res.json().code).toBe('callback_not_answered');
    const t = await core.db.ticket.findUniqueOrThrow({ where: { number } });
    expect([t.status, t.satisfaction]).toEqual(['callback', null]);
  });
});
