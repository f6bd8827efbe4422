import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicket } from '../../src/core/tickets/create-ticket.js';
import { auth, makeTestApp, TEST_TOKEN } from '../helpers/app.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';
import { buildNovember, PHONES, REPORT_TIME, type NovemberFixture } from '../core/kpi/november-fixture.js';

let app: FastifyInstance;
let core: TestCore;
let fx: NovemberFixture;

beforeAll(async () => {
  core = await makeTestCore();
  fx = await buildNovember(core);
  // Two more suggestions in 新城: one without a topic (grouped by its category), one that looks like a formula.
  for (const [at, topic, description] of [
    ['2026-11-22T09:00:00+08:00', undefined, '小区里的暖气管道保温层破了'],
    ['2026-11-23T09:00:00+08:00', '收费窗口', '=HYPERLINK("http://x","点我")'],
  ] as const) {
    core.clock.set(at);
    await createTicket(core, {
      kind: 'suggestion',
      category: 'other',
      source: 'suggestion_box',
      firstResponder: 'suggestion_box',
      communityId: 'c001',
      topic,
      description,
    });
  }
  core.clock.set(REPORT_TIME);
  ({ app } = await makeTestApp({}, core));
});
afterAll(async () => {
  await app?.close();
  await core?.close();
});

const get = (url: string, headers: Record<string, string> = auth) => app.inject({ method: 'GET', url, headers });

describe('GET /api/kpi', () => {
  it('returns each rate with numerator, denominator, target and whether it is met, per branch and for the company', async () => {
    const res = await get('/api/kpi?period=2026-11');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.period).toMatchObject({ kind: 'month', firstDay: '2026-11-01', lastDay: '2026-11-30', label: '2026年11月', from: '2026-10-31T16:00:00.000Z' });
    expect(body.targets).toEqual({ repairTimeliness: 1, satisfaction: 0.99, complaintTimeliness: 1, complaintCompletion: 1, complaintSatisfaction: 1 });
    const xc = body.branches.find((b: any) => b.branchId === 'xincheng');
    expect(xc.branchName).toBe('新城供热分公司');
    expect(xc.repairTimeliness).toEqual({ numerator: 5, denominator: 9, rate: 5 / 9, percent: 55.5, target: 1, met: false, pending: 1 });
    expect(xc.satisfaction).toMatchObject({ numerator: 4, denominator: 5, percent: 80, met: false });
    expect(xc.complaintCompletion).toMatchObject({ numerator: 6, denominator: 10, percent: 60 });
    expect([xc.reopened, xc.conductConfirmed]).toEqual([2, 1]);
    // the customer's whole wait: the mean of 新城's six finished complaints, from the first report to the resolve
    expect(xc.customerWaitMinutes).toBe(880);
    expect(body.branches.find((b: any) => b.branchId === 'yuquan').customerWaitMinutes).toBeNull();
    expect(body.branches.find((b: any) => b.branchId === 'yuquan').repairTimeliness).toMatchObject({ rate: null, percent: null, met: null });
    expect(body.centre).toMatchObject({ branchId: null, branchName: '客户服务中心（未分派及督办投诉）' });
    expect(body.company).toMatchObject({ branchName: '全公司', complaintCompletion: { numerator: 7, denominator: 13 } });
  });

  it('filters by branch, takes a custom range and defaults to the current month', async () => {
    const one = (await get('/api/kpi?from=2026-11-01&to=2026-12-01&branch=huimin')).json();
    expect(one.period.kind).toBe('custom');
    expect(one.branches.map((b: any) => b.branchId)).toEqual(['huimin']);
    expect(one.branches[0].complaintCompletion).toMatchObject({ numerator: 1, denominator: 1, met: true });
    const now = (await get('/api/kpi?lang=en')).json();
    expect(now.period).toMatchObject({ kind: 'month', firstDay: '2026-12-01', label: '2026-12' });
    expect(now.company.branchName).toBe('Whole company');
  });

  it('answers bad parameters with a 4xx and a code', async () => {
    const cases: [string, number, string][] = [
      ['/api/kpi?from=yesterday', 400, 'invalid_date'],
      ['/api/kpi?from=2026-02-30&to=2026-03-01', 400, 'invalid_date'],
      ['/api/kpi?from=2026-11-10&to=2026-11-01', 400, 'invalid_period'],
      ['/api/kpi?from=2026-11-10&to=2026-11-10', 400, 'invalid_period'],
      ['/api/kpi?from=2026-11-10', 400, 'invalid_period'],
      ['/api/kpi?period=year', 400, 'invalid_period'],
      ['/api/kpi?period=month&to=2026-12-01', 400, 'invalid_period'],
      ['/api/kpi?branch=mars', 422, 'unknown_branch'],
      ['/api/kpi?colour=red', 400, 'validation_failed'],
      ['/api/kpi.csv?branch=mars', 422, 'unknown_branch'],
      ['/api/suggestions?from=nope', 400, 'invalid_date'],
    ];
    for (const [url, status, code] of cases) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(status);
      expect(res.json().code, url).toBe(code);
    }
  });

  it('refuses every KPI route without the bearer token', async () => {
    for (const url of ['/api/kpi', '/api/kpi.csv', '/api/suggestions', '/api/suggestions.csv']) {
      const res = await get(url, {});
      expect(res.statusCode, url).toBe(401);
      expect(res.json().code).toBe('unauthorized');
    }
    expect((await get('/api/kpi', { authorization: `Bearer ${TEST_TOKEN}x` })).statusCode).toBe(401);
  });
});

