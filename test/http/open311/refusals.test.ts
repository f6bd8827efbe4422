/**
 * Every bad input of the Open311 API is refused in the specification's error format
 * ([{code, description}], <errors><error>), with our code first in the description, and stores
 * nothing.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCore } from '../../helpers/core.js';
import { BI_TOKEN, bearer, CITY_TOKEN, form, makeOpen311App, PUSH_TOKEN, stored } from './setup.js';
import { fixture, parseXml, shape } from './spec-shape.js';

let app: FastifyInstance;
let core: TestCore;
beforeAll(async () => {
  ({ app, core } = await makeOpen311App());
});
afterAll(async () => {
  await app.close();
  await core.close();
});

const good = { service_code: 'no_heat', address_string: '幸福家园3号楼2单元501', description: '暖气不热' };

function post(fields: Record<string, string | string[]>, format: 'json' | 'xml' = 'json', headers: Record<string, string> = {}) {
  const f = form(fields);
  return app.inject({ method: 'POST', url: `/open311/v2/requests.${format}`, payload: f.body, headers: { ...f.headers, ...headers } });
}

/** The one error of a JSON answer, checked against the specification's shape. */
function jsonError(body: string): { code: number; description: string } {
  const errors = JSON.parse(body);
  expect(shape(errors)).toEqual(shape(JSON.parse(fixture('errors.json'))));
  expect(errors).toHaveLength(1);
  return errors[0];
}

function xmlError(body: string): { code: string; description: string } {
  const doc = parseXml(body);
  expect(shape(doc)).toEqual(shape(parseXml(fixture('errors.xml'))));
  return (doc.errors as { error: { code: string; description: string }[] }).error[0];
}

describe('filing refusals store nothing', () => {
  it.each([
    ['an unknown service_code', { ...good, service_code: 'pothole' }, 400, 'unknown_service'],
    ['no location at all', { service_code: 'no_heat', description: '暖气不热' }, 400, 'location_required'],
    [
      'a point outside the service area (Beijing)',
      { service_code: 'no_heat', lat: '39.9042', long: '116.4074', description: '暖气不热' },
      400,
      'outside_service_area',
    ],
    ['a lat that is not a number', { ...good, lat: 'north', long: '111.69' }, 400, 'validation_failed'],
    ['an address_id that is no heating account', { service_code: 'no_heat', address_id: '9999999999', description: '暖气不热' }, 400, 'customer_not_found'],
    ['a required attribute missing', { service_code: 'leak', address_string: '幸福家园', description: '跑水' }, 400, 'attribute_required'],
    [
      'a value not in the list',
      { service_code: 'leak', address_string: '幸福家园', description: '跑水', 'attribute[water_running]': 'maybe' },
      400,
      'invalid_attribute',
    ],
    ['no description', { service_code: 'no_heat', address_string: '幸福家园' }, 400, 'validation_failed'],
  ])('%s', async (_name, fields, status, code) => {
    const before = await stored(core);
    const res = await post({ api_key: CITY_TOKEN, ...fields });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const err = jsonError(res.body);
    expect(err.code).toBe(status);
    expect(err.description.startsWith(`${code}: `)).toBe(true);
    expect(await stored(core)).toEqual(before);
  });

  it('names the attribute and the field in the words', async () => {
    const missing = jsonError((await post({ api_key: CITY_TOKEN, service_code: 'leak', address_string: '幸福家园', description: '跑水' })).body);
    expect(missing.description).toBe('attribute_required: 缺少必填属性 water_running。');
    const noText = jsonError((await post({ api_key: CITY_TOKEN, service_code: 'no_heat', address_string: '幸福家园' })).body);
    expect(noText.description).toBe('validation_failed: 参数 description 无效。');
  });

  it('in XML too', async () => {
    const res = await post({ api_key: CITY_TOKEN, ...good, service_code: 'pothole' }, 'xml');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    expect(xmlError(res.body)).toEqual({ code: '400', description: 'unknown_service: 没有这项服务（service_code）。' });
  });
});

