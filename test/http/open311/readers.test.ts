/**
 * Who reads what: a read key sees the full request; a caller without credentials sees the
 * public view (when the organisation allows it) with nothing personal; English on request;
 * the OpenAPI document lists the routes; a repeated Idempotency-Key files once.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCustomers } from '../../../src/db/seed-demo.js';
import { auth } from '../../helpers/app.js';
import type { TestCore } from '../../helpers/core.js';
import { BI_TOKEN, bearer, CITY_TOKEN, form, makeOpen311App, PUSH_TOKEN, stored } from './setup.js';

let app: FastifyInstance;
let core: TestCore;
let id: string;
let staffComplaint: string;
beforeAll(async () => {
  ({ app, core } = await makeOpen311App());
  await seedDemoCustomers(core);
  id = await file({
    service_code: 'no_heat',
    address_id: '1010000000',
    description: '王阿姨家暖气不热，电话15260181590',
    phone: '15260181590',
    email: 'wang@example.com',
    media_url: 'https://city.example.gov.cn/media/1.jpg',
    lat: '40.8441',
    long: '111.6902',
  });
  staffComplaint = await file({ service_code: 'staff_conduct', address_string: '幸福家园', description: '维修工态度恶劣' });
});
afterAll(async () => {
  await app.close();
  await core.close();
});

async function file(fields: Record<string, string>): Promise<string> {
  const f = form({ api_key: CITY_TOKEN, ...fields });
  const res = await app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: f.body, headers: f.headers });
  expect(res.statusCode).toBe(200);
  return res.json()[0].service_request_id;
}

describe('the full view and the public view', () => {
  it('a read key sees the request as filed: description, address, account, point, media', async () => {
    const [req] = (await app.inject({ url: `/open311/v2/requests/${id}.json`, headers: bearer(BI_TOKEN) })).json();
    expect(req).toMatchObject({
      description: '王阿姨家暖气不热，电话15260181590',
      address: '幸福家园17号楼2单元201室',
      address_id: '1010000000',
      lat: 40.8441,
      long: 111.6902,
      media_url: 'https://city.example.gov.cn/media/1.jpg',
      agency_responsible: '新城供热分公司',
    });
  });

  it('without credentials: no description, the community as address, its location, no account, no media', async () => {
    const [req] = (await app.inject({ url: `/open311/v2/requests/${id}.json` })).json();
    expect(req).toMatchObject({
      service_request_id: id,
      status: 'open',
      description: null,
      address: '幸福家园',
      address_id: null,
      lat: 40.844,
      long: 111.69,
      media_url: null,
      zipcode: null,
    });
    const body = JSON.stringify(req);
    for (const secret of ['15260181590', '王', '17号楼', 'wang@example.com', '1010000000']) expect(body).not.toContain(secret);
  });

  it('a complaint about staff conduct is never in the public view, and is in the full one', async () => {
    const open = (await app.inject({ url: '/open311/v2/requests.json' })).json();
    expect(open.map((r: { service_request_id: string }) => r.service_request_id)).toContain(id);
    expect(open.map((r: { service_request_id: string }) => r.service_request_id)).not.toContain(staffComplaint);
    expect((await app.inject({ url: `/open311/v2/requests/${staffComplaint}.json` })).statusCode).toBe(404);
    expect((await app.inject({ url: `/open311/v2/requests/${staffComplaint}.json`, headers: bearer(CITY_TOKEN) })).statusCode).toBe(200);
  });

  it('a wrong Bearer token is 403, a write-only one too; the operator token reads', async () => {
    expect((await app.inject({ url: '/open311/v2/requests.json', headers: bearer('wrong-0123456789-abcdefghijklmnopqrstu') })).statusCode).toBe(403);
    const push = await app.inject({ url: '/open311/v2/requests.json', headers: bearer(PUSH_TOKEN) });
    expect(push.statusCode).toBe(403);
    expect(push.json()[0].description.startsWith('insufficient_scope: ')).toBe(true);
    expect((await app.inject({ url: '/open311/v2/servicerequestupdates.json', headers: auth })).statusCode).toBe(200);
  });

  it('with publicReads off, reading without credentials is 403 and the services list stays open', async () => {
    const closed = await makeOpen311App({ serviceAreaKm: 5, publicReads: false });
    try {
      for (const path of ['requests.json', 'requests/T20261207-0001.xml', 'servicerequestupdates.json']) {
        const res = await closed.app.inject({ url: `/open311/v2/${path}` });
        expect(res.statusCode).toBe(403);
        expect(res.body).toContain('public_reads_off: ');
      }
      expect((await closed.app.inject({ url: '/open311/v2/services.json' })).statusCode).toBe(200);
      expect((await closed.app.inject({ url: '/open311/v2/requests.json', headers: bearer(BI_TOKEN) })).statusCode).toBe(200);
    } finally {
      await closed.app.close();
      await closed.core.close();
    }
  });
});

describe('language', () => {
  it('Accept-Language: en names services, groups, attributes and notes in English', async () => {
    const en = { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' };
    const services = (await app.inject({ url: '/open311/v2/services.json', headers: en })).json();
    expect(services[0]).toMatchObject({ service_name: 'No heat', group: 'Repairs' });
    const def = (await app.inject({ url: '/open311/v2/services/no_heat.json', headers: en })).json();
    expect(def.attributes[1]).toMatchObject({
      code: 'extent',
      description: 'How far it reaches',
      values: [{ key: 'flat', name: 'This flat only' }, { key: 'building' }, { key: 'community' }],
    });
    const [req] = (await app.inject({ url: `/open311/v2/requests/${id}.json`, headers: en })).json();
    expect(req).toMatchObject({ service_name: 'No heat', agency_responsible: 'Xincheng Branch', status_notes: 'Sent to Xincheng Branch.' });
  });

  it('the locale parameter wins over the header, and errors are worded in it', async () => {
    const res = await app.inject({ url: '/open311/v2/services/pothole.json?locale=en', headers: { 'accept-language': 'zh-CN' } });
    expect(res.json()).toEqual([{ code: 404, description: 'unknown_service: there is no such service (service_code).' }]);
    const zh = await app.inject({ url: '/open311/v2/services.json', headers: { 'accept-language': 'fr, de' } });
    expect(zh.json()[0].service_name).toBe('暖气不热');
  });
});

describe('Idempotency-Key', () => {
  it('the same key twice files one ticket and answers the first request again', async () => {
    const f = form({ api_key: CITY_TOKEN, service_code: 'no_heat', address_string: '兴安花园2号楼', description: '不热' });
    const send = (format: 'json' | 'xml') =>
      app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, payload: f.body, headers: { ...f.headers, 'idempotency-key': 'city-4711' } });
    const first = await send('json');
    expect(first.statusCode).toBe(200);
    const before = await stored(core);
    const again = await send('json');
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual([{ service_request_id: first.json()[0].service_request_id, service_notice: expect.any(String), account_id: null }]);
    expect((await send('xml')).body).toContain(`<service_request_id>${first.json()[0].service_request_id}</service_request_id>`);
    expect(await stored(core)).toEqual(before);
    // another client's same key is its own request
    const other = form({ api_key: PUSH_TOKEN, service_code: 'no_heat', address_string: '兴安花园2号楼', description: '不热' });
    const theirs = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: other.body,
      headers: { ...other.headers, 'idempotency-key': 'city-4711' },
    });
    expect(theirs.json()[0].service_request_id).not.toBe(first.json()[0].service_request_id);
    const long = await app.inject({
      method: 'POST',
      url: '/open311/v2/requests.json',
      payload: f.body,
      headers: { ...f.headers, 'idempotency-key': 'k'.repeat(101) },
    });
    expect(long.statusCode).toBe(400);
    expect(long.json()[0].description.startsWith('idempotency_key_invalid: ')).toBe(true);
  });
});

describe('the OpenAPI document', () => {
  it('lists every Open311 route under the open311 tag', async () => {
    const doc = (await app.inject({ url: '/docs/json', headers: auth })).json();
    for (const path of [
      '/open311/v2/services.{format}',
      '/open311/v2/services/{code}.{format}',
      '/open311/v2/requests.{format}',
      '/open311/v2/requests/{id}.{format}',
      '/open311/v2/servicerequestupdates.{format}',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
      const ops = Object.values(doc.paths[path]) as { tags: string[]; summary: string }[];
      for (const op of ops) expect(op).toMatchObject({ tags: ['open311'], summary: expect.any(String) });
    }
    expect(doc.paths['/open311/v2/requests.{format}'].post).toBeDefined();
  });
});
