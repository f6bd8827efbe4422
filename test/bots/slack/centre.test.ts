import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { cardOf, elementsOf, lastModal, makeSlackHarness, slackViewSubmission, textOf, toldTo, U, type SlackHarness } from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness({ kpiBlocks: undefined });
});
afterAll(() => h?.close());

describe('/ticket', () => {
  it('shows a ticket privately, with its history and a masked phone, and no buttons', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    const res = await h.slash(U.xinchengHead, '/ticket', ` ${t.number.toLowerCase()} `);
    expect(res.statusCode).toBe(200);
    const reply = h.fake.ephemeralsFor(U.xinchengHead).at(-1)!;
    expect(textOf(reply)).toContain(`${t.number} · 投诉/报修 / 暖气不热`);
    expect(textOf(reply)).toContain('李磊 受理（热线电话）');
    expect(textOf(reply)).toContain('152****1590');
    expect(elementsOf(reply.blocks)).toEqual([]);
  });

  it('says so for an unknown number, and refuses someone who is not staff', async () => {
    await h.slash(U.agent, '/ticket', 'T20990101-0001');
    expect(toldTo(h, U.agent).at(-1)).toBe('找不到工单 T20990101-0001。');
    await h.slash(U.stranger, '/ticket', 'T20990101-0001');
    expect(toldTo(h, U.stranger).at(-1)).toContain('未登记为员工');
  });
});

describe('/intake (R1, R3)', () => {
  it('opens a modal for the caller’s details', async () => {
    await h.slash(U.agent, '/intake', '', 'C0CENTRE01');
    const { view } = lastModal(h);
    expect(view.callback_id).toBe('ticket.intake');
    expect(view.blocks.map((b: any) => b.block_id)).toEqual([
      'kind',
      'category',
      'source',
      // R27: the scope, chosen or read from the description (test/bots/slack/intake-scope.test.ts)
      'scope',
      'severity',
      'contact_name',
      'phone',
      'account',
      'community',
      'address',
      'description',
    ]);
    const sources = view.blocks.find((b: any) => b.block_id === 'source').element.options.map((o: any) => o.value);
    // R5: the community suggestion boxes' contents are entered here too
    expect(sources).toEqual(['hotline', 'letter', 'visit', 'branch_direct', 'suggestion_box']);
  });

  it('records a complaint by letter with the agent as first responder and dispatches it by community', async () => {
    await h.slash(U.agent, '/intake', '', 'C0CENTRE01');
    const { meta } = lastModal(h);
    const bad = await h.submit(
      slackViewSubmission(
        U.agent,
        'ticket.intake',
        { kind: { option: 'complaint' }, category: { option: 'no_heat' }, source: { option: 'hotline' }, phone: 'abc', account: '1999999999', description: '' },
        meta,
      ),
    );
    expect(Object.keys(bad.json().errors).sort()).toEqual(['description', 'phone']);
    const unknown = await h.submit(
      slackViewSubmission(
        U.agent,
        'ticket.intake',
        { kind: { option: 'complaint' }, category: { option: 'no_heat' }, source: { option: 'hotline' }, account: '1999999999', description: '不热' },
        meta,
      ),
    );
    expect(unknown.json().errors).toEqual({ account: '没有这个供热户号，请核对或留空。' });
    expect(await h.core.db.ticket.count({ where: { firstResponder: 'staff:agent01', source: 'letter' } })).toBe(0);

    await h.submit(
      slackViewSubmission(
        U.agent,
        'ticket.intake',
        {
          kind: { option: 'complaint' },
          category: { option: 'no_heat' },
          source: { option: 'letter' },
          severity: null,
          contact_name: '刘女士',
          phone: '139 1234 5678',
          account: null,
          community: { option: 'c019' },
          address: '昭君花园5号楼1单元302',
          description: '来信反映室温14度',
        },
        meta,
      ),
    );
    const t = await h.core.db.ticket.findFirstOrThrow({ where: { source: 'letter' }, orderBy: { id: 'desc' } });
    expect(t).toMatchObject({
      firstResponder: 'staff:agent01',
      contactName: '刘女士',
      contactPhone: '13912345678',
      communityId: 'c019',
      branchId: 'yuquan',
      status: 'dispatched',
    });
    expect(toldTo(h, U.agent).at(-1)).toBe(
      `已登记工单 ${t.number}，已派至 玉泉供热分公司。您是首位负责人。\n范围（按描述判断）：二次网 / 户内（一户或一个单元）`,
    );
    await h.drain();
    const card = await cardOf(h, t.id);
    expect(card.channel).toBe('C1YUQUAND');
    expect(textOf(card)).toContain('李磊 · 客户服务中心');
    expect(textOf(card)).toContain('刘女士 139****5678');
  });

  it('keeps a complaint made directly to a branch with that branch (R1.2)', async () => {
    await h.slash(U.huiminCoord, '/intake', '', 'C1HUIMIND');
    const { view, meta } = lastModal(h);
    expect(view.blocks.find((b: any) => b.block_id === 'source').element.initial_option.value).toBe('branch_direct');
    await h.submit(
      slackViewSubmission(
        U.huiminCoord,
        'ticket.intake',
        {
          kind: { option: 'complaint' },
          category: { option: 'billing' },
          source: { option: 'branch_direct' },
          account: '1010000000',
          description: '来访：热费多收',
        },
        meta,
      ),
    );
    const t = await h.core.db.ticket.findFirstOrThrow({ where: { source: 'branch_direct' }, orderBy: { id: 'desc' } });
    expect(t).toMatchObject({ firstResponder: 'staff:huimin-coord', branchId: 'huimin', unitId: 'huimin-billing', contactName: '王秀兰' });
  });

  it('records a complaint once even if the same submission arrives twice', async () => {
    await h.slash(U.agent2, '/intake', '', 'C0CENTRE01');
    const { meta } = lastModal(h);
    const submission = slackViewSubmission(
      U.agent2,
      'ticket.intake',
      { kind: { option: 'suggestion' }, category: { option: 'other' }, source: { option: 'visit' }, description: '建议延长供暖期' },
      meta,
      { viewId: 'VTWICE' },
    );
    await h.submit(submission);
    await h.submit(submission);
    expect(await h.core.db.ticket.count({ where: { firstResponder: 'staff:agent02', kind: 'suggestion' } })).toBe(1);
  });
});

