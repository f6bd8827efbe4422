/**
 * Training over HTTP (R23/R24): the CSV import keeps the good lines and lists each bad one with
 * its line and code; the year as JSON and as CSV for Excel; the dashboard page scoped to what the
 * person sees. The test clock stands at 2026-11-28 14:00 company time.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClientKeys, DEMO_ORG } from '../../src/config.js';
import { recordSession } from '../../src/core/training/record-session.js';
import { auth, makeTestApp, staffSessionCookie, TEST_TOKEN } from '../helpers/app.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';

const BI_TOKEN = 'bi-token-0123456789-abcdefghijklmnop';
let app: FastifyInstance;
let core: TestCore;

beforeAll(async () => {
  const doc = parse(readFileSync(DEMO_ORG, 'utf8'));
  doc.apiClients = [{ id: 'bi', name: 'BI', scopes: ['read'], tokenSha256: createHash('sha256').update(BI_TOKEN).digest('hex') }];
  core = await makeTestCore({ org: doc });
  ({ app } = await makeTestApp({ apiClients: apiClientKeys(core.org.config.apiClients, TEST_TOKEN, {}) }, core));
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const postCsv = (csv: string, headers: Record<string, string> = auth) =>
  app.inject({ method: 'POST', url: '/api/training/sessions.csv', headers: { ...headers, 'content-type': 'text/csv; charset=utf-8' }, payload: csv });

describe('POST /api/training/sessions.csv (R23/R24)', () => {
  it('stores the good lines as sessions and answers 200 with each bad line: unknown staff, a future date, a duplicate, a malformed date, an unknown topic', async () => {
    const csv = [
      '\uFEFFdate,topic,trainer,staff_id,branch,note',
      '2026-04-10,heating_process,换热站 王工,huimin-field1,huimin,换热站参观',
      '2026-04-10,heating_process,换热站 王工,huimin-field2,huimin,',
      '2026-04-10,heating_process,换热站 王工,left-last-year,huimin,',
      '2026-12-10,heating_process,换热站 王工,huimin-coord,huimin,',
      '2026-04-10,heating_process,换热站 王工,huimin-field1,huimin,',
      '2026-4-10,heating_process,换热站 王工,huimin-coord,huimin,',
      '2026-05-06,first_aid,换热站 王工,huimin-coord,huimin,',
      '2026-05-06,communication,客服中心,agent01,,',
    ].join('\r\n');
    const res = await postCsv(csv);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ imported: 3, sessions: 2, created: 2 });
    expect(body.errors.map((e: any) => [e.line, e.code])).toEqual([
      [4, 'unknown_staff'],
      [5, 'date_in_future'],
      [6, 'duplicate_row'],
      [7, 'malformed_date'],
      [8, 'unknown_topic'],
    ]);
    expect(body.errors[0].message).toBe('staff id "left-last-year" is not in the organisation file');
    const stored = await core.db.trainingAttendance.findMany({ orderBy: { id: 'asc' } });
    expect(stored.map((a) => a.staffId)).toEqual(['huimin-field1', 'huimin-field2', 'agent01']);
    const s = await core.db.trainingSession.findFirstOrThrow({ where: { date: '2026-04-10' } });
    expect(s).toMatchObject({ topic: 'heating_process', trainer: '换热站 王工', branchId: 'huimin', note: '换热站参观', createdBy: 'api:operator' });
  });

  it('refuses a file without its header whole (400 csv_invalid), a body that is not CSV (415), and a client without the write scope (403)', async () => {
    const noHeader = await postCsv('2026-04-10,heating_process,王工,huimin-coord\n');
    expect(noHeader.statusCode).toBe(400);
    expect(noHeader.json().code).toBe('csv_invalid');
    const json = await app.inject({ method: 'POST', url: '/api/training/sessions.csv', headers: auth, payload: { date: '2026-04-10' } });
    expect(json.statusCode).toBe(415);
    const readOnly = await postCsv('date,topic,trainer,staff_id\n2026-04-10,heating_process,王工,huimin-coord\n', { authorization: `Bearer ${BI_TOKEN}` });
    expect(readOnly.statusCode).toBe(403);
    expect(await core.db.trainingAttendance.count()).toBe(3);
  });
});

describe('the year as JSON and CSV (R23/R24)', () => {
  it('GET /api/training gives the sessions, attendance per staff member and the staff with none', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/training?year=2026&branch=huimin', headers: { authorization: `Bearer ${BI_TOKEN}` } });
    expect(res.statusCode).toBe(200);
    const y = res.json();
    expect(y.counts).toEqual({ sessions: 1, attendances: 2, service: 4, untrained: 2 });
    expect(y.sessions[0]).toMatchObject({
      date: '2026-04-10',
      topicName: '供热工艺',
      placeName: '回民供热分公司',
      attendees: [
        { staffId: 'huimin-field1', name: '高志强' },
        { staffId: 'huimin-field2', name: '林敏' },
      ],
    });
    expect(y.untrained.map((u: any) => u.name)).toEqual(['朱超', '何杰']);
    expect(y.staff.find((s: any) => s.staffId === 'huimin-field1')).toMatchObject({ sessions: 1, topicNames: ['供热工艺'], lastDate: '2026-04-10' });
    const bad = await app.inject({ method: 'GET', url: '/api/training?year=1999', headers: auth });
    expect(bad.statusCode).toBe(400);
  });

  it('GET /api/training.csv is UTF-8 with a BOM and CRLF lines, one line per staff member', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/training.csv?year=2026&branch=huimin', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="training-2026-huimin.csv"');
    expect(res.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.rawPayload.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('年份,所属,人员编号,姓名,岗位,参训场次,已学内容,最近一次,本年度已培训');
    expect(lines).toContain('2026,回民供热分公司,huimin-field1,高志强,维修人员,1,供热工艺,2026-04-10,是');
    expect(lines).toContain('2026,回民供热分公司,huimin-coord,朱超,分公司调度,0,,,否');
    const en = await app.inject({ method: 'GET', url: '/api/training.csv?year=2026&branch=huimin&lang=en', headers: auth });
    expect(en.rawPayload.subarray(3).toString('utf8').split('\r\n')[0]).toBe('Year,Of,Staff id,Name,Role,Sessions,Topics covered,Latest,Trained this year');
  });
});

describe('the dashboard training page (R23/R24)', () => {
  const page = (url: string, cookie: string) => app.inject({ method: 'GET', url, headers: { cookie } });

  it('shows a leader the whole company: the sessions, attendance per staff member, the untrained, and a branch when asked', async () => {
    await recordSession(core, { topic: 'complaint_handling', date: '2026-11-02', trainer: '李老师', attendees: ['xincheng-coord'], actor: 'staff:agent01' });
    const leader = await staffSessionCookie(core, 'hq-leader');
    const res = await page('/dashboard/training', leader);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('2026 年度培训 · 全公司');
    expect(res.body).toContain('href="/dashboard/training" class="current">培训</a>');
    expect(res.body).toContain('已办培训 3 场，参训 4 人次；服务人员 24 人，其中 20 人本年度尚未参加培训。');
    expect(res.body).toMatch(
      /<tr data-session="\d+"><td>2026-04-10<\/td><td>供热工艺<\/td><td>换热站 王工<\/td><td>回民供热分公司<\/td><td>高志强、林敏<\/td><td>换热站参观<\/td><\/tr>/,
    );
    expect(res.body).toContain('<li data-staff="xincheng-field1">吴娟 · 新城供热分公司</li>');
    expect(res.body).not.toContain('<li data-staff="xincheng-coord">');
    expect(res.body).toContain('href="/dashboard/training.csv?year=2026"');
    const one = await page('/dashboard/training?branch=xincheng', leader);
    expect(one.body).toContain('2026 年度培训 · 新城供热分公司');
    expect(one.body).not.toContain('data-staff="huimin-field1"');
  });

  it('shows a branch coordinator their own branch whatever they ask for, and its CSV', async () => {
    const coord = await staffSessionCookie(core, 'huimin-coord');
    const res = await page('/dashboard/training?branch=xincheng', coord);
    expect(res.body).toContain('2026 年度培训 · 回民供热分公司');
    expect(res.body).not.toContain('data-staff="xincheng-field1"');
    expect(res.body).toContain('<li data-staff="huimin-coord">朱超 · 回民供热分公司</li>');
    const csv = await page('/dashboard/training.csv?branch=xincheng', coord);
    expect(csv.headers['content-disposition']).toBe('attachment; filename="training-2026-huimin.csv"');
    expect(csv.rawPayload.subarray(3).toString('utf8')).not.toContain('xincheng');
    const bad = await page('/dashboard/training?year=abc', coord);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('年份应为 2000 年至明年之间的四位数字。');
  });
});