describe('R30 and R28 in the KPI API', () => {
  it('gives transfers out and repeat complaints per branch (R30): 回民 passed H to 新城 in November', async () => {
    const body = (await get('/api/kpi?period=2026-11')).json();
    const row = (id: string) => body.branches.find((b: any) => b.branchId === id);
    expect([row('huimin').transfersOut, row('xincheng').transfersOut, body.company.transfersOut]).toEqual([1, 0, 1]);
    expect([row('xincheng').repeats, body.company.repeats]).toEqual([0, 0]);
    const csv = (await get('/api/kpi.csv?period=2026-11')).rawPayload.subarray(3).toString('utf8').split('\r\n');
    const huimin = csv.find((l) => l.includes(',回民供热分公司,'))!.split(',');
    // transfers and repeats stand before the wait, which stays the last column
    expect(huimin.slice(-3)).toEqual(['1', '0', '120']);
  });

  it('lists the customers no callback reached (R28): E, three counted attempts, marked at 14:00 on 14 November', async () => {
    const res = await get('/api/kpi/unreachable?period=2026-11');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.period).toMatchObject({ kind: 'month', label: '2026年11月' });
    expect(body.total).toBe(1);
    expect(body.items).toEqual([
      {
        number: fx.numbers.E,
        branchId: 'xincheng',
        branchName: '新城供热分公司',
        category: 'no_heat',
        contactName: null,
        contactPhone: PHONES.P4,
        attempts: 3,
        at: '2026-11-14T06:00:00.000Z',
      },
    ]);
    expect((await get('/api/kpi')).json().unreachable).toEqual({ total: 0, items: [] });
    expect((await get('/api/kpi?period=2026-11')).json().unreachable.total).toBe(1);
    expect((await get('/api/kpi/unreachable?period=2026-11&branch=huimin')).json()).toMatchObject({ total: 0, items: [] });
    const csv = await get('/api/kpi/unreachable.csv?period=2026-11');
    expect(csv.headers['content-disposition']).toBe('attachment; filename="unreachable-2026-11-01_2026-11-30.csv"');
    const lines = csv.rawPayload.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('工单号,分公司,类别,联系人,电话,联系次数,确认联系不上时间');
    expect(lines[1]).toBe(`${fx.numbers.E},新城供热分公司,暖气不热,,${PHONES.P4},3,2026-11-14 14:00`);
  });

  it('answers a bad period or branch with its code, and no token with 401', async () => {
    expect((await get('/api/kpi/unreachable?branch=mars')).json().code).toBe('unknown_branch');
    expect((await get('/api/kpi/unreachable?from=2026-11-10&to=2026-11-01')).json().code).toBe('invalid_period');
    expect((await get('/api/kpi/unreachable', {})).statusCode).toBe(401);
    expect((await get('/api/kpi/unreachable.csv', {})).statusCode).toBe(401);
  });
});

