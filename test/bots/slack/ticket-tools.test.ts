/**
 * The card's staff tools (更多…): link to an incident, mark as a duplicate, cancel, each through a
 * modal that asks the reason. Bad input comes back onto the field and changes nothing; the reason
 * is the card's thread line (R8g) and what the cancelled resident is told.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { declareIncident } from '../../../src/core/incidents/declare-incident.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import type { FakeSlackMessage } from '../../../tools/dev/fake-slack-api.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import {
  cardOf,
  findElement,
  lastModal,
  makeSlackHarness,
  slackSelect,
  slackViewSubmission,
  textOf,
  toldTo,
  U,
  type SlackHarness,
} from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness();
});
beforeEach(() => h.core.clock.set('2026-11-28T06:00:00Z'));
afterAll(() => h?.close());

async function dispatched(over: Parameters<typeof hotlineComplaint>[0] = {}) {
  const t = await createTicket(h.core, hotlineComplaint(over));
  await h.drain();
  return { t, card: await cardOf(h, t.id) };
}

/** The labels of the 更多… menu on a message. */
const toolLabels = (m: FakeSlackMessage) => (findElement(m.blocks, 'ticket.tools')?.options ?? []).map((o: any) => o.text.text);

/** A person picks a tool from the card's 更多… menu, as Slack sends it (an overflow's selected option). */
async function useTool(user: string, card: FakeSlackMessage, label: string) {
  const menu = findElement(card.blocks, 'ticket.tools');
  const opt = (menu?.options ?? []).find((o: any) => o.text.text === label);
  if (!opt) throw new Error(`no ${label} in the card's menu: ${JSON.stringify(toolLabels(card))}`);
  return h.click(slackSelect(user, 'ticket.tools', opt.value, { channel: card.channel, ts: card.ts }));
}

const stored = (id: number) => h.core.db.ticket.findUniqueOrThrow({ where: { id }, include: { events: true } });

describe('the tools on the card', () => {
  it('offers 关联到事件, 标记重复 and 撤销工单 on an open ticket, and none once it is resolved', async () => {
    const { t, card } = await dispatched();
    expect(toolLabels(card)).toEqual(['关联到事件', '标记重复', '撤销工单']);
    await transitionTicket(h.core, { number: t.number, action: 'accept', actor: 'staff:xincheng-field1' });
    await transitionTicket(h.core, { number: t.number, action: 'resolve', actor: 'staff:xincheng-field1', note: '已修好' });
    await h.drain();
    expect(findElement((await cardOf(h, t.id)).blocks, 'ticket.tools')).toBeUndefined();
  });

  it('refuses another branch’s staff before any modal opens', async () => {
    const { t, card } = await dispatched();
    const opened = h.fake.callsTo('views.open').length;
    await useTool(U.huiminCoord, card, '撤销工单');
    expect(h.fake.callsTo('views.open')).toHaveLength(opened);
    expect(toldTo(h, U.huiminCoord).at(-1)).toBe('该工单不属于您所在的分公司，您不能操作。');
    expect((await stored(t.id)).status).toBe('dispatched');
  });

  it('says so when no open incident covers the ticket’s community, and opens no modal', async () => {
    const { t, card } = await dispatched();
    const opened = h.fake.callsTo('views.open').length;
    await useTool(U.xinchengCoord, card, '关联到事件');
    expect(h.fake.callsTo('views.open')).toHaveLength(opened);
    expect(toldTo(h, U.xinchengCoord).at(-1)).toBe(`${t.number}：幸福家园所在范围内没有进行中的事件，无法关联。需要时请先用 /incident 声明事件。`);
  });
});

