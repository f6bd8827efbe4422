/**
 * Closed periods are closed (八, R29, R30): at 00:10 on the 1st the month that ended is frozen;
 * from then on every reading of it (API, CSV, Slack /kpi, the monthly report) shows the frozen
 * figures, and a change to one of its tickets is recorded beside them as an adjustment with who,
 * when and why, or refused without a reason. Through the real routes, Slack app and database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiBlocks } from '../../src/bots/slack-kpi/kpi-blocks.js';
import { fireDueAlerts } from '../../src/core/deadlines/fire-due-alerts.js';
import { declareIncident } from '../../src/core/incidents/declare-incident.js';
import { linkTicket } from '../../src/core/incidents/link-ticket.js';
import { isAppError } from '../../src/core/errors.js';
import { ensureReportsScheduled } from '../../src/core/reports/schedule-reports.js';
import { createTicket } from '../../src/core/tickets/create-ticket.js';
import { recordCallback } from '../../src/core/tickets/record-callback.js';
import { reclassifyTicket } from '../../src/core/tickets/reclassify-ticket.js';
import { transitionTicket } from '../../src/core/tickets/transition-ticket.js';
import { auth, staffSessionCookie } from '../helpers/app.js';
import { hotlineComplaint } from '../helpers/builders.js';
import { makeSlackHarness, textOf, toldTo, U, type SlackHarness } from '../helpers/slack.js';

let h: SlackHarness;
const n: Record<string, string> = {};
const at = (local: string) => h.core.clock.set(`${local}:00+08:00`);
const get = (url: string) => h.app.inject({ method: 'GET', url, headers: auth });
const post = (url: string, payload: Record<string, unknown> = {}) => h.app.inject({ method: 'POST', url, headers: auth, payload });
const adjustmentsOf = async (number: string) => {
  const t = await h.core.db.ticket.findUniqueOrThrow({ where: { number } });
  return h.core.db.kpiAdjustment.findMany({ where: { ticketId: t.id }, orderBy: { id: 'asc' } });
};
let novemberBefore: any;

beforeAll(async () => {
  h = await makeSlackHarness({ kpiBlocks: (args) => kpiBlocks(h.core, { text: args.text }) });
  at('2026-11-20T09:00');
  await ensureReportsScheduled(h.core);
  for (const name of ['CANCEL', 'NOREASON', 'RECLASS', 'CALLBACK']) {
    const t = await createTicket(h.core, hotlineComplaint({ description: `暖气不热（${name}）` }));
    n[name] = t.number;
  }
  // resolved in November, its callback answered in December
  at('2026-11-20T10:00');
  await transitionTicket(h.core, { number: n.CALLBACK, action: 'accept', actor: 'staff:xincheng-coord' });
  await transitionTicket(h.core, { number: n.CALLBACK, action: 'resolve', actor: 'staff:xincheng-coord', note: '更换阀门，已恢复' });
  // the report of the 1st at 00:10 (and the daily ones before it) fire
  at('2026-12-01T00:10');
  await fireDueAlerts(h.core, 'test');
  novemberBefore = (await get('/api/kpi?period=2026-11')).json();
});
afterAll(async () => h?.close());

describe('closing a month (R29, R30)', () => {
  it('freezes the month that ended at 00:10 on the 1st and tells the leaders "11月考核数据已封存" (R29)', async () => {
    const snap = await h.core.db.kpiSnapshot.findUniqueOrThrow({ where: { periodKey: '2026-11' } });
    expect(snap).toMatchObject({ closedBy: 'system', closedAt: new Date('2026-11-30T16:10:00Z'), from: new Date('2026-10-31T16:00:00Z') });
    expect(JSON.parse(snap.data).company.complaintCompletion).toMatchObject({ numerator: 1, denominator: 4 });
    await h.drain();
    const told = h.fake.channelMessages('C0LEADER01').map(textOf);
    const line = told.find((x) => x.includes('2026年11月考核数据已封存'));
    expect(line).toContain('投诉办结率 25% (1/4)');
    expect(novemberBefore.frozen).toMatchObject({ periodKey: '2026-11', closedBy: 'system', closedByName: expect.any(String), adjustments: [] });
  });

  it('answers a second close with the first snapshot, unchanged (R29)', async () => {
    at('2026-12-01T09:00');
    const again = await post('/api/kpi/periods/2026-11/close');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ periodKey: '2026-11', closedBy: 'system', closedAt: '2026-11-30T16:10:00.000Z', created: false });
    expect(await h.core.db.kpiSnapshot.count()).toBe(1);
  });

  it('refuses to close the running month through the API: 409 period_not_ended, nothing stored (R29)', async () => {
    const res = await post('/api/kpi/periods/2026-12/close');
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'period_not_ended' });
    expect((await post('/api/kpi/periods/2026-13/close')).json()).toMatchObject({ code: 'invalid_period' });
    expect(await h.core.db.kpiSnapshot.count()).toBe(1);
  });

  it('lets only the company leaders and administrators close a month from Slack: a field worker is refused (R29)', async () => {
    await h.slash(U.xinchengField, '/kpi', 'close 2026-10');
    expect(toldTo(h, U.xinchengField).at(-1)).toBe('只有公司领导和系统管理员可以封存考核数据。');
    await h.slash(U.xinchengHead, '/kpi', 'close 2026-10');
    expect(toldTo(h, U.xinchengHead).at(-1)).toBe('只有公司领导和系统管理员可以封存考核数据。');
    expect(await h.core.db.kpiSnapshot.count({ where: { periodKey: '2026-10' } })).toBe(0);
    await h.slash(U.hqLeader, '/kpi', 'close 2026-10');
    expect(toldTo(h, U.hqLeader).at(-1)).toBe('2026年10月考核数据已封存（2026-12-01 09:00，杨勇）。');
    await h.slash(U.hqLeader, '/kpi', 'close 2026-12');
    expect(toldTo(h, U.hqLeader).at(-1)).toBe('2026年12月尚未结束，不能封存。');
    await h.slash(U.hqLeader, '/kpi', 'close November');
    expect(toldTo(h, U.hqLeader).at(-1)).toContain('/kpi close YYYY-MM');
    const list = (await get('/api/kpi/periods')).json();
    expect(list.items.map((p: any) => [p.periodKey, p.closedBy])).toEqual([
      ['2026-11', 'system'],
      ['2026-10', 'staff:hq-leader'],
    ]);
  });
});

describe('a change to a closed month (R29, R30)', () => {
  it("a complaint of November cancelled in December leaves November's frozen R29 figures unchanged and shows one adjustment with who and why", async () => {
    at('2026-12-02T10:00');
    const res = await post(`/api/tickets/${n.CANCEL}/transitions`, { action: 'cancel', actor: 'xincheng-coord', note: '住户撤诉，已自行修复' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().status).toBe('cancelled');
    const body = (await get('/api/kpi?period=2026-11')).json();
    for (const rate of ['complaintTimeliness', 'complaintCompletion', 'complaintSatisfaction'] as const) {
      expect(body.company[rate]).toEqual(novemberBefore.company[rate]);
    }
    expect(body.company.complaintCompletion.denominator).toBe(4);
    expect(body.frozen.adjustments).toHaveLength(1);
    expect(body.frozen.adjustments[0]).toMatchObject({
      action: 'cancelled',
      actor: 'staff:xincheng-coord',
      number: n.CANCEL,
      branchId: 'xincheng',
      reason: '住户撤诉，已自行修复',
      at: '2026-12-02T02:00:00.000Z',
      data: { before: { status: 'dispatched' }, after: { status: 'cancelled' }, via: 'api:operator' },
    });
    expect(body.frozen.adjustments[0].actorName).toContain('周静');
    expect(body.frozen.adjustedByBranch).toEqual([{ branchId: 'xincheng', branchName: '新城供热分公司', count: 1 }]);

    const csv = (await get('/api/kpi.csv?period=2026-11')).body;
    expect(csv).toContain('已封存（2026-12-01 00:10');
    expect(csv).toContain(`${n.CANCEL},新城供热分公司,撤销`);

    await h.slash(U.hqLeader, '/kpi', '2026-11');
    const slack = toldTo(h, U.hqLeader).at(-1)!;
    expect(slack).toContain(':lock: 已封存：2026-12-01 00:10');
    expect(slack).toContain(`${n.CANCEL} · 撤销 · 周静：住户撤诉，已自行修复`);
  });

  it('refuses the same change without a reason (reason_required) and stores nothing (R30)', async () => {
    const before = await h.core.db.ticket.findUniqueOrThrow({ where: { number: n.NOREASON } });
    const refused = await transitionTicket(h.core, { number: n.NOREASON, action: 'cancel', actor: 'staff:agent01' }).catch((e) => e);
    expect(isAppError(refused, 'reason_required')).toBe(true);
    const api = await post(`/api/tickets/${n.NOREASON}/transitions`, { action: 'transfer', actor: 'agent01', branchId: 'huimin' });
    expect(api.statusCode).toBeGreaterThanOrEqual(400);
    const after = await h.core.db.ticket.findUniqueOrThrow({ where: { number: n.NOREASON } });
    expect([after.status, after.version, after.branchId]).toEqual([before.status, before.version, before.branchId]);
    expect(await adjustmentsOf(n.NOREASON)).toEqual([]);
    expect(await h.core.db.ticketEvent.count({ where: { ticketId: before.id, type: { in: ['cancelled', 'transferred'] } } })).toBe(0);
  });

  it('refuses a reclassification without a reason, and records one with its reason beside the frozen month (R27, R30)', async () => {
    const res = await post(`/api/tickets/${n.RECLASS}/classification`, { actor: 'xincheng-coord', scope: 'primary' });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toMatchObject({ code: 'reason_required' });
    expect((await h.core.db.ticket.findUniqueOrThrow({ where: { number: n.RECLASS } })).scope).not.toBe('primary');
    await expect(reclassifyTicket(h.core, { number: n.RECLASS, actor: 'staff:xincheng-coord', scope: 'primary', reason: '  ' })).rejects.toMatchObject({
      code: 'reason_required',
    });
    const ok = await post(`/api/tickets/${n.RECLASS}/classification`, { actor: 'xincheng-coord', scope: 'primary', reason: '现场确认为一次网故障' });
    expect(ok.statusCode, ok.body).toBe(200);
    const [adj] = await adjustmentsOf(n.RECLASS);
    expect(adj).toMatchObject({ periodKey: '2026-11', action: 'reclassified', actor: 'staff:xincheng-coord', reason: '现场确认为一次网故障' });
    expect(JSON.parse(adj.data!)).toMatchObject({ after: { scope: 'primary' } });
    const timeline = (await get(`/api/tickets/${n.RECLASS}`)).json().timeline;
    expect(timeline.find((e: any) => e.type === 'reclassified')).toMatchObject({ note: '现场确认为一次网故障' });
  });

  it('a callback answered after the close is recorded as an adjustment without a typed reason (R28, R29)', async () => {
    at('2026-12-02T11:00');
    const t = await h.core.db.ticket.findUniqueOrThrow({ where: { number: n.CALLBACK } });
    const cb = await h.core.db.callback.findFirstOrThrow({ where: { ticketId: t.id, status: 'pending' } });
    const out = await recordCallback(h.core, { callbackId: cb.id, actor: 'staff:agent01', reached: true, satisfaction: 'satisfied' });
    expect(out.outcome).toBe('closed');
    const [adj] = await adjustmentsOf(n.CALLBACK);
    expect(adj).toMatchObject({ periodKey: '2026-11', action: 'callback', actor: 'staff:agent01', reason: 'auto:callback' });
    expect(JSON.parse(adj.data!)).toMatchObject({ before: { status: 'callback' }, after: { status: 'closed' } });
  });

  it("a report of November linked to an incident in December is recorded beside the frozen month with the link's reason (R27, R30)", async () => {
    at('2026-12-02T12:00');
    const { incident } = await declareIncident(h.core, { communityIds: ['c001'], scope: 'community', cause: '一次网主管道抢修', actor: 'staff:agent01' });
    const t = await h.core.db.ticket.findUniqueOrThrow({ where: { number: n.NOREASON } });
    expect(t.incidentId).toBeNull();
    await linkTicket(h.core, { ticketId: t.id, incidentId: incident.id, actor: 'staff:agent02', reason: '同一主管道停热' });
    const [adj] = await adjustmentsOf(n.NOREASON);
    expect(adj).toMatchObject({ periodKey: '2026-11', action: 'linked_incident', actor: 'staff:agent02', reason: '同一主管道停热', branchId: 'xincheng' });
    expect(JSON.parse(adj.data!)).toMatchObject({ after: { incident: incident.number, scope: 'primary' } });
  });

  it('a ticket of the running month needs no reason beyond what each step already asks, and owes no adjustment (R29)', async () => {
    at('2026-12-03T09:00');
    const t = await createTicket(h.core, hotlineComplaint({ description: '暖气不热（十二月）' }));
    await transitionTicket(h.core, { number: t.number, action: 'accept', actor: 'staff:xincheng-coord' });
    await transitionTicket(h.core, { number: t.number, action: 'transfer', actor: 'staff:agent01', branchId: 'huimin', note: '地址属回民' });
    expect(await adjustmentsOf(t.number)).toEqual([]);
  });

  it('the monthly report of 08:30, rendered when it is delivered, shows the frozen figures and the adjustments (R25-R30)', async () => {
    // the report was due on the 1st; it fires now, after the changes above
    await fireDueAlerts(h.core, 'test');
    await h.drain();
    const monthly = h.fake
      .channelMessages('C0LEADER01')
      .map(textOf)
      .find((x) => x.includes(':lock:'));
    expect(monthly).toContain('已封存');
    expect(monthly).toContain(`${n.CANCEL} · 撤销 · 周静`);
    expect(monthly).toContain(`${n.RECLASS} · 更改分类 · 周静：现场确认为一次网故障`);
  });

  it('the dashboard shows the closed month frozen, with the adjustments beside the table, and its CSV too (R29, R30)', async () => {
    const cookie = await staffSessionCookie(h.core, 'hq-leader');
    const page = await h.app.inject({ method: 'GET', url: '/dashboard?period=2026-11', headers: { cookie } });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.body).toMatch(/<p class="frozen" id="frozen" role="note">已封存：2026-12-01 00:10 由 [^<]+ 封存/);
    const adjustments = page.body.slice(page.body.indexOf('id="adjustments"'));
    expect(adjustments).toContain(`>${n.CANCEL}</a>`);
    expect(adjustments).toContain('住户撤诉，已自行修复');
    expect(adjustments).toContain('现场确认为一次网故障');
    const csv = await h.app.inject({ method: 'GET', url: '/dashboard/kpi.csv?period=2026-11', headers: { cookie } });
    expect(csv.body).toContain('封存后的调整（R30）');
  });

  it('a custom range over a closed month is computed live and says so (R29)', async () => {
    const body = (await get('/api/kpi?period=custom&from=2026-11-15&to=2026-12-02')).json();
    expect(body.frozen).toBeNull();
    expect(body.overlapsClosed).toEqual(['2026-11']);
  });
});
