import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createClassifier } from '../../src/core/classify/index.js';
import { apiClientKeys } from '../../src/config.js';
import { auth, makeTestApp, TEST_TOKEN } from '../helpers/app.js';
import type { TestCore } from '../helpers/core.js';

/** a client with only the read scope: classifying changes nothing */
const BI_TOKEN = 'bi-token-0123456789-abcdefghijklmnopq';
let app: FastifyInstance;
let core: TestCore;
beforeAll(async () => {
  const bi = { id: 'bi', name: 'BI', scopes: ['read' as const], token: { sha256: createHash('sha256').update(BI_TOKEN).digest('hex') } };
  ({ app, core } = await makeTestApp({ classifier: createClassifier(), apiClients: apiClientKeys([bi], TEST_TOKEN) }));
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const classify = (payload: unknown, headers = auth) => app.inject({ method: 'POST', url: '/api/classify', payload: payload as any, headers });

describe('POST /api/classify', () => {
  it('reads a leak with its address, community and phone', async () => {
    const res = await classify({ text: '幸福家园3号楼2单元501楼上跑水了，水顺着墙往下流，电话13912345678' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      category: 'leak',
      kind: 'complaint',
      severity: 'urgent',
      hints: { communityId: 'c001', building: '3', unit: '2', room: '501', phone: '13912345678' },
    });
    expect(res.json().confidence.category).toBeGreaterThanOrEqual(0.9);
  });

  it('answers a client with only the read scope: it changes nothing', async () => {
    const res = await classify({ text: '暖气不热' }, { authorization: `Bearer ${BI_TOKEN}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().category).toBe('no_heat');
  });

  it('answers an empty message with a clear low-confidence result', async () => {
    const res = await classify({ text: '' });
    expect(res.json()).toMatchObject({ needsChoice: true, confidence: { category: 0 } });
  });

  it('refuses a bad body with 400 and a code, and a missing token with 401', async () => {
    for (const body of [{}, { text: 42 }, { text: 'x'.repeat(10_001) }, { text: 'ok', extra: true }]) {
      const res = await classify(body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
    expect((await classify({ text: '暖气不热' }, {} as any)).statusCode).toBe(401);
  });
});
