/**
 * /training through the real Slack app (R23/R24): the year's summary with who has had no
 * session, the modal that records a session with its attendance, the refusals, the plan, and the
 * reminder on the 1st as a branch head reads it. The test clock stands at 2026-11-28 14:00.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { ensureReportsScheduled } from '../../../src/core/reports/schedule-reports.js';
import {
  clickOn,
  elementsOf,
  lastModal,
  makeSlackHarness,
  slackViewSubmission,
  textOf,
  toldTo,
  U,
  type FieldValue,
  type SlackHarness,
} from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness({ seed: false });
});
afterAll(() => h?.close());

const CH = 'C1XINCHED';

/** The summary /training answered last (the ephemeral with its blocks). */
const lastAnswer = (user: string) => h.fake.ephemeralsFor(user).at(-1)!;

function sessionForm(over: Partial<Record<'topic' | 'date' | 'trainer' | 'attendees' | 'note', FieldValue>> = {}): Record<string, FieldValue> {
  return {
    topic: { option: 'complaint_handling' },
    date: '2026-11-20',
    trainer: '客服中心 李老师',
    attendees: { checked: ['xincheng-field1', 'xincheng-field2'] },
    note: '投诉处理案例讲解',
    ...over,
  };
}

async function openSessionModal(user: string) {
  await h.slash(user, '/training', '', CH);
  await clickOn(h, user, { ...lastAnswer(user), channel: CH, ts: '1764309600.000100' } as never, 'training.add_session');
  return lastModal(h);
}