describe('GET /api/kpi.csv', () => {
  it('is UTF-8 with a BOM, CRLF lines and Chinese headers, one line per branch, the centre and the company', async () => {
    const res = await get('/api/kpi.csv?period=2026-11');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="kpi-2026-11-01_2026-11-30.csv"');
    const bytes = res.rawPayload;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(
      [
        '统计起始,统计截止,分公司',
        '报修及时率,及时报修数,报修总数,报修及时率目标,报修及时率是否达标,报修及时率未到期件数',
        '客户满意率,满意客户数,回访客户数,客户满意率目标,客户满意率是否达标',
        '投诉处理及时率,按时办结数,交办总数,投诉处理及时率目标,投诉处理及时率是否达标,投诉处理及时率未到期件数',
        '投诉办结率,办结数,交办总数,投诉办结率目标,投诉办结率是否达标,投诉办结率未到期件数',
        '投诉满意率,满意件数,交办总数,投诉满意率目标,投诉满意率是否达标',
        '重复投诉（返工）,服务态度投诉（已核实）,转出其他分公司（次）,同类复诉（30天内同一客户）,平均等待分钟数',
      ].join(','),
    );
    expect(lines.slice(1, -1).map((l) => l.split(',')[2])).toEqual([
      '新城供热分公司',
      '回民供热分公司',
      '玉泉供热分公司',
      '赛罕供热分公司',
      '金桥供热分公司',
      '客户服务中心（未分派及督办投诉）',
      '全公司',
    ]);
    expect(lines[1]).toBe(
      '2026-11-01,2026-11-30,新城供热分公司,55.5%,5,9,100%,否,1,80%,4,5,99%,否,50%,5,10,100%,否,1,60%,6,10,100%,否,1,40%,4,10,100%,否,2,1,0,0,880',
    );
    expect(lines[3]).toBe('2026-11-01,2026-11-30,玉泉供热分公司,—,0,0,100%,—,0,—,0,0,99%,—,—,0,0,100%,—,0,—,0,0,100%,—,0,—,0,0,100%,—,0,0,0,0,—');
  });

  it('speaks English with lang=en', async () => {
    const text = (await get('/api/kpi.csv?period=2026-11&lang=en')).rawPayload.subarray(3).toString('utf8');
    expect(text.startsWith('From,To,Branch,Repair timeliness,Timely repairs,Repair requests,Repair timeliness target,Repair timeliness met,')).toBe(true);
    expect(text).toContain('2026-11-01,2026-11-30,Xincheng Branch,55.5%,5,9,100%,no,1,');
  });
});

describe('the suggestions summary (R18, R19)', () => {
  it('groups the period’s suggestions per branch by topic, falling back to the category', async () => {
    const body = (await get('/api/suggestions?period=2026-11')).json();
    expect(body.groups).toEqual([
      { branchId: 'xincheng', branchName: '新城供热分公司', topic: '收费窗口', topicName: '收费窗口', category: null, count: 2, answered: 0 },
      { branchId: 'xincheng', branchName: '新城供热分公司', topic: null, topicName: '其他', category: 'other', count: 1, answered: 0 },
    ]);
    expect(body.items.map((i: any) => i.description)).toEqual(['希望延长收费窗口时间', '=HYPERLINK("http://x","点我")', '小区里的暖气管道保温层破了']);
    expect((await get('/api/suggestions?period=2026-10')).json().groups).toEqual([]);
  });

  it('exports one CSV line per suggestion with its topic’s count, defusing text that a spreadsheet would run', async () => {
    const res = await get('/api/suggestions.csv?period=2026-11');
    expect(res.headers['content-disposition']).toBe('attachment; filename="suggestions-2026-11-01_2026-11-30.csv"');
    expect([...res.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = res.rawPayload.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('分公司,主题,本主题件数,工单号,受理时间,来源,状态,已答复,内容');
    expect(lines[1]).toMatch(/^新城供热分公司,收费窗口,2,S20261119-\d{4},2026-11-19 10:00,意见箱,已受理（待分派）,否,希望延长收费窗口时间$/);
    expect(lines[2]).toContain(`,"'=HYPERLINK(""http://x"",""点我"")"`);
    expect(lines[3]).toMatch(/^新城供热分公司,其他,1,/);
  });
});
