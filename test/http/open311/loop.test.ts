/**
 * The whole loop an Open311 client runs, over real HTTP on loopback, in both formats: list the
 * services, read a definition, file a request, poll it, the branch resolves it, the request
 * reads closed with its note and the updates feed shows the change. Every answer has the
 * fields and elements of the specification's own examples.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import type { TestCore } from '../../helpers/core.js';
import { CITY_TOKEN, makeOpen311App } from './setup.js';
import { fixture, parseXml, shape } from './spec-shape.js';

let app: FastifyInstance;
let core: TestCore;
let base: string;
beforeAll(async () => {
  ({ app, core } = await makeOpen311App());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  base = `http://127.0.0.1:${addr.port}/open311/v2`;
});
afterAll(async () => {
  await app.close();
  await core.close();
});

const city = { authorization: `Bearer ${CITY_TOKEN}` };
// the branch replied with its result and the centre's callback follows: closed for the city
const CLOSED_NOTE = '新城供热分公司已处理完毕，客服中心正在回访。';

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/${path}`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

async function file(format: 'json' | 'xml', fields: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/requests.${format}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The branch does the work: accepts, arrives, resolves with its result. */
async function branchResolves(number: string) {
  await transitionTicket(core, { number, action: 'accept', actor: 'staff:xincheng-field1' });
  core.clock.advance(40 * 60_000);
  await transitionTicket(core, { number, action: 'arrive', actor: 'staff:xincheng-field1' });
  core.clock.advance(60 * 60_000);
  await transitionTicket(core, { number, action: 'resolve', actor: 'staff:xincheng-field1', note: '已更换阀门，室温恢复' });
}

