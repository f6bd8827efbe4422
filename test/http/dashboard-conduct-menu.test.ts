/**
 * The dashboard's menu links the conduct records (R31-R33) only for those who may read them:
 * the company's leaders and administrators, a branch head for their branch, the operator
 * (core/conduct/conduct-record.ts mayReadConduct); a coordinator or an agent never sees the link.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, staffSessionCookie } from '../helpers/app.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';

let app: FastifyInstance;
let core: TestCore;

const menuOf = async (url: string, staffId: string): Promise<string> => {
  const res = await app.inject({ method: 'GET', url, headers: { cookie: await staffSessionCookie(core, staffId) } });
  return /<nav>([\s\S]*?)<\/nav>/.exec(res.body)?.[1] ?? '';
};

beforeAll(async () => {
  core = await makeTestCore({ start: '2026-12-03T02:00:00Z' });
  ({ app } = await makeTestApp({}, core));
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

describe('the conduct link in the dashboard menu (R31-R33)', () => {
  it('is shown to the HQ leader, an administrator and a branch head, on every page (R31)', async () => {
    for (const who of ['hq-leader', 'admin', 'xincheng-head']) {
      for (const url of ['/dashboard', '/dashboard/tickets']) {
        const nav = await menuOf(url, who);
        expect(nav, `${who} on ${url}`).toContain('<a href="/dashboard/conduct" class="">作风记录</a>');
      }
    }
  });

  it('is not shown to a branch coordinator, a field worker or a centre agent, who would be refused (R31)', async () => {
    for (const who of ['xincheng-coord', 'xincheng-field1', 'agent01']) {
      const nav = await menuOf('/dashboard/tickets', who);
      expect(nav, who).toContain('/dashboard/tickets');
      expect(nav, who).not.toContain('/dashboard/conduct');
    }
  });

  it('marks the conduct page current in its own menu, in English too (R31)', async () => {
    expect(await menuOf('/dashboard/conduct', 'hq-leader')).toContain('<a href="/dashboard/conduct" class="current">作风记录</a>');
    expect(await menuOf('/dashboard/conduct?lang=en', 'hq-leader')).toContain('<a href="/dashboard/conduct?lang=en" class="current">Conduct</a>');
  });
});
