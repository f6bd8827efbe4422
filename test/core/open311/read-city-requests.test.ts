/**
 * What a city platform reads through Open311 (GeoReport v2 GET requests, requests/{id} and the
 * updates feed): a ticket's status and note through its whole life, the expected time, the
 * default window and the filters, the limits, and the public view without conduct complaints.
 * Real database; tickets filed and moved by the use cases staff and residents use.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../../src/core/clock.js';
import { AppError } from '../../../src/core/errors.js';
import { getCityRequest } from '../../../src/core/open311/get-city-request.js';
import { listCityRequests } from '../../../src/core/open311/list-city-requests.js';
import { CURSOR_SETTLE_MS, listRequestUpdates } from '../../../src/core/open311/list-request-updates.js';
import { statusNoteOf } from '../../../src/core/open311/open311-status.js';
import { ticketsOfServices } from '../../../src/core/open311/request-view.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { recordCallback } from '../../../src/core/tickets/record-callback.js';
import { transitionTicket, type StepInput } from '../../../src/core/tickets/transition-ticket.js';
import { seedDemoCustomers } from '../../../src/db/seed-demo.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

const DAY = 24 * HOUR;
const START = '2026-11-28T06:00:00Z'; // 14:00 in Hohhot

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, message: e.message };
    throw e;
  }
  return { code: 'no error', message: '' };
}

const step = (core: TestCore, number: string, action: StepInput['action'], extra: Partial<StepInput> = {}) =>
  transitionTicket(core, { number, action, actor: 'staff:xincheng-field1', ...extra });

describe('a request through its whole life', () => {
  let core: TestCore;
  beforeAll(async () => {
    core = await makeTestCore({ start: START });
    await seedDemoCustomers(core);
  });
  afterAll(() => core?.close());

  it('reads open while the branch works on it, closed once it replied with the result, open again when reopened; the note follows each step', async () => {
    const t = await createTicket(core, hotlineComplaint());
    const read = () => getCityRequest(core, t.number, { publicView: false });

    let v = await read();
    expect(v).toMatchObject({
      number: t.number,
      serviceCode: 'no_heat',
      status: 'open',
      ticketStatus: 'dispatched',
      statusNote: { code: 'dispatched', branchId: 'xincheng' },
      branchId: 'xincheng',
      account: '1010000000',
      communityId: 'c001',
      description: '暖气不热，室温只有15度',
      lat: null,
      long: null,
      clientId: null,
      conduct: false,
    });
    expect(v.requestedAt.toISOString()).toBe('2026-11-28T06:00:00.000Z');
    // before anyone is on site, the platform may expect someone within the hour (R27)
    expect(v.expectedAt?.toISOString()).toBe('2026-11-28T07:00:00.000Z');

    core.clock.advance(5 * MINUTE);
    await step(core, t.number, 'accept');
    v = await read();
    expect([v.status, v.ticketStatus, v.statusNote.code, v.statusNote.at.toISOString()]).toEqual(['open', 'accepted', 'accepted', '2026-11-28T06:05:00.000Z']);

    core.clock.advance(35 * MINUTE);
    await step(core, t.number, 'arrive');
    v = await read();
    expect([v.status, v.statusNote.code]).toEqual(['open', 'on_site']);
    // someone is there: the next thing owed is the repair, within 24 hours of filing
    expect(v.expectedAt?.toISOString()).toBe('2026-11-29T06:00:00.000Z');

    core.clock.advance(50 * MINUTE);
    await step(core, t.number, 'resolve', { note: '暖气片排气后恢复正常' });
    v = await read();
    // the company's own callback follows; for the city the work is done
    expect([v.status, v.ticketStatus, v.statusNote.code, v.expectedAt]).toEqual(['closed', 'callback', 'callback', null]);
    expect(v.updatedAt.toISOString()).toBe('2026-11-28T07:30:00.000Z');

    core.clock.advance(HOUR);
    const cb = await core.db.callback.findFirstOrThrow({ where: { ticketId: t.id } });
    const out = await recordCallback(core, { callbackId: cb.id, actor: 'staff:agent01', reached: true, satisfaction: 'dissatisfied', comment: '还是不热' });
    expect(out.outcome).toBe('reopened');
    v = await read();
    expect(v).toMatchObject({ status: 'open', ticketStatus: 'dispatched', statusNote: { code: 'reopened', branchId: 'xincheng' } });
    expect(v.statusNote.at.toISOString()).toBe('2026-11-28T08:30:00.000Z');
    // the clock starts again: someone on site within the hour of the reopen
    expect(v.expectedAt?.toISOString()).toBe('2026-11-28T09:30:00.000Z');

    core.clock.advance(10 * MINUTE);
    await step(core, t.number, 'accept');
    v = await read();
    expect(v.statusNote.code).toBe('accepted');
  });

  it('names the branch a request was transferred to, and forgets the transfer once that branch takes a step', async () => {
    const t = await createTicket(core, hotlineComplaint());
    await transitionTicket(core, { number: t.number, action: 'transfer', actor: 'staff:xincheng-coord', branchId: 'huimin', note: '地址属回民区' });
    let v = await getCityRequest(core, t.number, { publicView: false });
    expect(v).toMatchObject({ status: 'open', ticketStatus: 'dispatched', branchId: 'huimin', statusNote: { code: 'transferred', branchId: 'huimin' } });
    await transitionTicket(core, { number: t.number, action: 'accept', actor: 'staff:huimin-field1' });
    v = await getCityRequest(core, t.number, { publicView: false });
    expect(v.statusNote).toMatchObject({ code: 'accepted', branchId: 'huimin' });
  });

  it('names the outage incident a request was linked to while that link stands', () => {
    const at = new Date(START);
    const linked = {
      id: 1,
      ticketId: 1,
      at,
      type: 'linked',
      actor: 'staff:agent01',
      fromStatus: 'dispatched',
      toStatus: 'accepted',
      note: null,
      data: '{"incidentId":3,"number":"I20261128-0003"}',
    };
    expect(statusNoteOf({ status: 'accepted', branchId: 'xincheng', createdAt: at }, linked)).toEqual({
      code: 'linked',
      branchId: 'xincheng',
      incidentNumber: 'I20261128-0003',
      at,
    });
    // resolved with the incident's restoration: the note is the status again
    expect(
      statusNoteOf({ status: 'resolved', branchId: 'xincheng', createdAt: at }, { ...linked, type: 'resolved', toStatus: 'resolved', data: null }),
    ).toEqual({
      code: 'resolved',
      branchId: 'xincheng',
      at,
    });
  });

  it('reads a cancelled request as closed, with nothing more to expect', async () => {
    const t = await createTicket(core, hotlineComplaint());
    await transitionTicket(core, { number: t.number, action: 'cancel', actor: 'staff:agent01', note: '居民撤回' });
    const v = await getCityRequest(core, t.number, { publicView: false });
    expect([v.status, v.ticketStatus, v.statusNote.code, v.expectedAt]).toEqual(['closed', 'cancelled', 'cancelled', null]);
  });

  it('answers ticket_not_found for a number that does not exist', async () => {
    expect((await refusal(getCityRequest(core, 'T20991231-9999', { publicView: false }))).code).toBe('ticket_not_found');
  });
});

describe('which requests a list holds', () => {
  let core: TestCore;
  let old: string;
  let noHeat: string;
  let leak: string;
  let closed: string;
  let conduct: string;
  let city: string;
  beforeAll(async () => {
    core = await makeTestCore({ start: '2026-08-01T02:00:00Z' });
    await seedDemoCustomers(core);
    old = (await createTicket(core, hotlineComplaint({ description: '一百多天前的报修' }))).number;
    core.clock.set('2026-11-18T02:00:00Z');
    noHeat = (await createTicket(core, hotlineComplaint())).number;
    core.clock.advance(HOUR);
    leak = (await createTicket(core, hotlineComplaint({ category: 'leak', description: '楼上跑水' }))).number;
    core.clock.advance(HOUR);
    closed = (await createTicket(core, hotlineComplaint({ description: '暖气不热' }))).number;
    await step(core, closed, 'accept');
    await step(core, closed, 'resolve', { note: '已修好' });
    core.clock.advance(HOUR);
    conduct = (await createTicket(core, hotlineComplaint({ category: 'staff_conduct', description: '维修工态度恶劣，还索要红包' }))).number;
    core.clock.advance(HOUR);
    const c = await createTicket(core, hotlineComplaint({ customerAccount: undefined, address: '幸福家园5号楼', description: '12345转来：暖气不热' }));
    city = c.number;
    await core.db.cityRequest.create({
      data: {
        ticketId: c.id,
        clientId: 'city12345',
        serviceCode: 'no_heat',
        addressString: '幸福家园5号楼',
        lat: 40.844,
        long: 111.69,
        mediaUrl: 'https://example.org/p/1.jpg',
        attributes: '{"room_temperature":"14"}',
        createdAt: c.createdAt,
      },
    });
    core.clock.set('2026-11-28T06:00:00Z');
  });
  afterAll(() => core?.close());

  const numbers = (vs: { number: string }[]) => vs.map((v) => v.number);

  it('lists the last 90 days by default, newest first, leaving out what was filed before', async () => {
    const vs = await listCityRequests(core, { publicView: false });
    expect(numbers(vs)).toEqual([city, conduct, closed, leak, noHeat]);
    expect(numbers(vs)).not.toContain(old);
  });

  it('shows what a city platform sent with its own request: where, the photo, and which client filed it', async () => {
    const [v] = await listCityRequests(core, { numbers: [city], publicView: false });
    expect(v).toMatchObject({ lat: 40.844, long: 111.69, mediaUrl: 'https://example.org/p/1.jpg', clientId: 'city12345', account: null });
    expect(v.address.addressString).toBe('幸福家园5号楼');
  });

  it('filters by service and by open or closed', async () => {
    expect(numbers(await listCityRequests(core, { serviceCodes: ['leak'], publicView: false }))).toEqual([leak]);
    expect(numbers(await listCityRequests(core, { serviceCodes: ['leak', 'staff_conduct'], publicView: false }))).toEqual([conduct, leak]);
    expect(numbers(await listCityRequests(core, { status: ['closed'], publicView: false }))).toEqual([closed]);
    expect(numbers(await listCityRequests(core, { status: ['open'], serviceCodes: ['no_heat'], publicView: false }))).toEqual([city, noHeat]);
    expect(numbers(await listCityRequests(core, { status: ['open', 'closed'], serviceCodes: ['no_heat'], publicView: false }))).toEqual([city, closed, noHeat]);
  });

  it('finds requests by number whenever they were filed, skipping numbers it does not know, with the other filters still applied', async () => {
    expect(numbers(await listCityRequests(core, { numbers: [old, 'T20991231-0001', leak], publicView: false }))).toEqual([leak, old]);
    expect(numbers(await listCityRequests(core, { numbers: [old, leak], serviceCodes: ['no_heat'], publicView: false }))).toEqual([old]);
    expect(numbers(await listCityRequests(core, { numbers: [old, leak], status: ['closed'], publicView: false }))).toEqual([]);
  });

  it('takes a window of dates: start alone reaches 90 days on, end alone 90 days back', async () => {
    const start = new Date('2026-07-31T00:00:00Z');
    expect(numbers(await listCityRequests(core, { start, publicView: false }))).toEqual([old]);
    expect(
      numbers(await listCityRequests(core, { start: new Date('2026-11-18T02:30:00Z'), end: new Date('2026-11-18T04:30:00Z'), publicView: false })),
    ).toEqual([closed, leak]);
    expect(numbers(await listCityRequests(core, { end: new Date('2026-10-01T00:00:00Z'), publicView: false }))).toEqual([old]);
  });

  it('refuses start after end, a window over 90 days, and more than 1,000 numbers', async () => {
    expect(
      await refusal(listCityRequests(core, { start: new Date('2026-11-20T00:00:00Z'), end: new Date('2026-11-19T00:00:00Z'), publicView: false })),
    ).toEqual({
      code: 'invalid_range',
      message: 'start_date is after end_date',
    });
    expect(await refusal(listCityRequests(core, { start: new Date('2026-08-01T00:00:00Z'), end: new Date('2026-11-28T00:00:00Z'), publicView: true }))).toEqual(
      {
        code: 'invalid_range',
        message: 'the range from start_date to end_date is 90 days at most',
      },
    );
    const many = Array.from({ length: 1001 }, (_, i) => `T20991231-${String(i).padStart(4, '0')}`);
    expect((await refusal(listCityRequests(core, { numbers: many, publicView: false }))).code).toBe('too_many_ids');
    expect(numbers(await listCityRequests(core, { numbers: [...many.slice(0, 999), leak], publicView: false }))).toEqual([leak]);
  });

  it('leaves complaints about staff conduct out of the public view entirely: not listed, not found by number, not in the feed', async () => {
    expect(numbers(await listCityRequests(core, { publicView: true }))).toEqual([city, closed, leak, noHeat]);
    expect(numbers(await listCityRequests(core, { numbers: [conduct, leak], publicView: true }))).toEqual([leak]);
    expect((await refusal(getCityRequest(core, conduct, { publicView: true }))).code).toBe('ticket_not_found');
    expect((await getCityRequest(core, conduct, { publicView: false })).conduct).toBe(true);
    const window = { start: new Date('2026-11-18T00:00:00Z'), end: new Date('2026-11-19T00:00:00Z') };
    expect(new Set((await listRequestUpdates(core, { ...window, publicView: false })).map((u) => u.number))).toContain(conduct);
    expect(new Set((await listRequestUpdates(core, { ...window, publicView: true })).map((u) => u.number))).not.toContain(conduct);
  });

  it('reads paid work as the service other, and suggestions and consultations as themselves', () => {
    expect(ticketsOfServices(['other'])).toEqual([{ kind: 'complaint', category: 'other' }, { kind: 'paid_service' }]);
    expect(ticketsOfServices(['suggestion', 'leak'])).toEqual([{ kind: 'complaint', category: 'leak' }, { kind: 'suggestion' }]);
  });
});

describe('a page of requests', () => {
  let core: TestCore;
  beforeAll(async () => {
    core = await makeTestCore({ start: START });
    // 1,005 tickets bulk-inserted (filing each through createTicket would take most of the run): what is read, not how it was filed
    const base = { kind: 'complaint', category: 'no_heat', source: 'hotline', description: '暖气不热', firstResponder: 'staff:agent01', status: 'received' };
    const t0 = new Date(START).getTime() - 1005 * MINUTE;
    const n = (i: number) => `T20261128-${String(i).padStart(4, '0')}`;
    await core.db.ticket.createMany({
      data: Array.from({ length: 1005 }, (_, i) => ({ ...base, number: n(i + 1), createdAt: new Date(t0 + i * MINUTE), updatedAt: new Date(t0 + i * MINUTE) })),
    });
    const ids = await core.db.ticket.findMany({ select: { id: true, createdAt: true } });
    await core.db.ticketEvent.createMany({
      data: ids.map((t) => ({ ticketId: t.id, at: t.createdAt, type: 'created', actor: 'staff:agent01', toStatus: 'received' })),
    });
  });
  afterAll(() => core?.close());

  it('holds the 1,000 newest of 1,005, each with its latest step', async () => {
    const vs = await listCityRequests(core, { publicView: true });
    expect(vs).toHaveLength(1000);
    expect(vs[0].number).toBe('T20261128-1005');
    expect(vs[999].number).toBe('T20261128-0006');
    expect(vs.every((v) => v.statusNote.code === 'received' && v.statusNote.at.getTime() === v.requestedAt.getTime())).toBe(true);
  });
});

describe('the updates feed', () => {
  let core: TestCore;
  beforeAll(async () => {
    core = await makeTestCore({ start: START });
    await seedDemoCustomers(core);
  });
  afterAll(() => core?.close());

  it('gives each step once to a platform polling with its cursor, oldest first, and none of the steps that change no status', async () => {
    const a = await createTicket(core, hotlineComplaint());
    core.clock.advance(MINUTE);
    const b = await createTicket(core, hotlineComplaint({ category: 'leak', description: '楼上跑水' }));
    core.clock.advance(MINUTE);
    let seen = await listRequestUpdates(core, { publicView: false });
    expect(seen.map((u) => `${u.number} ${u.note.code} ${u.status}`)).toEqual([
      `${a.number} received open`,
      `${a.number} dispatched open`,
      `${b.number} received open`,
      `${b.number} dispatched open`,
    ]);
    expect(seen[1]).toMatchObject({ serviceCode: 'no_heat', ticketStatus: 'dispatched', note: { branchId: 'xincheng' } });

    // a routing within the branch keeps the status: no update
    await step(core, a.number, 'route', { actor: 'staff:xincheng-coord', unitKind: 'service_office' });
    await step(core, a.number, 'accept');
    core.clock.advance(MINUTE);
    await step(core, b.number, 'accept');
    await step(core, a.number, 'resolve', { note: '已修好' });
    const cursor = seen[seen.length - 1].id;
    // steps younger than the settle time wait for the next poll by cursor (a lower id may still be committing)
    const settled = await listRequestUpdates(core, { after: cursor, publicView: false });
    expect(settled.map((u) => `${u.number} ${u.note.code}`)).toEqual([`${a.number} accepted`]);
    core.clock.advance(CURSOR_SETTLE_MS);
    const next = await listRequestUpdates(core, { after: cursor, publicView: false });
    expect(next.map((u) => `${u.number} ${u.note.code} ${u.status}`)).toEqual([
      `${a.number} accepted open`,
      `${b.number} accepted open`,
      `${a.number} resolved closed`,
      `${a.number} callback closed`,
    ]);
    expect(next.every((u) => u.id > cursor)).toBe(true);
    expect(await listRequestUpdates(core, { after: next[next.length - 1].id, publicView: false })).toEqual([]);

    // paging two at a time with the cursor gives the same steps, each once
    seen = [];
    let after: number | undefined;
    for (;;) {
      const page = await listRequestUpdates(core, { after, limit: 2, start: new Date(START), publicView: false });
      if (!page.length) break;
      seen.push(...page);
      after = page[page.length - 1].id;
    }
    expect(seen).toHaveLength(8);
    expect(new Set(seen.map((u) => u.id)).size).toBe(8);
  });

  it('reads the last day by default, and refuses a window over 90 days or backwards', async () => {
    core.clock.advance(2 * DAY);
    expect(await listRequestUpdates(core, { publicView: false })).toEqual([]);
    expect((await listRequestUpdates(core, { start: new Date(START), publicView: false })).length).toBeGreaterThan(0);
    // a platform away for two days still gets what came after its cursor
    expect((await listRequestUpdates(core, { after: 0, publicView: false })).length).toBe(8);
    expect((await refusal(listRequestUpdates(core, { start: new Date('2026-08-01T00:00:00Z'), end: new Date(START), publicView: false }))).code).toBe(
      'invalid_range',
    );
    expect(await refusal(listRequestUpdates(core, { start: new Date(START), end: new Date('2026-11-27T00:00:00Z'), publicView: false }))).toEqual({
      code: 'invalid_range',
      message: 'start_date is after end_date',
    });
  });
});
