import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../../src/core/clock.js';
import { linkTicket } from '../../../src/core/incidents/link-ticket.js';
import { proposeIncidents } from '../../../src/core/incidents/propose-incidents.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
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
  h = await makeSlackHarness();
});
afterAll(() => h?.close());

const XINCHENG_URGENT = 'C1XINCHEU';
const HUIMIN_URGENT = 'C1HUIMINU';
const TRIAGE = 'C0CENTRE01';
const LEADERS = 'C0LEADER01';

/** A no-heat report by phone from a community (no account: the community is given). */
const report = (communityId: string) => createTicket(h.core, hotlineComplaint({ customerAccount: undefined, communityId, description: '家里暖气不热' }));

/** The declaration form as a person fills it in. */
function form(over: Partial<Record<'communities' | 'stations' | 'scope' | 'cause' | 'severity' | 'expected', FieldValue>> = {}): Record<string, FieldValue> {
  return {
    communities: { checked: [] },
    stations: { checked: [] },
    scope: { option: 'station' },
    cause: '换热站循环泵故障，正在抢修',
    severity: { option: 'normal' },
    expected: null,
    ...over,
  };
}

async function declare(user: string, values: Record<string, FieldValue>, channel = TRIAGE) {
  await h.slash(user, '/incident', '', channel);
  const { meta } = lastModal(h);
  return h.submit(slackViewSubmission(user, 'incident.declare_modal', values, meta));
}

/** Delivers what is owed, after the 10-second bucket card refreshes wait for. */
async function deliver() {
  h.core.clock.advance(11_000);
  await h.drain();
}

const incidents = () => h.core.db.incident.findMany({ orderBy: { id: 'asc' } });
const appMessages = (channel: string) => h.fake.channelMessages(channel).filter((m) => !m.thread_ts && !m.ephemeral);

