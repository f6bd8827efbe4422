/**
 * A hand-built November 2026, walked through the real use cases with the clock moved step by
 * step (local times, Asia/Shanghai). Tests compute the expected numbers from this story by hand.
 *
 * 新城 (xincheng), complaints created in November and held by 新城 on 1 December:
 *   A  no_heat, secondary   P1  on site after 50 min; resolved; callback 满意 (11-06); reopened on 12-02
 *   B  leak, secondary      P1  on site after 1 h 30; resolved; callback 不满意 (11-07) → reopened, open since
 *   C  no_heat, secondary   P2  on site after 40 min; resolved; 不满意 (11-08) → reopened; on site again
 *                               (2nd visit after 26 h), resolved; 满意 (11-09)
 *   D  no_heat, primary     P3  resolved after 23 h; callback 基本满意
 *   E  no_heat, primary     P4  resolved after 25 h (late); callback not reached 3 times, 2 h apart → unreachable
 *   F  billing              P5  never resolved; its deadline passed in November
 *   G  staff_conduct        P6  confirmed conduct complaint; resolved the same day; callback never answered
 *   H  no_heat, secondary   P7  reported in 回民 (c010), transferred to 新城 after 30 min; on site 50 min
 *                               after the report; resolved; 满意
 *   J  no_heat, secondary   P8  never handled in November; transferred to 回民 on 12-02
 *   K  no_heat, secondary   P9  reported 11-30 23:30; on site 12-01 00:10 (after the period, within its hour)
 *   X1 cancelled, X2 duplicate of A, S a suggestion: in no KPI
 *   M  no_heat              P10 created 10-31 (October); its callback 满意 answered 11-01
 * 回民 (huimin): N no_heat, secondary, P1 again: on site 30 min, resolved, 满意 (11-15).
 * No branch on 1 December: T (no community, still in the triage queue), Y (dispatched to 玉泉 on 12-01).
 * 玉泉 (yuquan), 赛罕, 金桥: nothing in November.
 */
import type { Satisfaction } from '../../../src/core/domain.js';
import { createTicket, type NewTicket } from '../../../src/core/tickets/create-ticket.js';
import { recordCallback } from '../../../src/core/tickets/record-callback.js';
import { transitionTicket, type StepInput } from '../../../src/core/tickets/transition-ticket.js';
import type { TestCore } from '../../helpers/core.js';

export const PHONES = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`P${i + 1}`, `1390000${String(i + 1).padStart(4, '0')}`])) as Record<
  string,
  string
>;

/** The moment the report is read: 3 December 2026, 10:00 local. */
export const REPORT_TIME = '2026-12-03T10:00:00+08:00';

export interface NovemberFixture {
  numbers: Record<string, string>;
}

