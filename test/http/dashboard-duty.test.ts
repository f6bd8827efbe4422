import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/core/clock.js';
import { acceptHandover } from '../../src/core/duty/accept-handover.js';
import { addDutyEntry } from '../../src/core/duty/add-duty-entry.js';
import { objectToHandover } from '../../src/core/duty/object-to-handover.js';
import { startHandover } from '../../src/core/duty/start-handover.js';
import { makeTestApp, staffSessionCookie } from '../helpers/app.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';

let app: FastifyInstance;
let core: TestCore;

/** A signed-in session of a staff member of the demo organisation, as Sign in with Slack leaves it. */
const sessionOf = (staffId: string) => staffSessionCookie(core, staffId, 48);
const page = (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { cookie } });
/** The text of the element with this id, tags stripped. */
const textOf = (body: string, id: string) => {
  const at = body.indexOf(`id="${id}"`);
  if (at < 0) return '';
  const rest = body.slice(at);
  return rest
    .slice(0, rest.indexOf('</table>') > 0 ? rest.indexOf('</table>') : 400)
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
};

let jinqiaoCoord: string;
let admin: string;

beforeAll(async () => {
  // 29 November, 19:55 in Hohhot: jinqiao's day field person hands over to the night one (demo roster)
  core = await makeTestCore({ start: '2026-11-29T11:55:00Z' });
  jinqiaoCoord = await sessionOf('jinqiao-coord');
  admin = await sessionOf('admin');
  const first = await startHandover(core, { staffId: 'jinqiao-field1', summary: '3号楼跑水已关阀' });
  core.clock.advance(10 * MINUTE);
  await acceptHandover(core, { handoverId: first.id, staffId: 'jinqiao-field2' });
  core.clock.set('2026-11-30T11:55:00Z');
  const second = await startHandover(core, { staffId: 'jinqiao-field1', summary: '一切正常' });
  core.clock.advance(10 * MINUTE);
  await objectToHandover(core, { handoverId: second.id, staffId: 'jinqiao-field2', reason: '5号楼跑水未交接' });
  await addDutyEntry(core, { staffId: 'jinqiao-coord', text: '巡查金桥新村 <b>正常</b>' });
  core.clock.advance(5 * MINUTE); // 20:10
  ({ app } = await makeTestApp({}, core));
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

describe('the dashboard duty page (R4)', () => {
  it("shows a branch's duty now per unit and its handovers signed and objected to, with the log", async () => {
    const res = await page('/dashboard/duty', jinqiaoCoord);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('值班与交接班 · 金桥供热分公司');
    expect(res.body).toContain('href="/dashboard/duty" class="current">值班</a>');
    const now = textOf(res.body, 'on-duty-now');
    expect(now).toContain('客服处 董桂英 值班标记');
    // the objection keeps the night's duty with the outgoing day person
    expect(now).toContain('运营所服务队 萧芳 交接班接班，至 2026-12-01 08:00');
    const handovers = textOf(res.body, 'handovers');
    expect(handovers).toContain('2026-11-30 19:55 萧芳 程勇 有异议（2026-11-30 20:05） 5号楼跑水未交接 尚无人签字接班，值班仍由交班人负责 一切正常');
    expect(handovers).toContain('2026-11-29 19:55 萧芳 程勇 于 2026-11-29 20:05 签字接班 3号楼跑水已关阀');
    const log = textOf(res.body, 'duty-log');
    expect(log).toContain('2026-11-30 20:05 程勇 5号楼跑水未交接');
    expect(res.body).toContain('巡查金桥新村 &lt;b&gt;正常&lt;/b&gt;'); // staff words are escaped
  });

  it('keeps branch staff to their own branch, whatever they ask for, and filters by date', async () => {
    const other = await page('/dashboard/duty?branch=xincheng', jinqiaoCoord);
    expect(other.body).toContain('值班与交接班 · 金桥供热分公司');
    expect(other.body).not.toContain('<select name="branch">');
    const day = await page('/dashboard/duty?from=2026-11-29&to=2026-11-29', jinqiaoCoord);
    expect(textOf(day.body, 'handovers')).toContain('3号楼跑水已关阀');
    expect(textOf(day.body, 'handovers')).not.toContain('一切正常');
    expect(day.body).toContain('此期间没有工作日志');
  });

  it('lets whoever sees every branch pick a branch or the centre, and refuses a date that is not one', async () => {
    const centre = await page('/dashboard/duty?branch=centre', admin);
    expect(centre.body).toContain('值班与交接班 · 客户服务中心');
    expect(textOf(centre.body, 'on-duty-now')).toContain('客户服务中心 李磊、张涛 值班标记');
    expect(centre.body).toContain('此期间没有交接班记录');
    const jinqiao = await page('/dashboard/duty?branch=jinqiao&lang=en', admin);
    expect(textOf(jinqiao.body, 'on-duty-now')).toContain('Field service team 萧芳 took over at a handover, until 2026-12-01 08:00');
    const bad = await page('/dashboard/duty?from=2026-13-45', admin);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('role="alert"');
  });
});