describe('/incident: declaring an outage from Slack', () => {
  it('opens a modal listing the communities by branch and each station with the communities it feeds', async () => {
    await h.slash(U.agent, '/incident', '', TRIAGE);
    const { view } = lastModal(h);
    expect(view.callback_id).toBe('incident.declare_modal');
    const block = (id: string) => view.blocks.find((b: any) => b.block_id === id);
    expect(block('communities').element.type).toBe('multi_static_select');
    expect(block('communities').element.option_groups.map((g: any) => g.label.text)).toContain('新城供热分公司');
    expect(block('stations').element.options.map((o: any) => o.text.text)).toContain('HX-XI02 · 幸福家园、东风小区、北垣新村');
    expect(block('scope').element.options.map((o: any) => o.text.text)).toEqual(['换热站', '一次网管段', '小区']);
  });

  it('declares the incident: one card in the branch urgent channel with the area, cause, who and when, the expected time and the reports it took over', async () => {
    await report('c001');
    await report('c005');
    h.core.clock.advance(5 * MINUTE); // 14:05 local
    const res = await declare(U.agent, form({ stations: { checked: ['HX-XI02'] }, expected: '18:30' }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
    const [inc] = await incidents();
    expect(inc).toMatchObject({ number: 'I20261128-01', status: 'open', scope: 'station', declaredBy: 'staff:agent01', linkedCount: 2 });
    expect(toldTo(h, U.agent).at(-1)).toBe('已宣布停热事件 I20261128-01，已并入 2 起报修；事件卡片发往分公司抢修频道。');

    await deliver();
    const cards = appMessages(XINCHENG_URGENT);
    expect(cards).toHaveLength(1);
    const text = textOf(cards[0]);
    expect(text).toContain('停热事件 I20261128-01 · 换热站');
    expect(text).toContain('换热站循环泵故障，正在抢修');
    expect(text).toContain('幸福家园、东风小区、北垣新村');
    expect(text).toContain('HX-XI02');
    expect(text).toContain('李磊 · 2026-11-28 14:05');
    expect(text).toContain('*预计恢复*\n2026-11-28 18:30');
    expect(text).toContain('*关联报修*\n2 起');
    expect(text).toContain('抢修中');
    expect(elementsOf(cards[0].blocks).map((e) => e.action_id)).toEqual(['incident.update', 'incident.restore']);
    // restoring resolves every linked report: Slack asks first
    expect(elementsOf(cards[0].blocks)[1].confirm.title.text).toBe('确认已恢复供热？');
    // a normal incident does not page the leaders
    expect(appMessages(LEADERS)).toHaveLength(0);
    // the two reports' own dispatch cards, posted before, say that the incident took them over
    const dispatchCards = appMessages('C1XINCHED');
    expect(dispatchCards).toHaveLength(2);
    const lastLine = (ts: string) => h.fake.thread('C1XINCHED', ts).at(-1)?.text;
    for (const card of dispatchCards) expect(lastLine(card.ts)).toContain('关联到事件 I20261128-01');
  });

  it('updates the card in place when more reports are linked and when the expected time changes: no second message', async () => {
    const [inc] = await incidents();
    const card = appMessages(XINCHENG_URGENT)[0];
    const cardUpdates = () => h.fake.callsTo('chat.update').filter((c) => c.channel === XINCHENG_URGENT).length;
    const updatesBefore = cardUpdates();
    for (const c of ['c009', 'c001', 'c005']) {
      const t = await report(c);
      if (!t.incidentId) await linkTicket(h.core, { ticketId: t.id, incidentId: inc.id, actor: 'staff:agent01', reason: '同一换热站' });
    }
    await deliver();
    expect(appMessages(XINCHENG_URGENT)).toHaveLength(1);
    expect(cardUpdates() - updatesBefore).toBe(1); // three links, one refresh
    expect(textOf(h.fake.message(card.channel, card.ts))).toContain('*关联报修*\n5 起');

    h.core.clock.advance(30 * MINUTE);
    await clickOn(h, U.xinchengCoord, h.fake.message(card.channel, card.ts)!, 'incident.update');
    const { view, meta } = lastModal(h);
    expect(view.callback_id).toBe('incident.update_modal');
    const past = await h.submit(
      slackViewSubmission(U.xinchengCoord, 'incident.update_modal', { expected: '今天 09:00', cause: '换热站循环泵故障，正在抢修', note: null }, meta),
    );
    expect(past.json()).toEqual({ response_action: 'errors', errors: { expected: '预计恢复时间已过，请填写将来的时间。' } });
    await h.submit(
      slackViewSubmission(U.xinchengCoord, 'incident.update_modal', { expected: '20:00', cause: '换热站循环泵故障，已更换备用泵', note: '备件已到' }, meta),
    );
    expect(toldTo(h, U.xinchengCoord).at(-1)).toBe('事件 I20261128-01 已更新。');
    await deliver();
    expect(appMessages(XINCHENG_URGENT)).toHaveLength(1);
    const now = textOf(h.fake.message(card.channel, card.ts));
    expect(now).toContain('*预计恢复*\n2026-11-28 20:00');
    expect(now).toContain('已更换备用泵');
  });

  it('posts the card again when someone deleted it, and updates the new one from then on', async () => {
    const [inc] = await incidents();
    h.fake.failNext('chat.update', { error: 'message_not_found' });
    const t = await report('c009');
    if (!t.incidentId) await linkTicket(h.core, { ticketId: t.id, incidentId: inc.id, actor: 'staff:agent01', reason: '同一换热站' });
    await deliver();
    const cards = appMessages(XINCHENG_URGENT);
    expect(cards).toHaveLength(2);
    expect(textOf(cards[1])).toContain('*关联报修*\n6 起');
    const kept = await h.core.db.incidentCard.findFirstOrThrow({ where: { incidentId: inc.id, channel: XINCHENG_URGENT } });
    expect(kept.ts).toBe(cards[1].ts);
  });

  it('shows what the core refuses on the modal fields, in words, and stores nothing', async () => {
    const before = (await incidents()).length;
    const errorsOf = async (values: Record<string, FieldValue>, user: string = U.agent) => (await declare(user, values)).json().errors;
    expect(await errorsOf(form())).toEqual({ communities: '请至少选择一个小区或换热站。' });
    expect(await errorsOf(form({ communities: { checked: ['c002'] }, cause: ' ' }))).toEqual({ cause: '请填写故障原因。' });
    expect(await errorsOf(form({ communities: { checked: ['c002'] }, expected: '2026-11-28 10:00' }))).toEqual({
      expected: '预计恢复时间已过，请填写将来的时间。',
    });
    expect(await errorsOf(form({ communities: { checked: ['c002'] }, expected: '下周吧' }))).toEqual({
      expected: '无法识别的时间，请按 14:30、明天 08:00 或 2026-12-07 14:30 填写。',
    });
    expect(await errorsOf(form({ stations: { checked: ['HX-NOPE'] } }))).toEqual({ stations: '组织配置中没有换热站 HX-NOPE。' });
    expect(await errorsOf(form({ communities: { checked: ['c001', 'c002'] }, scope: { option: 'community' } }))).toEqual({
      communities: '所选小区中有的已属于进行中的事件 I20261128-01，请与该事件一并处理，或调整范围。',
    });
    // a branch declares for its own communities only; field staff do not declare
    expect(await errorsOf(form({ communities: { checked: ['c002'] } }), U.huiminCoord)).toEqual({
      communities: '所选小区不全属于您所在的分公司，请由客户服务中心宣布或处理。',
    });
    await h.slash(U.xinchengField, '/incident', '', XINCHENG_URGENT);
    expect(toldTo(h, U.xinchengField).at(-1)).toBe('宣布、更新和恢复停热事件限客户服务中心、分公司调度员和领导。');
    expect((await incidents()).length).toBe(before);
  });
});

describe('the automatic proposal in Slack', () => {
  it('appears in the centre triage and the branch urgent channel after five no-heat reports from one station within 30 minutes, not after four', async () => {
    // HX-HU03 feeds 通道南街小区 (c010) and 回民区委家属院 (c014)
    for (const c of ['c010', 'c014', 'c010', 'c014']) await report(c);
    await proposeIncidents(h.core);
    await h.drain();
    expect(appMessages(HUIMIN_URGENT).filter((m) => textOf(m).includes('是否宣布停热事件'))).toHaveLength(0);
    h.core.clock.advance(10 * MINUTE);
    await report('c010');
    await proposeIncidents(h.core);
    await proposeIncidents(h.core); // the next sweep owes nothing more
    await h.drain();
    for (const ch of [TRIAGE, HUIMIN_URGENT]) {
      const shown = appMessages(ch).filter((m) => textOf(m).includes('是否宣布停热事件'));
      expect(shown).toHaveLength(1);
      expect(textOf(shown[0])).toContain('*换热站 HX-HU03（通道南街小区、回民区委家属院）*：30 分钟内收到 5 起不热或跑水报修');
      expect(elementsOf(shown[0].blocks).map((e) => e.action_id)).toEqual(['incident.declare']);
    }
  });

  it('two people declaring from it make one incident; the proposal then says who declared it', async () => {
    const onTriage = appMessages(TRIAGE).find((m) => textOf(m).includes('HX-HU03'))!;
    const onUrgent = appMessages(HUIMIN_URGENT).find((m) => textOf(m).includes('HX-HU03'))!;
    const asFirstShown = structuredClone(onTriage);
    await clickOn(h, U.agent, onTriage, 'incident.declare');
    const first = lastModal(h);
    expect(textOf(first.view)).toContain('根据自动提议：换热站 HX-HU03（通道南街小区、回民区委家属院），30 分钟内 5 起报修。');
    const stations = first.view.blocks.find((b: any) => b.block_id === 'stations').element;
    expect(stations.initial_options.map((o: any) => o.value)).toEqual(['HX-HU03']);
    await clickOn(h, U.huiminCoord, onUrgent, 'incident.declare');
    const second = lastModal(h);

    const values = form({ stations: { checked: ['HX-HU03'] }, cause: '换热站板换泄漏' });
    await h.submit(slackViewSubmission(U.agent, 'incident.declare_modal', values, first.meta));
    await h.submit(slackViewSubmission(U.huiminCoord, 'incident.declare_modal', values, second.meta));
    const made = (await incidents()).filter((i) => i.stationIds.includes('HX-HU03'));
    expect(made).toHaveLength(1);
    expect(made[0].proposalKey).toMatch(/^station:HX-HU03@/);
    expect(toldTo(h, U.huiminCoord).at(-1)).toBe(`该区域已有进行中的事件 ${made[0].number}（李磊 于 2026-11-28 14:45 宣布），未重复创建。`);
    for (const m of [onTriage, onUrgent]) {
      const now = h.fake.message(m.channel, m.ts)!;
      expect(textOf(now)).toContain(`已由 李磊 于 2026-11-28 14:45 宣布为停热事件 ${made[0].number}。`);
      expect(elementsOf(now.blocks)).toEqual([]);
    }
    // a late tap opens nothing: it is answered with the incident
    const opened = h.fake.callsTo('views.open').length;
    await clickOn(h, U.agent2, asFirstShown, 'incident.declare');
    expect(h.fake.callsTo('views.open').length).toBe(opened);
    expect(toldTo(h, U.agent2).at(-1)).toContain(made[0].number);
  });
});

describe('major incidents and restoration', () => {
  it('tells the leaders (R8k) when a major incident is declared and when heat is back; the card then shows who restored it and no buttons', async () => {
    await declare(
      U.agent,
      form({ communities: { checked: ['c018'] }, scope: { option: 'community' }, severity: { option: 'major' }, cause: '小区主管线爆管' }),
    );
    const inc = (await incidents()).at(-1)!;
    expect(inc.severity).toBe('major');
    await deliver();
    const told = appMessages(LEADERS);
    expect(told).toHaveLength(1);
    expect(textOf(told[0])).toContain(`重大停热事件 ${inc.number} 已宣布`);
    expect(told[0].text).toContain('<@U05DEMO005>'); // the HQ leader is called by name

    const card = structuredClone(appMessages('C1YUQUANU')[0]);
    h.core.clock.advance(2 * HOUR);
    await clickOn(h, U.agent, card, 'incident.restore');
    expect(toldTo(h, U.agent).at(-1)).toBe(`事件 ${inc.number} 已确认恢复供热。`);
    await deliver();
    const restored = h.fake.message(card.channel, card.ts)!;
    expect(textOf(restored)).toContain('已恢复供热');
    expect(textOf(restored)).toContain('李磊 于 2026-11-28 16:45 确认恢复供热');
    expect(textOf(restored)).toContain('*持续*\n2 小时');
    expect(elementsOf(restored.blocks)).toEqual([]);
    expect(textOf(appMessages(LEADERS).at(-1))).toContain(`重大停热事件 ${inc.number} 已恢复供热`);

    // the same button on a copy of the card that was not refreshed yet
    await clickOn(h, U.agent2, card, 'incident.restore');
    expect(toldTo(h, U.agent2).at(-1)).toBe(`事件 ${inc.number} 已由 李磊 于 2026-11-28 16:45 确认恢复，无需重复操作。`);
  });

  it('/incident with a number shows the incident to the asker only', async () => {
    await h.slash(U.xinchengCoord, '/incident', 'i20261128-01', XINCHENG_URGENT);
    expect(toldTo(h, U.xinchengCoord).at(-1)).toContain('停热事件 I20261128-01 · 换热站');
    await h.slash(U.xinchengCoord, '/incident', 'I20261128-99', XINCHENG_URGENT);
    expect(toldTo(h, U.xinchengCoord).at(-1)).toBe('找不到事件 I20261128-99。');
  });
});
