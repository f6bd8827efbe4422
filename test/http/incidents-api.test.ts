import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkTicket } from '../../src/core/incidents/link-ticket.js';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { auth, makeTestApp } from '../helpers/app.js';
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

const send = (method: 'POST' | 'PATCH' | 'GET', url: string, payload?: unknown) => app.inject({ method, url, payload: payload as any, headers: auth });
const later = (h: number) => new Date(core.clock.now().getTime() + h * 3600_000).toISOString();

describe('the incidents API', () => {
  let number: string;

  it('declares an incident over a station (201) and answers the same area again with it (200)', async () => {
    const res = await send('POST', '/api/incidents', {
      stationIds: ['HX-XI02'],
      scope: 'station',
      cause: '换热站循环泵故障',
      expectedAt: later(3),
      actor: 'xincheng-coord',
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    number = body.number;
    expect(body).toMatchObject({ status: 'open', communityIds: ['c001', 'c005', 'c009'], linkedCount: 0, declaredBy: 'staff:xincheng-coord' });
    expect(body.communities[0]).toEqual({ id: 'c001', name: '幸福家园' });
    expect(body.timeline.map((e: any) => e.type)).toEqual(['declared']);
    const again = await send('POST', '/api/incidents', { communityIds: ['c001'], scope: 'community', cause: '同上' });
    expect(again.statusCode).toBe(200);
    expect(again.json().number).toBe(number);
  });

  it('refuses bad declarations with a code: overlap, unknown station, past time, no area, a staff member of another branch', async () => {
    const cases: [object, number, string][] = [
      [{ communityIds: ['c001', 'c002'], scope: 'community', cause: 'x' }, 409, 'incident_overlaps'],
      [{ stationIds: ['HX-NOPE'], scope: 'station', cause: 'x' }, 422, 'unknown_station'],
      [{ communityIds: ['c002'], scope: 'community', cause: 'x', expectedAt: later(-1) }, 422, 'expected_time_past'],
      [{ scope: 'community', cause: 'x' }, 400, 'validation_failed'],
      [{ communityIds: ['c002'], scope: 'everything', cause: 'x' }, 400, 'validation_failed'],
      [{ communityIds: ['c010'], scope: 'community', cause: 'x', actor: 'xincheng-coord' }, 403, 'forbidden'],
    ];
    for (const [body, status, code] of cases) {
      const res = await send('POST', '/api/incidents', body);
      expect([res.statusCode, res.json().code], JSON.stringify(body)).toEqual([status, code]);
    }
    expect((await send('GET', '/api/incidents?status=open')).json().total).toBe(1);
  });

  it('lists incidents with their linked count and shows one with its linked reports', async () => {
    const filed = await send('POST', '/api/tickets', {
      kind: 'complaint',
      category: 'no_heat',
      source: 'hotline',
      description: '暖气不热',
      firstResponder: 'agent01',
      customerAccount: '1010000000',
    });
    expect(filed.statusCode).toBe(201);
    const ticket = filed.json();
    // a hotline report is linked by staff (the bot links a resident's own report at intake)
    const { id } = await core.db.ticket.findUniqueOrThrow({ where: { number: ticket.number } });
    await linkTicket(core, { ticketId: id, incidentId: number, actor: 'staff:xincheng-coord', reason: '同一换热站' });
    const list = (await send('GET', '/api/incidents')).json();
    expect(list.items.map((i: any) => [i.number, i.linkedCount])).toEqual([[number, 1]]);
    const one = await send('GET', `/api/incidents/${number}`);
    expect(one.statusCode).toBe(200);
    expect(one.json().linked.map((t: any) => t.number)).toEqual([ticket.number]);
    expect((await send('GET', '/api/incidents/I20991231-01')).json().code).toBe('incident_not_found');
  });

  it('changes the expected time, then restores the incident once (409 the second time)', async () => {
    const patched = await send('PATCH', `/api/incidents/${number}`, { expectedAt: later(5), note: '配件已到' });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().timeline.map((e: any) => e.type)).toEqual(['declared', 'linked', 'updated']);
    const restored = await send('POST', `/api/incidents/${number}/restore`, { note: '循环泵已更换' });
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json()).toMatchObject({ status: 'restored' });
    const twice = await send('POST', `/api/incidents/${number}/restore`, {});
    expect([twice.statusCode, twice.json().code]).toEqual([409, 'invalid_transition']);
  });

  it('is in the OpenAPI document', async () => {
    const paths = Object.keys((await send('GET', '/docs/json')).json().paths);
    expect(paths).toEqual(expect.arrayContaining(['/api/incidents', '/api/incidents/{ref}', '/api/incidents/{ref}/restore']));
  });
});