describe('关联到事件 (link to an incident)', () => {
  it('offers the open incidents of the ticket’s community, wants one and a reason, and links it with the reason on the thread line', async () => {
    // a report that is not about the heating being off is not linked by the declaration itself
    const { t, card } = await dispatched({ category: 'noise_pressure', description: '暖气片有很响的水流声', customerAccount: '1010665280' });
    const { incident } = await declareIncident(h.core, { communityIds: ['c001'], scope: 'community', cause: '换热站循环泵故障', actor: 'staff:agent01' });
    await declareIncident(h.core, { communityIds: ['c010'], scope: 'community', cause: '回民的另一处故障', actor: 'staff:agent01' });
    h.core.clock.advance(4 * MINUTE);
    await useTool(U.xinchengCoord, card, '关联到事件');
    const { view, meta } = lastModal(h);
    expect(view.callback_id).toBe('ticket.link_incident');
    const select = view.blocks.find((b: any) => b.block_id === 'incident').element;
    expect(select.options.map((o: any) => o.text.text)).toEqual([`${incident.number} · 换热站循环泵故障（幸福家园）`]);

    const bad = await h.submit(slackViewSubmission(U.xinchengCoord, 'ticket.link_incident', { incident: null, reason: '' }, meta));
    expect(bad.json().errors).toEqual({ incident: '请选择一个事件。', reason: '请填写关联原因。' });
    expect((await stored(t.id)).incidentId).toBeNull();

    await h.submit(
      slackViewSubmission(U.xinchengCoord, 'ticket.link_incident', { incident: { option: String(incident.id) }, reason: '水流声是循环泵故障引起的' }, meta),
    );
    await h.drain();
    const after = await stored(t.id);
    expect(after.incidentId).toBe(incident.id);
    expect(after.events.find((e) => e.type === 'linked')).toMatchObject({ actor: 'staff:xincheng-coord', note: '水流声是循环泵故障引起的' });
    expect(h.fake.thread(card.channel, card.ts).at(-1)?.text).toBe(`2026-11-28 14:04 · 周静 关联到事件 ${incident.number}，原因：水流声是循环泵故障引起的`);
    expect(toldTo(h, U.xinchengCoord).at(-1)).toBe(`${t.number} 已关联到事件 ${incident.number}。`);

    // a report of the same household is linked too, not marked as a duplicate of a linked one:
    // the incident's restoration resolves its own reports, and a duplicate would wait in vain
    const { t: other, card: otherCard } = await dispatched({ category: 'noise_pressure', description: '同一户又打电话', customerAccount: '1010665280' });
    await useTool(U.xinchengCoord, otherCard, '标记重复');
    const dupRes = await h.submit(slackViewSubmission(U.xinchengCoord, 'ticket.duplicate', { original: t.number, reason: '同一户' }, lastModal(h).meta));
    expect(dupRes.json().errors).toEqual({ original: `${t.number} 已关联到事件：请用“关联到事件”把本工单关联到同一事件，恢复供热时一并通知住户。` });
    expect((await stored(other.id)).status).toBe('dispatched');
  });
});

describe('标记重复 (mark as a duplicate)', () => {
  it('shows a missing reason, an unknown original and the ticket itself on their fields, and changes nothing', async () => {
    const { t, card } = await dispatched();
    await useTool(U.xinchengCoord, card, '标记重复');
    const { view, meta } = lastModal(h);
    expect(view.callback_id).toBe('ticket.duplicate');
    expect(view.blocks.filter((b: any) => b.type === 'input').map((b: any) => [b.block_id, b.optional])).toEqual([
      ['original', false],
      ['reason', false],
    ]);
    const submit = (values: Record<string, string | null>) => h.submit(slackViewSubmission(U.xinchengCoord, 'ticket.duplicate', values, meta));

    expect((await submit({ original: '', reason: '  ' })).json()).toEqual({
      response_action: 'errors',
      errors: { original: '请填写原工单号。', reason: '请填写标记重复的原因。' },
    });
    expect((await submit({ original: 'T20991231-9999', reason: '同一故障' })).json().errors).toEqual({ original: '找不到工单 T20991231-9999。' });
    expect((await submit({ original: t.number, reason: '同一故障' })).json().errors).toEqual({ original: '不能把工单标记为它自己的重复。' });

    const after = await stored(t.id);
    expect(after).toMatchObject({ status: 'dispatched', duplicateOfId: null });
    expect(after.events.map((e) => e.type)).not.toContain('duplicate');
  });

  it('marks it with the reason, which the card’s thread line shows with the original', async () => {
    const { t: original } = await dispatched();
    const { t, card } = await dispatched({ customerAccount: '1010332640' });
    h.core.clock.advance(3 * MINUTE);
    await useTool(U.xinchengCoord, card, '标记重复');
    const { meta } = lastModal(h);
    const res = await h.submit(
      slackViewSubmission(U.xinchengCoord, 'ticket.duplicate', { original: original.number.toLowerCase(), reason: '同一楼栋同一处管道' }, meta),
    );
    expect(res.body).toBe('');
    await h.drain();
    const after = await stored(t.id);
    expect(after).toMatchObject({ status: 'duplicate', duplicateOfId: original.id });
    expect(after.events.find((e) => e.type === 'duplicate')).toMatchObject({ actor: 'staff:xincheng-coord', note: '同一楼栋同一处管道' });
    expect(h.fake.thread(card.channel, card.ts).at(-1)?.text).toBe(`2026-11-28 14:03 · 周静 标记为 ${original.number} 的重复工单，原因：同一楼栋同一处管道`);
    expect(findElement((await cardOf(h, t.id)).blocks, 'ticket.tools')).toBeUndefined();
    expect(toldTo(h, U.xinchengCoord).at(-1)).toBe(`${t.number} 已标记为 ${original.number} 的重复工单。`);
  });

  it('keeps a branch to its own tickets: another branch’s original is refused on the field', async () => {
    const { t: other } = await dispatched({ customerAccount: '1010071280' }); // 回民
    const { t, card } = await dispatched();
    await useTool(U.xinchengCoord, card, '标记重复');
    const { meta } = lastModal(h);
    const res = await h.submit(slackViewSubmission(U.xinchengCoord, 'ticket.duplicate', { original: other.number, reason: '同一主管网' }, meta));
    expect(res.json().errors).toEqual({ original: `${other.number} 属于其他分公司，跨分公司合并请联系调度中心。` });
    expect((await stored(t.id)).status).toBe('dispatched');
  });
});

