/**
 * The leaders' monthly summary of suggestions (R18, R19): the month's suggestions per branch
 * (the one that holds it, else the resident's community's) and topic, answered or not, and the
 * unanswered ones by number, posted to the leaders' channel on the 1st.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suggestionsReport } from '../../../src/core/reports/suggestions-report.js';
import { answerSuggestion } from '../../../src/core/suggestions/answer-suggestion.js';
import { createTicket, type NewTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { makeSlackHarness, textOf, type SlackHarness } from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness({ seed: false });
});
afterAll(() => h?.close());

const box = (description: string, more: Partial<NewTicket> = {}): NewTicket => ({
  kind: 'suggestion',
  category: 'other',
  source: 'suggestion_box',
  firstResponder: 'suggestion_box',
  description,
  ...more,
});

describe("the leaders' monthly summary of suggestions (R18, R19)", () => {
  it('counts the month per branch and topic, answered or not, lists the unanswered, and leaves out withdrawn ones and other months', async () => {
    const agent = h.core.org.staff.get('agent01');
    const a = await createTicket(h.core, box('希望增加缴费网点', { communityId: 'c019', topic: '缴费' }));
    const b = await createTicket(h.core, box('缴费大厅周末也开', { communityId: 'c019', topic: '缴费' }));
    const c = await createTicket(
      h.core,
      box('建议物业和分公司共用报修登记本', { source: 'branch_direct', firstResponder: 'staff:xincheng-coord', branchId: 'xincheng' }),
    );
    const d = await createTicket(h.core, box('热线等待音乐太吵'));
    const gone = await createTicket(h.core, box('重复投递的一张纸条', { communityId: 'c019', topic: '缴费' }));
    await transitionTicket(h.core, { number: gone.number, action: 'cancel', actor: 'staff:agent01', note: '与前一条重复' });
    await answerSuggestion(h.core, { number: a.number, staff: agent, text: '明年增设两个网点。' });
    await answerSuggestion(h.core, { number: c.number, staff: h.core.org.staff.get('xincheng-coord'), text: '已商定共用。' });

    h.core.clock.set('2026-12-01T01:30:00Z');
    await createTicket(h.core, box('十二月的建议', { communityId: 'c019', topic: '缴费' }));
    const items = await suggestionsReport(h.core, { key: 'report_suggestions:2026-12-01', date: '2026-12-01', month: '2026-11' }, h.core.clock.now());
    expect(items.map((m) => m.target)).toEqual(['C0LEADER01']);
    expect(items[0].payload).toMatchObject({ report: 'suggestions', count: 4, answered: 2 });
    await h.core.stores.outbox.owe(items, h.core.clock.now());
    await h.drain();
    const text = textOf(h.fake.channelMessages('C0LEADER01').at(-1)!);
    expect(text).toContain('2026-11 意见建议汇总（R18、R19）');
    expect(text).toContain('共 4 条，已答复 2 条，未答复 2 条。');
    expect(text).toContain('*新城供热分公司* · 未分主题（其他）：1 条（已答复 1）');
    expect(text).toContain('*玉泉供热分公司* · 缴费：2 条（已答复 1）');
    expect(text).toContain(`${b.number} · 玉泉供热分公司 · 缴费大厅周末也开`);
    expect(text).toContain(`${d.number} · 客户服务中心 · 热线等待音乐太吵`);
    expect(text).not.toContain(a.number);
    expect(text).not.toContain(gone.number);
    expect(text).not.toContain('十二月的建议');
  });

  it('says so when the month had none (R19)', async () => {
    const items = await suggestionsReport(h.core, { key: 'report_suggestions:2026-11-01', date: '2026-11-01', month: '2026-10' }, h.core.clock.now());
    await h.core.stores.outbox.owe(items, h.core.clock.now());
    await h.drain();
    expect(textOf(h.fake.channelMessages('C0LEADER01').at(-1)!)).toContain('本月没有收到意见建议。');
  });
});