describe('/duty and /kpi', () => {
  it('writes the duty log (R4)', async () => {
    const res = await h.slash(U.xinchengCoord, '/duty', '22:10 幸福家园3号楼跑水，已通知抢修 T20261128-0001');
    expect(res.statusCode).toBe(200);
    const entry = await h.core.db.dutyLogEntry.findFirstOrThrow({ where: { staffId: 'xincheng-coord' } });
    expect(entry).toMatchObject({ branchId: 'xincheng', ticketNumber: 'T20261128-0001', text: '22:10 幸福家园3号楼跑水，已通知抢修 T20261128-0001' });
    expect(toldTo(h, U.xinchengCoord).at(-1)).toBe('已记入新城供热分公司工作日志（2026-11-28 14:00）。');
    // no words: who is on duty now and the log, with how to write to it
    await h.slash(U.xinchengCoord, '/duty', '  ');
    expect(toldTo(h, U.xinchengCoord).at(-1)).toContain('现在值班 · 新城供热分公司');
    expect(toldTo(h, U.xinchengCoord).at(-1)).toContain('`/duty 记录内容` 记工作日志');
  });

  it('says KPIs are not available until the KPI module is plugged in', async () => {
    await h.slash(U.hqLeader, '/kpi', '');
    expect(toldTo(h, U.hqLeader).at(-1)).toBe('考核指标功能尚未开通。');
  });
});

describe('/kpi with the KPI module', () => {
  it('answers with the blocks the module gives', async () => {
    const seen: { text: string; staff: string }[] = [];
    const k = await makeSlackHarness({
      seed: false,
      kpiBlocks: async ({ text, staff }) => {
        seen.push({ text, staff: staff.id });
        return [{ type: 'section', text: { type: 'mrkdwn', text: 'timely 100%' } }];
      },
    });
    try {
      await k.slash(U.hqLeader, '/kpi', 'xincheng 2026-11');
      expect(seen).toEqual([{ text: 'xincheng 2026-11', staff: 'hq-leader' }]);
      expect(toldTo(k, U.hqLeader).at(-1)).toBe('timely 100%');
    } finally {
      await k.close();
    }
  });
});