describe('keys', () => {
  it.each([
    ['no key', {}, 'api_key_required'],
    ['a wrong key', { api_key: 'not-a-key-0123456789-abcdefghijklmnop' }, 'api_key_invalid'],
    ['a read-only key', { api_key: BI_TOKEN }, 'insufficient_scope'],
  ])('%s is 403 and files nothing', async (_name, key, code) => {
    const before = await stored(core);
    const res = await post({ ...key, ...good }, 'xml');
    expect(res.statusCode).toBe(403);
    const err = xmlError(res.body);
    expect(err.code).toBe('403');
    expect(err.description.startsWith(`${code}: `)).toBe(true);
    expect(await stored(core)).toEqual(before);
  });

  it('a wrong Bearer header is 403 too; a write-only key files', async () => {
    expect((await post(good, 'json', bearer('nope-0123456789-abcdefghijklmnopqrstu'))).statusCode).toBe(403);
    expect((await post({ api_key: PUSH_TOKEN, ...good })).statusCode).toBe(200);
  });

  it('an api_key in the query string is refused, whatever its value, and files nothing', async () => {
    const before = await stored(core);
    const f = form(good);
    const res = await app.inject({ method: 'POST', url: `/open311/v2/requests.json?api_key=${CITY_TOKEN}`, payload: f.body, headers: f.headers });
    expect(res.statusCode).toBe(400);
    expect(jsonError(res.body).description.startsWith('token_in_query: ')).toBe(true);
    const read = await app.inject({ url: '/open311/v2/requests.xml?token=x' });
    expect(read.statusCode).toBe(400);
    expect(xmlError(read.body).description.startsWith('token_in_query: ')).toBe(true);
    expect(await stored(core)).toEqual(before);
  });

  it('the rest of the app still refuses credentials in the query its own way', async () => {
    const res = await app.inject({ url: '/api/tickets?api_key=x' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'token_in_query' });
  });
});

describe('XML injection', () => {
  it('markup, CDATA ends, ampersands and forbidden control characters come back as text in a well-formed document', async () => {
    const nasty = '暖气不热</description><x>evil</x>]]><![CDATA[ & &amp; <?xml?>\u0001\u0008\u000b\u001f\uffff end';
    const res = await post({ api_key: CITY_TOKEN, ...good, description: nasty, address_string: '幸福家园</address><y/>' }, 'xml');
    expect(res.statusCode).toBe(200);
    const id = (parseXml(res.body).service_requests as { request: { service_request_id: string }[] }).request[0].service_request_id;
    const xml = (await app.inject({ url: `/open311/v2/requests/${id}.xml`, headers: bearer(CITY_TOKEN) })).body;
    const doc = parseXml(xml);
    const req = (doc.service_requests as { request: Record<string, string>[] }).request[0];
    expect(req.description).toBe('暖气不热</description><x>evil</x>]]><![CDATA[ & &amp; <?xml?> end');
    expect(Object.keys(req)).not.toContain('x');
    // JSON keeps the text exactly as it was sent
    const json = (await app.inject({ url: `/open311/v2/requests/${id}.json`, headers: bearer(CITY_TOKEN) })).json();
    expect(json[0].description).toBe(nasty);
  });
});