describe('an Open311 client runs the whole loop', () => {
  it('in JSON: services, definition, file, poll, resolved, closed in the request and the updates feed', async () => {
    const services = await get('services.json');
    expect(services.status).toBe(200);
    expect(services.type).toBe('application/json; charset=utf-8');
    const list = JSON.parse(services.text);
    expect(shape(list)).toEqual(shape(JSON.parse(fixture('services.json'))));
    expect(list.map((s: { service_code: string }) => s.service_code)).toEqual([
      'no_heat',
      'leak',
      'noise_pressure',
      'billing',
      'staff_conduct',
      'other',
      'suggestion',
      'consultation',
    ]);
    expect(list[0]).toMatchObject({ service_code: 'no_heat', service_name: '暖气不热', metadata: true, type: 'realtime', group: '报修' });
    expect(list.find((s: { service_code: string }) => s.service_code === 'billing').metadata).toBe(false);

    const def = await get('services/leak.json');
    expect(shape(JSON.parse(def.text))).toEqual(shape(JSON.parse(fixture('service-definition.json'))));
    expect(JSON.parse(def.text).attributes[0]).toMatchObject({
      variable: true,
      code: 'water_running',
      datatype: 'singlevaluelist',
      required: true,
      order: 1,
      values: [
        { key: 'yes', name: '是，仍在跑水' },
        { key: 'no', name: '否，已止住' },
      ],
    });

    const filed = await file('json', {
      api_key: CITY_TOKEN,
      jurisdiction_id: 'huhhot.gov.cn',
      service_code: 'no_heat',
      address_string: '幸福家园3号楼2单元501',
      description: '家里暖气不热，只有十四度',
      first_name: '伟',
      last_name: '张',
      phone: '13800001234',
      'attribute[room_temperature]': '14',
    });
    expect(filed.status).toBe(200);
    const answer = JSON.parse(filed.text);
    expect(shape(answer)).toEqual(shape(JSON.parse(fixture('post-request.json'))));
    const id = answer[0].service_request_id as string;
    expect(id).toMatch(/^T20261207-\d{4}$/);
    expect(answer[0].service_notice).toBe('已受理，新城供热分公司将在1小时内上门处理。');
    const ticket = await core.db.ticket.findUniqueOrThrow({ where: { number: id } });
    expect(ticket).toMatchObject({ source: 'city_platform', firstResponder: 'api:city', branchId: 'xincheng', communityId: 'c001', contactName: '张伟' });

    const polled = JSON.parse((await get(`requests/${id}.json`, city)).text);
    expect(shape(polled)).toEqual(shape(JSON.parse(fixture('requests.json'))));
    expect(polled[0]).toMatchObject({
      service_request_id: id,
      status: 'open',
      service_code: 'no_heat',
      service_name: '暖气不热',
      description: '家里暖气不热，只有十四度',
      agency_responsible: '新城供热分公司',
      address: '幸福家园3号楼2单元501',
      requested_datetime: '2026-12-07T19:00:00+08:00',
      expected_datetime: '2026-12-07T20:00:00+08:00',
    });

    await branchResolves(id);
    const closed = JSON.parse((await get(`requests/${id}.json`, city)).text)[0];
    expect(closed).toMatchObject({ status: 'closed', status_notes: CLOSED_NOTE, expected_datetime: null, updated_datetime: '2026-12-07T20:40:00+08:00' });

    const feed = JSON.parse((await get('servicerequestupdates.json', city)).text);
    expect(shape(feed)).toEqual(shape(JSON.parse(fixture('servicerequestupdates.json'))));
    const mine = feed.filter((u: { service_request_id: string }) => u.service_request_id === id);
    expect(mine.at(-1)).toMatchObject({ status: 'closed', updated_datetime: '2026-12-07T20:40:00+08:00', description: CLOSED_NOTE });
    // polling after the last update_id seen: nothing new
    const after = JSON.parse((await get(`servicerequestupdates.json?after=${mine.at(-1).update_id}`, city)).text);
    expect(after).toEqual([]);
  });

  it('in XML: the same loop, every document well-formed with the specification’s elements', async () => {
    const services = await get('services.xml');
    expect(services.type).toBe('text/xml; charset=utf-8');
    expect(services.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
    expect(shape(parseXml(services.text))).toEqual(shape(parseXml(fixture('services.xml'))));

    const def = await get('services/leak.xml');
    expect(shape(parseXml(def.text))).toEqual(shape(parseXml(fixture('service-definition.xml'))));

    const filed = await file(
      'xml',
      {
        service_code: 'leak',
        lat: '40.8441',
        long: '111.6902',
        description: '楼道暖气管跑水',
        'attribute[water_running]': 'yes',
        'attribute[leak_place]': 'stairwell',
      },
      city,
    );
    expect(filed.status).toBe(200);
    const answer = parseXml(filed.text);
    expect(shape(answer)).toEqual(shape(parseXml(fixture('post-request.xml'))));
    const id = (answer.service_requests as { request: { service_request_id: string }[] }).request[0].service_request_id;

    const list = await get(`requests.xml?service_request_id=${id}`, city);
    const doc = parseXml(list.text);
    expect(shape(doc)).toEqual(shape(parseXml(fixture('requests.xml'))));
    const req = (doc.service_requests as { request: Record<string, string>[] }).request[0];
    expect(req).toMatchObject({ service_request_id: id, status: 'open', service_code: 'leak', lat: '40.8441', long: '111.6902' });

    await branchResolves(id);
    const closed = (parseXml((await get(`requests/${id}.xml`, city)).text).service_requests as { request: Record<string, string>[] }).request[0];
    expect(closed).toMatchObject({ status: 'closed', status_notes: CLOSED_NOTE, expected_datetime: '' });

    const feed = parseXml((await get('servicerequestupdates.xml', city)).text);
    expect(shape(feed)).toEqual(shape(parseXml(fixture('servicerequestupdates.xml'))));
    const mine = (feed.service_request_updates as { request_update: Record<string, string>[] }).request_update.filter((u) => u.service_request_id === id);
    expect(mine.at(-1)).toMatchObject({ status: 'closed' });
  });
});