describe('/training in Slack (R23/R24)', () => {
  it("a branch coordinator sees the branch's year: no session yet, everyone listed, and the buttons to record", async () => {
    await h.slash(U.xinchengCoord, '/training', '', CH);
    const m = lastAnswer(U.xinchengCoord);
    const text = textOf(m);
    expect(text).toContain('2026 年度培训 · 新城供热分公司');
    expect(text).toContain('本年度还没有培训记录。');
    expect(text).toContain('*本年度尚未参加培训*（4/4 人）：周静、吴娟、徐刚、孙伟');
    expect(elementsOf(m.blocks).map((e) => e.action_id)).toEqual(['training.add_session', 'training.add_plan']);
  });

  it('the modal offers the measures’ six topics and only the branch’s own staff to a branch coordinator', async () => {
    const { view } = await openSessionModal(U.xinchengCoord);
    expect(view.callback_id).toBe('training.session_modal');
    const block = (id: string) => view.blocks.find((b: any) => b.block_id === id);
    expect(block('topic').element.options.map((o: any) => o.text.text)).toEqual([
      '规章制度',
      '公司规定',
      '供热工艺',
      '户内供热设施',
      '沟通技巧',
      '投诉处理技巧',
    ]);
    expect(block('date').element).toMatchObject({ type: 'datepicker', initial_date: '2026-11-28' });
    const groups = block('attendees').element.option_groups;
    expect(groups.map((g: any) => g.label.text)).toEqual(['新城供热分公司']);
    expect(groups[0].options.map((o: any) => o.value)).toEqual(['xincheng-head', 'xincheng-coord', 'xincheng-field1', 'xincheng-field2', 'xincheng-billing']);
  });

  it('records the session with its attendance: the stored rows, the answer, and the summary after', async () => {
    const { meta } = await openSessionModal(U.xinchengCoord);
    const res = await h.submit(slackViewSubmission(U.xinchengCoord, 'training.session_modal', sessionForm(), meta));
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    const [s] = await h.core.stores.training.sessionsOfYear(2026);
    expect(s).toMatchObject({
      topic: 'complaint_handling',
      date: '2026-11-20',
      trainer: '客服中心 李老师',
      branchId: 'xincheng',
      note: '投诉处理案例讲解',
      createdBy: 'staff:xincheng-coord',
      staffIds: ['xincheng-field1', 'xincheng-field2'],
    });
    expect(toldTo(h, U.xinchengCoord).at(-1)).toBe('已记录培训：2026-11-20 投诉处理技巧（客服中心 李老师），2 人参训。');

    await h.slash(U.xinchengCoord, '/training', '', CH);
    const text = textOf(lastAnswer(U.xinchengCoord));
    expect(text).toContain('已办培训 *1* 场，参训 *2* 人次。');
    expect(text).toContain('（2/4 人）：周静、孙伟');
    expect(text).toContain('• 2026-11-20 · 投诉处理技巧 · 客服中心 李老师 · 新城供热分公司 · 2 人');
  });

  it('the same session entered again joins the first: only the new attendee is added', async () => {
    const { meta } = await openSessionModal(U.xinchengCoord);
    await h.submit(
      slackViewSubmission(U.xinchengCoord, 'training.session_modal', sessionForm({ attendees: { checked: ['xincheng-field2', 'xincheng-coord'] } }), meta),
    );
    expect(toldTo(h, U.xinchengCoord).at(-1)).toBe('这场培训（2026-11-20 投诉处理技巧，客服中心 李老师）已有记录：新增 1 人，1 人已在名单中。');
    expect(await h.core.db.trainingSession.count()).toBe(1);
    expect(await h.core.db.trainingAttendance.count()).toBe(3);
  });

  it('shows what is wrong on the modal’s fields and stores nothing: a future date, no trainer, another branch’s staff', async () => {
    const { meta } = await openSessionModal(U.xinchengCoord);
    const submit = async (over: Parameters<typeof sessionForm>[0]) =>
      JSON.parse((await h.submit(slackViewSubmission(U.xinchengCoord, 'training.session_modal', sessionForm(over), meta))).body);
    expect(await submit({ date: '2026-12-02' })).toEqual({ response_action: 'errors', errors: { date: '培训日期不能晚于今天：培训办过之后再记录。' } });
    expect(await submit({ trainer: null })).toEqual({ response_action: 'errors', errors: { trainer: '请填写培训人（不超过 100 字）。' } });
    expect(await submit({ attendees: { checked: ['huimin-field1'] } })).toEqual({
      response_action: 'errors',
      errors: { attendees: '分公司只能记录本分公司人员的培训。' },
    });
    expect(await h.core.db.trainingAttendance.count()).toBe(3);
  });

  it('field staff see the summary without buttons and cannot open the modal; someone not on the staff list is refused', async () => {
    await h.slash(U.xinchengField, '/training', '', CH);
    expect(elementsOf(lastAnswer(U.xinchengField).blocks)).toEqual([]);
    const summary = { ...lastAnswer(U.xinchengCoord), channel: CH, ts: '1764309600.000100' };
    await clickOn(h, U.xinchengField, summary as never, 'training.add_session');
    expect(toldTo(h, U.xinchengField).at(-1)).toBe('只有客服中心、分公司调度、领导和管理员可以记录培训。');
    await h.slash(U.xinchengField, '/training', '2025', CH);
    expect(textOf(lastAnswer(U.xinchengField))).toContain('2025 年度培训 · 新城供热分公司');
    await h.slash(U.xinchengField, '/training', 'hello', CH);
    expect(toldTo(h, U.xinchengField).at(-1)).toBe('用法：`/training`（今年）、`/training 2025`（某一年）或 `/training plan`（培训计划）。');
    await h.slash(U.stranger, '/training', '', CH);
    expect(toldTo(h, U.stranger).at(-1)).toBe('你还不在公司人员名单中，不能使用 /training。');
  });

  it('the centre plans a topic for the company next year and /training plan shows it', async () => {
    await h.slash(U.agent, '/training', '', 'C0CENTRE01');
    const summary = { ...lastAnswer(U.agent), channel: 'C0CENTRE01', ts: '1764309600.000200' };
    expect(textOf(summary)).toContain('2026 年度培训 · 全公司');
    await clickOn(h, U.agent, summary as never, 'training.add_plan');
    const { view, meta } = lastModal(h);
    expect(view.callback_id).toBe('training.plan_modal');
    await h.submit(
      slackViewSubmission(
        U.agent,
        'training.plan_modal',
        { year: { option: '2027' }, month: { option: '3' }, topic: { option: 'regulations' }, branch: { option: 'company' } },
        meta,
      ),
    );
    expect(toldTo(h, U.agent).at(-1)).toBe('已加入 2027 年培训计划：3 月 · 规章制度 · 全公司。');
    await h.slash(U.agent, '/training', 'plan', 'C0CENTRE01');
    const text = textOf(lastAnswer(U.agent));
    expect(text).toContain('2026 年还没有培训计划。');
    expect(text).toContain('• 3 月 · 规章制度 · 全公司 · 未办');
  });

  it("on the 1st at 10:00 a branch's head reads the names of its staff with no session this year (the reminder)", async () => {
    await ensureReportsScheduled(h.core);
    h.core.clock.set('2026-12-01T02:00:00Z');
    await fireDueAlerts(h.core, 'x');
    await h.drain();
    const posted = h.fake.channelMessages('C1XINCHER').filter((m) => textOf(m).includes('培训提醒'));
    expect(posted).toHaveLength(1);
    expect(textOf(posted[0])).toContain('培训提醒 · 新城供热分公司 · 2026 年');
    expect(textOf(posted[0])).toContain('以下 1 名服务人员（共 4 人）本年度尚未参加培训，请安排（R23/R24）：\n• 孙伟');
    expect(h.fake.channelMessages('C1HUIMINR').filter((m) => textOf(m).includes('培训提醒'))).toHaveLength(1);
  });
});
