/**
 * R30 (accountability for not solving per the measures): every ticket of the period that a person
 * took off a branch's books, cancelled, marked as a duplicate or linked to an incident by hand, is
 * listed in the assessment with the reason and who did it, so that withdrawing a ticket to
 * improve a rate is visible.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareIncident } from '../../../src/core/incidents/declare-incident.js';
import { linkTicket } from '../../../src/core/incidents/link-ticket.js';
import { computeKpis, type KpiReport } from '../../../src/core/kpi/compute-kpis.js';
import { calendarMonth } from '../../../src/core/kpi/period.js';
import { createTicket, type NewTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { kpiBlocks } from '../../../src/bots/slack-kpi/kpi-blocks.js';
import { kpiPage } from '../../../src/http/dashboard/kpi-page.js';
import { ticketPage } from '../../../src/http/dashboard/ticket-pages.js';
import { getTicket } from '../../../src/core/tickets/get-ticket.js';
import { kpiJson } from '../../../src/http/routes/kpi.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let nov: KpiReport;
const n: Record<string, string> = {};
const november = calendarMonth(2026, 11);

const at = (local: string) => core.clock.set(`${local}:00+08:00`);
async function open(name: string, local: string, over: Partial<NewTicket> = {}) {
  at(local);
  const t = await createTicket(core, {
    kind: 'complaint',
    category: 'no_heat',
    source: 'hotline',
    description: `暖气不热（${name}）`,
    firstResponder: 'staff:agent01',
    communityId: 'c001',
    ...over,
  });
  n[name] = t.number;
  return t;
}

beforeAll(async () => {
  core = await makeTestCore();
  // created in October, cancelled in November: October's ticket, not November's list
  await open('OCT', '2026-10-31T20:00');
  at('2026-11-01T09:00');
  await transitionTicket(core, { number: n.OCT, action: 'cancel', actor: 'staff:xincheng-coord', note: '住户撤回' });

  await open('A', '2026-11-05T09:00');
  await open('B', '2026-11-05T09:30');
  at('2026-11-05T09:40');
  await transitionTicket(core, { number: n.B, action: 'mark_duplicate', actor: 'staff:xincheng-coord', duplicateOf: n.A, note: '同一户重复来电' });

  await open('C', '2026-11-06T10:00', { communityId: 'c010' }); // 回民
  at('2026-11-06T10:30');
  await transitionTicket(core, { number: n.C, action: 'cancel', actor: 'staff:huimin-coord', note: '误报或信息错误：户号填错' });

  // a report in words the intake could not place, linked by hand with a reason; the declaration's
  // own links (the open no-heat reports of the community) carry no reason and are not listed
  await open('L', '2026-11-07T08:00', { category: 'noise_pressure', description: '暖气管道异响', communityId: 'c002' });
  await open('AUTO', '2026-11-07T08:05', { communityId: 'c002' });
  at('2026-11-07T08:10');
  const { incident } = await declareIncident(core, { communityIds: ['c002'], scope: 'community', cause: '换热站停电', actor: 'staff:agent01' });
  n.INC = incident.number;
  at('2026-11-07T08:20');
  const l = await core.db.ticket.findUniqueOrThrow({ where: { number: n.L } });
  await linkTicket(core, { ticketId: l.id, incidentId: incident.id, actor: 'staff:agent02', reason: '异响由停电后管网压力波动引起' });

  // done after the end of November: not in November's list
  await open('LATE', '2026-11-30T23:00');
  at('2026-12-01T08:00');
  await transitionTicket(core, { number: n.LATE, action: 'cancel', actor: 'staff:xincheng-coord', note: '住户撤回' });

  at('2026-12-02T08:00');
  nov = await computeKpis(core, { from: november.from, to: november.to });
});
afterAll(async () => core?.close());

describe('the R30 list of withdrawn tickets', () => {
  it('lists a cancellation, a duplicate and a link by hand of the period with their reasons and who did them, in the order they were done', () => {
    expect(nov.withdrawn.total).toBe(3);
    expect(nov.withdrawn.items).toEqual([
      expect.objectContaining({ number: n.B, type: 'duplicate', branchId: 'xincheng', actor: 'staff:xincheng-coord', reason: '同一户重复来电', original: n.A }),
      expect.objectContaining({ number: n.C, type: 'cancelled', branchId: 'huimin', actor: 'staff:huimin-coord', reason: '误报或信息错误：户号填错' }),
      expect.objectContaining({ number: n.L, type: 'linked', actor: 'staff:agent02', reason: '异响由停电后管网压力波动引起', incident: n.INC }),
    ]);
    expect(nov.withdrawn.items[0].at).toEqual(new Date('2026-11-05T09:40:00+08:00'));
  });

  it('leaves out the links a declaration made by itself, a ticket of another period and a step after the period', () => {
    const numbers = nov.withdrawn.items.map((w) => w.number);
    expect(numbers).not.toContain(n.AUTO);
    expect(numbers).not.toContain(n.OCT);
    expect(numbers).not.toContain(n.LATE);
  });

  it('shows one branch its own withdrawals only, and counts all of them when the list is cut short', async () => {
    const huimin = await computeKpis(core, { from: november.from, to: november.to, branchId: 'huimin' });
    expect(huimin.withdrawn).toEqual({ total: 1, items: [expect.objectContaining({ number: n.C })] });
    const short = await computeKpis(core, { from: november.from, to: november.to, withdrawnLimit: 1 });
    expect(short.withdrawn.total).toBe(3);
    expect(short.withdrawn.items.map((w) => w.number)).toEqual([n.B]);
  });

  it('R27 still counts the duplicate as a repair request while R29 counts the complaint once', () => {
    const x = nov.branches.find((b) => b.branchId === 'xincheng')!;
    // 新城's November complaints: A and its duplicate B (no_heat), L (noise) linked; OCT is October's,
    // AUTO (no_heat, linked by the declaration), LATE (cancelled on 1 December: November judged as
    // it stood at its end, when LATE was an open complaint)
    expect(x.repairTimeliness.denominator).toBe(5); // A, B, L, AUTO, LATE
    expect(x.complaintCompletion.denominator).toBe(4); // A, L, AUTO, LATE: B is A's complaint again
  });
});

describe('the R30 list as people read it', () => {
  it('is the last part of /kpi in Slack: each line the time, the ticket, what was done, who and why', async () => {
    const blocks = (await kpiBlocks(core, { text: '2026-11' })) as { text?: { text: string } }[];
    const last = blocks.at(-1)!.text!.text;
    expect(last).toContain('*撤销、重复与手动关联（R30）* · 共 3 条');
    expect(last).toContain(`2026-11-05 09:40 · ${n.B} · 标记重复（原工单 ${n.A}） · 周静：同一户重复来电`);
    expect(last).toContain(`2026-11-06 10:30 · ${n.C} · 撤销 · 朱超：误报或信息错误：户号填错`);
    expect(last).toContain(`2026-11-07 08:20 · ${n.L} · 关联到事件（事件 ${n.INC}） · 张涛：异响由停电后管网压力波动引起`);
  });

  it('is in the KPI API with branch and actor names, and on the dashboard as a table', () => {
    const period = { ...november, kind: 'month' as const, firstDay: '2026-11-01', lastDay: '2026-11-30' };
    const json = kpiJson(core.org, period as never, nov, 'en');
    expect(json.withdrawn.total).toBe(3);
    expect(json.withdrawn.items[1]).toMatchObject({
      number: n.C,
      type: 'cancelled',
      branchName: 'Huimin Branch',
      actorName: '朱超',
      reason: '误报或信息错误：户号填错',
    });
    const page = String(
      kpiPage({ org: core.org, locale: 'zh-CN', query: {}, period: period as never, report: nov, trend: [], branches: [], allBranches: true }),
    );
    const section = page.slice(page.indexOf('<section id="withdrawn">'));
    expect(section).toContain('<td>撤销</td>');
    expect(section).toContain('<td class="reason">误报或信息错误：户号填错</td>');
    expect(section).toContain('<td>朱超</td>');
  });

  it('is on the ticket’s page too: the step, who did it and the reason', async () => {
    const page = String(ticketPage(core.org, 'zh-CN', await getTicket(core, n.L)));
    const line = page.slice(page.indexOf('<li data-type="linked">'));
    expect(line).toContain('<strong>关联到事件</strong>');
    expect(line).toContain('<span class="who">张涛</span>');
    expect(line).toContain('<span class="note">异响由停电后管网压力波动引起</span>');
  });
});
