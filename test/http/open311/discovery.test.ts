/**
 * Service Discovery, over real HTTP on loopback: the one address a city platform keeps names
 * this server's GeoReport v2 (and that address answers), whom to ask for a key and the hotline,
 * in the caller's language, with the fields and elements of the specification's own example.
 * Behind PUBLIC_URL or a trusted proxy the endpoint is the public address, not the loopback one.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVICES } from '../../../src/core/open311/service-catalogue.js';
import { auth, makeTestApp } from '../../helpers/app.js';
import type { TestCore } from '../../helpers/core.js';
import { makeOpen311App } from './setup.js';
import { fixture, parseXml, shape } from './spec-shape.js';

let app: FastifyInstance;
let core: TestCore;
let origin: string;
beforeAll(async () => {
  ({ app, core } = await makeOpen311App());
  await app.listen({ host: '127.0.0.1', port: 0 });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('no address');
  origin = `http://127.0.0.1:${addr.port}`;
});
afterAll(async () => {
  await app.close();
  await core.close();
});

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

const CHANGESET = '2026-12-07T11:39:06+08:00';

/** Our GeoReport v2 at `base`, as discovery names it. */
const endpoint = (base: string) => ({
  specification: 'http://wiki.open311.org/GeoReport_v2',
  url: `${base}/open311/v2`,
  changeset: CHANGESET,
  type: 'production',
  formats: ['text/xml', 'application/json'],
});

describe('the discovery document', () => {
  it('JSON: the specification’s fields; our v2 endpoint at the address asked; the company’s centre and hotline in Chinese', async () => {
    const res = await get(`${origin}/open311/discovery.json`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('application/json; charset=utf-8');
    const doc = JSON.parse(res.text);
    expect(shape(doc)).toEqual(shape(JSON.parse(fixture('discovery.json'))));
    expect(doc).toEqual({
      changeset: CHANGESET,
      contact: '青城示例热力有限责任公司客户服务中心，服务热线 0471-96556。',
      key_service:
        '查看服务列表不需要密钥。提交诉求（以及读取诉求的完整内容）需要 API 客户端：请向青城示例热力有限责任公司客户服务中心申请（热线 0471-96556）。',
      endpoints: [endpoint(origin)],
    });
  });

  it('XML: the specification’s elements (endpoints/endpoint, formats/format) holding the same values', async () => {
    const res = await get(`${origin}/open311/discovery.xml`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/xml; charset=utf-8');
    const doc = parseXml(res.text);
    expect(shape(doc)).toEqual(shape(parseXml(fixture('discovery.xml'))));
    const json = JSON.parse((await get(`${origin}/open311/discovery.json`)).text);
    expect(doc).toEqual({
      '?xml': '',
      discovery: {
        changeset: json.changeset,
        contact: json.contact,
        key_service: json.key_service,
        endpoints: { endpoint: [{ ...endpoint(origin), formats: { format: ['text/xml', 'application/json'] } }] },
      },
    });
  });

  it('the endpoint it names answers GeoReport v2 in both formats it lists, without a key', async () => {
    const [ep] = JSON.parse((await get(`${origin}/open311/discovery.json`)).text).endpoints;
    const services = await get(`${ep.url}/services.json`);
    expect(services.status).toBe(200);
    expect(JSON.parse(services.text).map((s: { service_code: string }) => s.service_code)).toEqual(SERVICES.map((s) => s.code));
    const xml = await get(`${ep.url}/services.xml`);
    expect(xml.status).toBe(200);
    expect(xml.type).toMatch(/^text\/xml/);
  });

  it('English by Accept-Language: the company’s English name, the same hotline', async () => {
    const doc = JSON.parse((await get(`${origin}/open311/discovery.json`, { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' })).text);
    expect(doc.contact).toBe('Qingcheng Demo Heating Co., Ltd. customer service centre, hotline 0471-96556.');
    expect(doc.key_service).toBe(
      'The service list needs no key. Filing requests (and reading them in full) needs an API client: ask the Qingcheng Demo Heating Co., Ltd. customer service centre for one (hotline 0471-96556).',
    );
    const xml = parseXml((await get(`${origin}/open311/discovery.xml`, { 'accept-language': 'en' })).text) as { discovery: { contact: string } };
    expect(xml.discovery.contact).toBe(doc.contact);
  });
});

describe('the public address', () => {
  it('with PUBLIC_URL the endpoint is there, whatever Host the request came with', async () => {
    const { app: published } = await makeTestApp({ dashboard: { publicUrl: 'https://heat.example.cn/' } }, core);
    try {
      const res = await published.inject({ url: '/open311/discovery.json', headers: { host: '10.0.0.5:3000' } });
      expect(res.json().endpoints).toEqual([endpoint('https://heat.example.cn')]);
    } finally {
      await published.close();
    }
  });

  it('behind a trusted TLS proxy: https and the host the proxy was asked for; an untrusted X-Forwarded-* is ignored', async () => {
    const forwarded = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'open311.heat.example.cn' };
    const { app: proxied } = await makeTestApp({ trustProxy: true }, core);
    try {
      const res = await proxied.inject({ url: '/open311/discovery.json', headers: { host: '10.0.0.5:3000', ...forwarded } });
      expect(res.json().endpoints[0].url).toBe('https://open311.heat.example.cn/open311/v2');
    } finally {
      await proxied.close();
    }
    const direct = await get(`${origin}/open311/discovery.json`, forwarded);
    expect(JSON.parse(direct.text).endpoints[0].url).toBe(`${origin}/open311/v2`);
  });
});

describe('refusals and the catalogue', () => {
  it('another format is 404 in Open311’s shape; /open311/discovery without one is 404 too', async () => {
    const html = await get(`${origin}/open311/discovery.html`);
    expect(html.status).toBe(404);
    expect(JSON.parse(html.text)).toEqual([{ code: 404, description: 'unsupported_format: 只支持 .json 和 .xml 两种格式。' }]);
    const bare = await get(`${origin}/open311/discovery`, { 'accept-language': 'en' });
    expect(bare.status).toBe(404);
    expect(JSON.parse(bare.text)).toEqual([{ code: 404, description: 'not_found: there is nothing at this address.' }]);
  });

  it('the OpenAPI document lists it under the open311 tag, needing no key', async () => {
    const doc = (await app.inject({ url: '/docs/json', headers: auth })).json();
    expect(doc.paths['/open311/discovery.{format}'].get).toMatchObject({ tags: ['open311'], summary: expect.any(String), security: [] });
  });

  it('the changeset is the catalogue’s: this fingerprint moves with any service, group or attribute', () => {
    // A failure here means the service catalogue changed: set CATALOGUE_CHANGED
    // (src/http/open311/discovery-routes.ts) and CHANGESET above to the time of the change,
    // so platforms refetch the list, then put the new fingerprint here.
    const fingerprint = createHash('sha256').update(JSON.stringify(SERVICES)).digest('hex');
    expect(fingerprint).toBe('e9211e6c7ef05bc71788ac389b86f2900e29542cd234bdbd85d4f31dcf503bce');
  });
});