describe('撤销工单 (cancel)', () => {
  it('wants one of the common reasons, and words of one’s own with 其他; stores nothing until then', async () => {
    const { t, card } = await dispatched();
    await useTool(U.xinchengCoord, card, '撤销工单');
    const { view, meta } = lastModal(h);
    expect(view.blocks.find((b: any) => b.block_id === 'kind').element.options.map((o: any) => o.text.text)).toEqual([
      '住户撤回',
      '暖气已自行恢复',
      '非供热公司责任范围',
      '误报或信息错误',
      '多次联系不上住户',
      '其他',
    ]);
    const none = await h.submit(slackViewSubmission(U.xinchengCoord, 'ticket.cancel', { kind: null, reason: null }, meta));
    expect(none.json().errors).toEqual({ kind: '请选择撤销原因。' });
    const bare = await h.submit(slackViewSubmission(U.xinchengCoord, 'ticket.cancel', { kind: { option: 'other' }, reason: '' }, meta));
    expect(bare.json().errors).toEqual({ reason: '请写明撤销原因。' });
    expect((await stored(t.id)).status).toBe('dispatched');
  });

  it('cancels with the reason in words and the details, shown on the card’s thread line', async () => {
    const { t, card } = await dispatched();
    h.core.clock.advance(7 * MINUTE);
    await useTool(U.xinchengCoord, card, '撤销工单');
    const { meta } = lastModal(h);
    await h.submit(slackViewSubmission(U.xinchengCoord, 'ticket.cancel', { kind: { option: 'resident_withdrew' }, reason: '住户来电说暖气已热' }, meta));
    await h.drain();
    const after = await stored(t.id);
    expect(after.status).toBe('cancelled');
    expect(after.events.find((e) => e.type === 'cancelled')).toMatchObject({ actor: 'staff:xincheng-coord', note: '住户撤回：住户来电说暖气已热' });
    expect(h.fake.thread(card.channel, card.ts).at(-1)?.text).toBe('2026-11-28 14:07 · 周静 撤销：住户撤回：住户来电说暖气已热');
    expect(textOf(await cardOf(h, t.id))).toContain('已撤销');
  });

  it('refuses to cancel an original whose duplicates wait for its result, on the reason field', async () => {
    const { t: original, card } = await dispatched();
    const { t: dup } = await dispatched({ customerAccount: '1010332640' });
    await transitionTicket(h.core, {
      number: dup.number,
      action: 'mark_duplicate',
      actor: 'staff:xincheng-coord',
      duplicateOf: original.number,
      note: '同一故障',
    });
    await h.drain();
    const fresh = await cardOf(h, original.id);
    expect(fresh.ts).toBe(card.ts);
    await useTool(U.xinchengCoord, fresh, '撤销工单');
    const { meta } = lastModal(h);
    const res = await h.submit(slackViewSubmission(U.xinchengCoord, 'ticket.cancel', { kind: { option: 'wrong_report' }, reason: null }, meta));
    expect(res.json().errors).toEqual({ kind: '有 1 张重复工单在等这张工单的处理结果，不能撤销。' });
    expect((await stored(original.id)).status).toBe('dispatched');
  });
});
