import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareIncident } from '../../src/core/incidents/declare-incident.js';
import { restoreIncident } from '../../src/core/incidents/restore-incident.js';
import type { Incident } from '../../src/core/model.js';
import { createTicket } from '../../src/core/tickets/create-ticket.js';
import { makeTestApp, staffSessionCookie } from '../helpers/app.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';

let app: FastifyInstance;
let core: TestCore;
let incident: Incident;
let report: string;

/** A signed-in session of a staff member of the demo organisation, as Sign in with Slack leaves it. */
const sessionOf = (staffId: string) => staffSessionCookie(core, staffId);
const page = async (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { cookie } });
/** The text of a table row, tags stripped. */
const rowText = (body: string, number: string) => {
  const row = body.slice(body.indexOf(`data-number="${number}"`));
  return row
    .slice(0, row.indexOf('</tr>'))
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');
};

let admin: string;
let xinchengCoord: string;
let huiminCoord: string;

beforeAll(async () => {
  // 28 November, 03:10 in Hohhot: HX-XI02 (幸福家园, 东风小区, 北垣新村) fails; a resident has already called
  core = await makeTestCore({ start: '2026-11-27T19:10:00Z' });
  const t = await createTicket(core, {
    kind: 'complaint',
    category: 'no_heat',
    source: 'hotline',
    description: '暖气不热',
    firstResponder: 'staff:agent01',
    communityId: 'c001',
    address: '幸福家园3号楼2单元501室',
  });
  report = t.number;
  core.clock.advance(5 * 60_000);
  ({ incident } = await declareIncident(core, {
    stationIds: ['HX-XI02'],
    scope: 'station',
    cause: '换热站循环泵故障',
    expectedAt: new Date('2026-11-28T01:00:00Z'), // 09:00 local
    actor: 'staff:agent01',
  }));
  ({ app } = await makeTestApp({}, core));
  admin = await sessionOf('admin');
  xinchengCoord = await sessionOf('xincheng-coord');
  huiminCoord = await sessionOf('huimin-coord');
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

describe('the dashboard’s incidents', () => {
  it('lists an open incident to an admin with its communities, linked reports, time open and expected restoration', async () => {
    core.clock.set('2026-11-27T21:15:00Z'); // 05:15 local: open for 2 h, heat expected at 09:00
    const res = await page('/dashboard/incidents', admin);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<a href="/dashboard/incidents" class="current">事件</a>');
    const row = rowText(res.body, incident.number);
    expect(row).toContain('换热站循环泵故障');
    expect(row).toContain('幸福家园、东风小区、北垣新村');
    expect(row).toContain('HX-XI02');
    expect(row).toMatch(new RegExp(`${incident.number} 换热站 .* 1 2 小时 0 分 2026-11-28 09:00 新城供热分公司`));
    expect(row).not.toContain('已超过预计时间');
  });

  it('flags the expected time once it has passed', async () => {
    core.clock.set('2026-11-28T01:30:00Z'); // 09:30 local
    const row = rowText((await page('/dashboard/incidents?lang=en', admin)).body, incident.number);
    expect(row).toContain('2026-11-28 09:00 past the expected time');
    expect(row).toContain('6 h 15 min');
  });

  it('shows the incident to its own branch and not to a coordinator of another branch, whose page has none open and whose link to it is not found', async () => {
    expect(rowText((await page('/dashboard/incidents', xinchengCoord)).body, incident.number)).toContain('换热站循环泵故障');
    const other = await page('/dashboard/incidents', huiminCoord);
    expect(other.statusCode).toBe(200);
    expect(other.body).not.toContain(incident.number);
    expect(other.body).toContain('当前没有进行中的事件。');
    const detail = await page(`/dashboard/incidents/${incident.number}`, huiminCoord);
    expect(detail.statusCode).toBe(404);
    expect(detail.body).not.toContain('id="incident-timeline"');
    expect((await page('/dashboard', huiminCoord)).body).not.toContain('id="incident-banner"');
  });

  it('shows an incident’s page with its timeline and its linked reports, each a link to the ticket', async () => {
    const res = await page(`/dashboard/incidents/${incident.number}`, admin);
    expect(res.statusCode).toBe(200);
    const timeline = res.body.slice(res.body.indexOf('id="incident-timeline"'));
    expect(timeline).toMatch(
      /<li data-type="declared"><time datetime="2026-11-27T19:15:00.000Z">2026-11-28 03:15<\/time>\s*<strong>发布事件<\/strong>\s*<span class="who">李磊<\/span>/,
    );
    expect(res.body).toContain('<dd id="incident-status">抢修中</dd>');
    expect(res.body).toContain('<dd id="incident-linked">1</dd>');
    expect(res.body).toContain(`<a href="/dashboard/tickets/${report}">${report}</a>`);
    expect((await page(`/dashboard/incidents/${incident.id}`, admin)).body).toContain('<dd id="incident-linked">1</dd>');
    expect((await page('/dashboard/incidents/I20991231-01', admin)).statusCode).toBe(404);
  });

  it('puts a banner on the home page while an incident is open, linking to it', async () => {
    const home = await page('/dashboard', xinchengCoord);
    expect(home.statusCode).toBe(200);
    const banner = home.body.slice(home.body.indexOf('id="incident-banner"'), home.body.indexOf('</p>', home.body.indexOf('id="incident-banner"')));
    expect(banner).toContain(`进行中的事件：${incident.number} 换热站循环泵故障（幸福家园、东风小区、北垣新村），关联报修 1 件。`);
    expect(banner).toContain(`href="/dashboard/incidents/${incident.number}"`);
  });

  it('moves a restored incident below, with how long it lasted, and takes the banner down', async () => {
    core.clock.set('2026-11-28T02:45:00Z'); // 10:45 local
    await restoreIncident(core, { id: incident.id, actor: 'staff:xincheng-coord' });
    const list = (await page('/dashboard/incidents', admin)).body;
    expect(list).toContain('当前没有进行中的事件。');
    expect(rowText(list, incident.number)).toContain('2026-11-28 03:15 2026-11-28 10:45 7 小时 30 分 1 新城供热分公司');
    const detail = (await page(`/dashboard/incidents/${incident.number}`, admin)).body;
    expect(detail).toContain('<dd id="incident-status">已恢复</dd>');
    expect(detail).toMatch(/<li data-type="restored">.*?<strong>恢复供热<\/strong>\s*<span class="who">周静<\/span>/s);
    expect((await page('/dashboard', admin)).body).not.toContain('id="incident-banner"');
  });
});
