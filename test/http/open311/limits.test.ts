/**
 * The Open311 API draws on the API's request budget per address: a flood of requests, or of
 * wrong keys, is answered 429 in Open311's error format, in the format asked for.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { apiClientKeys } from '../../../src/config.js';
import { makeTestApp, TEST_TOKEN } from '../../helpers/app.js';
import { makeTestCore } from '../../helpers/core.js';
import { CITY_TOKEN, form, orgFile } from './setup.js';
import { parseXml } from './spec-shape.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

async function appWith(rate: Record<string, number>) {
  const core = await makeTestCore({ org: orgFile(), start: '2026-12-07T11:00:00Z' });
  const { app } = await makeTestApp({ apiClients: apiClientKeys(core.org.config.apiClients, TEST_TOKEN, {}), limits: { rate } }, core);
  closers.push(async () => {
    await app.close();
    await core.close();
  });
  return app;
}

describe('Open311 request limits', () => {
  it('past the per-minute budget, requests are 429 with Retry-After, Open311-shaped', async () => {
    const app = await appWith({ apiPerMinute: 3 });
    for (let i = 0; i < 3; i++) expect((await app.inject({ url: '/open311/v2/services.json' })).statusCode).toBe(200);
    const res = await app.inject({ url: '/open311/v2/services.xml' });
    expect(res.statusCode).toBe(429);
    expect(res.headers['retry-after']).toBeDefined();
    const err = (parseXml(res.body).errors as { error: { code: string; description: string }[] }).error[0];
    expect(err.code).toBe('429');
    expect(err.description.startsWith('rate_limited: ')).toBe(true);
  });

  it('a flood of wrong api_keys is answered 429 after a few refusals, while the right key still files', async () => {
    const app = await appWith({ failures: 3 });
    const wrong = form({ api_key: 'wrong-0123456789-abcdefghijklmnopqrstu', service_code: 'no_heat', address_string: '幸福家园', description: '不热' });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++)
      codes.push((await app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: wrong.body, headers: wrong.headers })).statusCode);
    expect(codes).toEqual([403, 403, 403, 429, 429]);
    const last = await app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: wrong.body, headers: wrong.headers });
    expect(last.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(last.json()).toEqual([{ code: 429, description: expect.stringMatching(/^rate_limited: /) }]);
    const right = form({ api_key: CITY_TOKEN, service_code: 'no_heat', address_string: '幸福家园', description: '不热' });
    expect((await app.inject({ method: 'POST', url: '/open311/v2/requests.json', payload: right.body, headers: right.headers })).statusCode).toBe(200);
  });
});
