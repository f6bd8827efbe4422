/**
 * The Open311 tests' world: the demo organisation with a city platform (read and write), a BI
 * tool (read only) and an import job (write only), the real app over a real database.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import { apiClientKeys, DEMO_ORG } from '../../../src/config.js';
import { makeTestApp, TEST_TOKEN } from '../../helpers/app.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

export const CITY_TOKEN = 'city-token-0123456789-abcdefghijklmno';
export const BI_TOKEN = 'bi-token-0123456789-abcdefghijklmnopq';
export const PUSH_TOKEN = 'push-token-0123456789-abcdefghijklmno';
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** The demo organisation's file with three API clients (and open311 settings when given). */
export function orgFile(open311?: Record<string, unknown>) {
  const doc = parse(readFileSync(DEMO_ORG, 'utf8'));
  doc.apiClients = [
    { id: 'city', name: '12345 市民服务热线', scopes: ['read', 'write'], tokenSha256: sha256(CITY_TOKEN) },
    { id: 'bi', name: 'BI', scopes: ['read'], tokenSha256: sha256(BI_TOKEN) },
    { id: 'push', name: 'Import job', scopes: ['write'], tokenSha256: sha256(PUSH_TOKEN) },
  ];
  if (open311) doc.open311 = open311;
  return doc;
}

export async function makeOpen311App(open311?: Record<string, unknown>): Promise<{ app: FastifyInstance; core: TestCore }> {
  const core = await makeTestCore({ org: orgFile(open311), start: '2026-12-07T11:00:00Z' });
  const apiClients = apiClientKeys(core.org.config.apiClients, TEST_TOKEN, {});
  return makeTestApp({ apiClients }, core);
}

/** A form body as a city platform sends it. */
export function form(fields: Record<string, string | string[]>): { body: string; headers: Record<string, string> } {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) p.append(k, x);
  return { body: p.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
}

/** Counts of what filing stores: a refusal must leave both as they were. */
export async function stored(core: TestCore): Promise<{ tickets: number; cityRequests: number }> {
  return { tickets: await core.db.ticket.count(), cityRequests: await core.db.cityRequest.count() };
}