describe('sizes and ranges', () => {
  it('a 1 MB description is refused at once with 413, in the format asked for, and nothing is stored', async () => {
    const before = await stored(core);
    const res = await post({ api_key: CITY_TOKEN, ...good, description: '冷'.repeat(350_000) }, 'xml');
    expect(res.statusCode).toBe(413);
    expect(xmlError(res.body)).toMatchObject({ code: '413' });
    expect(xmlError(res.body).description.startsWith('body_too_large: ')).toBe(true);
    expect(await stored(core)).toEqual(before);
  });

  it('a description over 4,000 characters that fits the body limit is refused by its field', async () => {
    const res = await post({ api_key: CITY_TOKEN, ...good, description: 'x'.repeat(4001) });
    expect(res.statusCode).toBe(400);
    expect(jsonError(res.body).description).toBe('validation_failed: 参数 description 无效。');
  });

  it('start_date after end_date is 400 invalid_range; a date that is not W3C is 400 invalid_date', async () => {
    const range = await app.inject({ url: '/open311/v2/requests.json?start_date=2026-12-05T00:00:00%2B08:00&end_date=2026-12-01T00:00:00%2B08:00' });
    expect(range.statusCode).toBe(400);
    expect(jsonError(range.body).description.startsWith('invalid_range: ')).toBe(true);
    const feed = await app.inject({ url: '/open311/v2/servicerequestupdates.xml?start_date=2026-12-05T00:00:00Z&end_date=2026-12-01T00:00:00Z' });
    expect(feed.statusCode).toBe(400);
    expect(xmlError(feed.body).description.startsWith('invalid_range: ')).toBe(true);
    for (const bad of ['yesterday', '2026-02-30', '2026-12-01T10:00:00']) {
      const res = await app.inject({ url: `/open311/v2/requests.json?start_date=${bad}` });
      expect(res.statusCode).toBe(400);
      expect(jsonError(res.body).description.startsWith('invalid_date: ')).toBe(true);
    }
  });

  it('a status other than open and closed is 400; an unknown format is 404 in Open311 format', async () => {
    expect((await app.inject({ url: '/open311/v2/requests.json?status=pending' })).statusCode).toBe(400);
    const html = await app.inject({ url: '/open311/v2/services.html' });
    expect(html.statusCode).toBe(404);
    expect(jsonError(html.body).description.startsWith('unsupported_format: ')).toBe(true);
    const none = await app.inject({ url: '/open311/v2/nothing.xml' });
    expect(none.statusCode).toBe(404);
    expect(xmlError(none.body).code).toBe('404');
    const unknown = await app.inject({ url: '/open311/v2/requests/T20200101-9999.json' });
    expect(unknown.statusCode).toBe(404);
    expect(jsonError(unknown.body).description.startsWith('ticket_not_found: ')).toBe(true);
  });
});

describe('many ids in one query, over real HTTP', () => {
  let base: string;
  let server: FastifyInstance;
  let serverCore: TestCore;
  beforeAll(async () => {
    ({ app: server, core: serverCore } = await makeOpen311App());
    await server.listen({ host: '127.0.0.1', port: 0 });
    const addr = server.server.address();
    if (!addr || typeof addr === 'string') throw new Error('no address');
    base = `http://127.0.0.1:${addr.port}/open311/v2`;
  });
  afterAll(async () => {
    await server.close();
    await serverCore.close();
  });
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `T20261207-${String(i + 1).padStart(4, '0')}`).join(',');

  it('1,000 ids (the most GeoReport v2 allows) are answered', async () => {
    const res = await fetch(`${base}/requests.json?service_request_id=${ids(1000)}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });

  it('1,001 ids are refused 400 too_many_ids in Open311 format', async () => {
    const res = await fetch(`${base}/requests.xml?service_request_id=${ids(1001)}`);
    expect(res.status).toBe(400);
    expect(xmlError(await res.text()).description.startsWith('too_many_ids: ')).toBe(true);
  });

  it('10,000 ids (150 KB of URL, over Node’s 16 KB head) are refused 431 request_too_large, still in Open311 format', async () => {
    const res = await fetch(`${base}/requests.json?service_request_id=${ids(10_000)}`);
    expect(res.status).toBe(431);
    expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const [error] = (await res.json()) as { code: number; description: string }[];
    expect(error.code).toBe(431);
    expect(error.description).toMatch(/^request_too_large: .*1000/);
    const xml = await fetch(`${base}/requests.xml?service_request_id=${ids(10_000)}`);
    expect(xml.status).toBe(431);
    expect(xmlError(await xml.text()).description.startsWith('request_too_large: ')).toBe(true);
    // other paths keep Fastify's own answer
    const api = await fetch(`${base.replace('/open311/v2', '')}/api/tickets?q=${'x'.repeat(20_000)}`);
    expect(api.status).toBe(431);
    expect(await api.json()).toMatchObject({ statusCode: 431 });
    expect(await serverCore.db.ticket.count()).toBe(0);
  });
});