export async function buildNovember(core: TestCore): Promise<NovemberFixture> {
  const numbers: Record<string, string> = {};
  const at = (local: string) => core.clock.set(`${local}:00+08:00`);
  const open = async (name: string, local: string, over: Partial<NewTicket>) => {
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
    numbers[name] = t.number;
    return t;
  };
  const step = (name: string, local: string, action: StepInput['action'], extra: Partial<StepInput> = {}) => {
    at(local);
    return transitionTicket(core, {
      number: numbers[name],
      action,
      actor: 'staff:xincheng-field1',
      note: action === 'resolve' ? '已修复' : undefined,
      ...extra,
    });
  };
  const pendingCallback = async (name: string) => {
    const t = await core.db.ticket.findUniqueOrThrow({ where: { number: numbers[name] } });
    return core.db.callback.findFirstOrThrow({ where: { ticketId: t.id, status: 'pending' } });
  };
  const answer = async (name: string, local: string, satisfaction: Satisfaction) => {
    const cb = await pendingCallback(name);
    at(local);
    return recordCallback(core, { callbackId: cb.id, actor: 'staff:agent02', reached: true, satisfaction });
  };
  const notReached = async (name: string, local: string) => {
    const cb = await pendingCallback(name);
    at(local);
    return recordCallback(core, { callbackId: cb.id, actor: 'staff:agent02', reached: false });
  };

  // October: M, whose callback falls in November.
  await open('M', '2026-10-31T20:00', { contactPhone: PHONES.P10 });
  await step('M', '2026-10-31T20:05', 'accept');
  await step('M', '2026-10-31T20:30', 'arrive');
  await step('M', '2026-10-31T22:00', 'resolve');
  await answer('M', '2026-11-01T09:00', 'satisfied');

  await open('A', '2026-11-05T09:00', { contactPhone: PHONES.P1 });
  await step('A', '2026-11-05T09:10', 'accept');
  await step('A', '2026-11-05T09:50', 'arrive');
  await open('X2', '2026-11-05T10:00', { contactPhone: PHONES.P1 });
  await step('X2', '2026-11-05T10:05', 'mark_duplicate', { actor: 'staff:xincheng-coord', duplicateOf: numbers.A, note: '同一户重复来电' });
  await step('A', '2026-11-05T12:00', 'resolve');
  await answer('A', '2026-11-06T10:00', 'satisfied');

  await open('B', '2026-11-06T08:00', { category: 'leak', contactPhone: PHONES.P1 });
  await step('B', '2026-11-06T08:05', 'accept');
  await step('B', '2026-11-06T09:30', 'arrive');
  await step('B', '2026-11-06T15:00', 'resolve');
  await answer('B', '2026-11-07T10:00', 'dissatisfied');

  await open('C', '2026-11-07T10:00', { contactPhone: PHONES.P2 });
  await step('C', '2026-11-07T10:05', 'accept');
  await step('C', '2026-11-07T10:40', 'arrive');
  await step('C', '2026-11-07T12:00', 'resolve');
  await answer('C', '2026-11-08T10:00', 'dissatisfied');
  await step('C', '2026-11-08T11:00', 'accept');
  await step('C', '2026-11-08T12:00', 'arrive');
  await step('C', '2026-11-08T15:00', 'resolve');
  await answer('C', '2026-11-09T10:00', 'satisfied');

  await open('D', '2026-11-10T10:00', { scope: 'primary', contactPhone: PHONES.P3 });
  await step('D', '2026-11-10T10:10', 'accept');
  await step('D', '2026-11-11T09:00', 'resolve');
  await answer('D', '2026-11-11T10:00', 'fairly');

  await open('E', '2026-11-12T10:00', { scope: 'primary', contactPhone: PHONES.P4 });
  await step('E', '2026-11-12T10:10', 'accept');
  await open('X1', '2026-11-12T11:00', { contactPhone: PHONES.P4 });
  await step('X1', '2026-11-12T11:30', 'cancel', { actor: 'staff:xincheng-coord', note: '用户撤回' });
  await step('E', '2026-11-13T11:00', 'resolve');
  // attempts count only 2 h apart (escalation.callbackRetrySpacing): 10:00, 12:00, 14:00
  await notReached('E', '2026-11-14T10:00');
  await notReached('E', '2026-11-14T12:00');
  await notReached('E', '2026-11-14T14:00');

  await open('N', '2026-11-14T10:00', { communityId: 'c010', contactPhone: PHONES.P1 });
  await step('N', '2026-11-14T10:05', 'accept', { actor: 'staff:huimin-field1' });
  await step('N', '2026-11-14T10:30', 'arrive', { actor: 'staff:huimin-field1' });
  await step('N', '2026-11-14T12:00', 'resolve', { actor: 'staff:huimin-field1' });
  await answer('N', '2026-11-15T10:00', 'satisfied');

  await open('F', '2026-11-16T10:00', { category: 'billing', description: '热费多收', contactPhone: PHONES.P5 });

  await open('G', '2026-11-17T10:00', { category: 'staff_conduct', description: '维修人员态度恶劣', contactPhone: PHONES.P6 });
  // G stands for a conduct complaint the branch held (the intake now gives them to the centre's
  // supervision, R31): kept at 新城 so that its R29 counts stay the branch's as this fixture's
  // figures say; R32/R33 count the finding row (ConductFinding), recorded against 新城's worker
  const g = await core.db.ticket.update({
    where: { number: numbers.G },
    data: { branchId: 'xincheng', unitId: 'xincheng-office', conductStaffId: 'xincheng-field2', conductConfirmed: true },
  });
  await core.db.conductFinding.create({
    data: {
      ticketId: g.id,
      staffId: 'xincheng-field2',
      branchId: 'xincheng',
      finding: 'attitude',
      consequence: 'allowance',
      month: '2026-11',
      evidence: '录音核实',
      foundBy: 'staff:agent01',
      foundAt: new Date('2026-11-17T07:00:00Z'),
    },
  });
  await step('G', '2026-11-17T10:30', 'accept', { actor: 'staff:xincheng-coord' });
  await step('G', '2026-11-17T15:00', 'resolve', { actor: 'staff:xincheng-coord' });

  await open('T', '2026-11-18T10:00', { communityId: undefined, address: '不知道哪个小区', contactPhone: PHONES.P8 });

  await open('S', '2026-11-19T10:00', {
    kind: 'suggestion',
    category: 'other',
    source: 'suggestion_box',
    firstResponder: 'suggestion_box',
    topic: '收费窗口',
    description: '希望延长收费窗口时间',
  });

  await open('H', '2026-11-20T10:00', { communityId: 'c010', contactPhone: PHONES.P7 });
  await step('H', '2026-11-20T10:30', 'transfer', { actor: 'staff:agent01', branchId: 'xincheng', note: '地址属于新城' });
  await step('H', '2026-11-20T10:40', 'accept');
  await step('H', '2026-11-20T10:50', 'arrive');
  await step('H', '2026-11-20T13:00', 'resolve');
  await answer('H', '2026-11-21T10:00', 'satisfied');

  await open('J', '2026-11-25T10:00', { contactPhone: PHONES.P8 });
  await open('Y', '2026-11-29T10:00', { communityId: undefined, address: '地址待核实', contactPhone: PHONES.P9 });
  await open('K', '2026-11-30T23:30', { contactPhone: PHONES.P9 });
  await step('K', '2026-11-30T23:40', 'accept');

  // After the end of November.
  await step('K', '2026-12-01T00:10', 'arrive');
  await step('Y', '2026-12-01T10:00', 'dispatch', { actor: 'staff:agent01', branchId: 'yuquan' });
  await step('J', '2026-12-02T10:00', 'transfer', { actor: 'staff:agent01', branchId: 'huimin', note: '划归回民' });
  await step('A', '2026-12-02T11:00', 'reopen', { actor: 'staff:agent01', note: '用户再次来电：又不热了' });

  core.clock.set(REPORT_TIME);
  return { numbers };
}
