/**
 * Taking on an urgent alert takes the ticket (R8j): the branch's own people who click go
 * themselves; a centre agent picks who goes. Either way the ticket is accepted and assigned in one
 * step, its accept deadline met (R7), and the alert and the card show who has it. A major alert's
 * acknowledgement (leaders, R8k) stays an acknowledgement. A reopened card says why, in bold.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { recordCallback } from '../../../src/core/tickets/record-callback.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { cardOf, clickOn, elementsOf, findElement, makeSlackHarness, slackSelect, textOf, toldTo, U, type SlackHarness } from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness();
});
afterAll(() => h?.close());

const stored = (id: number) => h.core.db.ticket.findUniqueOrThrow({ where: { id }, include: { events: true } });
const deadlines = (ticketId: number) => h.core.db.deadline.findMany({ where: { ticketId } });

async function leak() {
  const t = await createTicket(h.core, hotlineComplaint({ category: 'leak', description: '楼道里暖气管跑水了' }));
  await h.drain();
  return { t, alert: await cardOf(h, t.id, 'urgent') };
}

describe('an urgent alert taken on by the branch (R8j)', () => {
  it('accepts the ticket and assigns it to whoever clicked, meeting the accept deadline (R7), in one step', async () => {
    const { t, alert } = await leak();
    h.core.clock.advance(2 * MINUTE);
    await clickOn(h, U.xinchengField, alert, 'escalation.ack');
    const after = await stored(t.id);
    expect(after).toMatchObject({ status: 'accepted', assigneeId: 'xincheng-field1' });
    expect(after.acceptedAt!.getTime()).toBe(h.core.clock.now().getTime());
    expect(after.events.filter((e) => ['escalation_acked', 'accepted'].includes(e.type)).map((e) => [e.type, e.actor])).toEqual([
      ['escalation_acked', 'staff:xincheng-field1'],
      ['accepted', 'staff:xincheng-field1'],
    ]);
    const ack = (await deadlines(t.id)).find((d) => d.name === 'ack' && !d.supersededAt)!;
    expect(ack.metAt).not.toBeNull();
    expect(ack.missedAt).toBeNull();

    await h.drain();
    const shown = await cardOf(h, t.id, 'urgent');
    expect(textOf(shown)).toMatch(/吴娟 已于 2026-11-28 \d\d:\d\d 确认处理/);
    expect(textOf(shown)).toContain('已接单，由 吴娟 负责');
    expect(elementsOf(shown.blocks)).toEqual([]);
    const card = await cardOf(h, t.id);
    expect(textOf(card)).toContain('吴娟'); // the handler field
    expect(elementsOf(card.blocks).map((e) => e.action_id)).not.toContain('ticket.accept');
  });

  it('a second click, by the coordinator, is told who was first and takes nothing', async () => {
    const { t, alert } = await leak();
    await clickOn(h, U.xinchengCoord, alert, 'escalation.ack');
    await clickOn(h, U.xinchengField, alert, 'escalation.ack');
    expect(toldTo(h, U.xinchengField).at(-1)).toMatch(/已由 周静 于 .* 处理/);
    expect(await stored(t.id)).toMatchObject({ status: 'accepted', assigneeId: 'xincheng-coord' });
  });

  it('on a ticket already accepted from the card, only acknowledges: the assignee stays', async () => {
    const { t, alert } = await leak();
    await transitionTicket(h.core, { number: t.number, action: 'accept', actor: 'staff:xincheng-coord' });
    await clickOn(h, U.xinchengField, alert, 'escalation.ack');
    const after = await stored(t.id);
    expect(after).toMatchObject({ status: 'accepted', assigneeId: 'xincheng-coord' });
    expect(after.events.filter((e) => e.type === 'accepted')).toHaveLength(1);
    expect(after.events.filter((e) => e.type === 'escalation_acked')).toHaveLength(1);
  });
});

describe('an urgent alert taken on by the centre', () => {
  it('opens a select of the branch’s people (on duty first); the pick accepts and assigns to them', async () => {
    const { t, alert } = await leak();
    await clickOn(h, U.agent, alert, 'escalation.ack');
    expect((await stored(t.id)).status).toBe('dispatched'); // nothing taken before the pick
    const picker = h.fake.ephemeralsFor(U.agent).at(-1)!;
    expect(textOf(picker)).toContain(`工单 ${t.number} 还没有人接单。请选择由谁去现场`);
    const select = findElement(picker.blocks, 'escalation.assign');
    const labels = select.options.map((o: any) => o.text.text);
    expect(labels).toEqual(['周静 · 分公司调度 · 在岗', '吴娟 · 现场人员 · 在岗', '徐刚 · 现场人员']);
    const xu = select.options[2].value;
    h.core.clock.advance(MINUTE);
    await h.click(slackSelect(U.agent, 'escalation.assign', xu, { channel: alert.channel }));
    const after = await stored(t.id);
    expect(after).toMatchObject({ status: 'accepted', assigneeId: 'xincheng-field2' });
    expect(after.events.filter((e) => ['escalation_acked', 'accepted'].includes(e.type)).map((e) => e.actor)).toEqual(['staff:agent01', 'staff:agent01']);
    await h.drain();
    const shown = await cardOf(h, t.id, 'urgent');
    expect(textOf(shown)).toMatch(/李磊 已于 .* 确认处理/);
    expect(textOf(shown)).toContain('已接单，指派 徐刚 负责');
  });

  it('refuses a pick of someone who cannot go (another branch’s staff), storing nothing', async () => {
    const { t, alert } = await leak();
    await h.click(slackSelect(U.agent, 'escalation.assign', JSON.stringify({ n: t.number, a: 'urgent', p: 'huimin-field1' }), { channel: alert.channel }));
    expect((await stored(t.id)).status).toBe('dispatched');
    expect(toldTo(h, U.agent).at(-1)).toBe('填写的内容不完整或有误，未保存。');
    expect((await stored(t.id)).events.filter((e) => e.type === 'escalation_acked')).toHaveLength(0);
  });
});

describe('a major alert (R8k)', () => {
  it('a leader’s acknowledgement takes nothing: the ticket waits for the branch to accept', async () => {
    const t = await createTicket(h.core, hotlineComplaint({ severity: 'major', scope: 'primary', description: '主管道爆管，整个小区停暖' }));
    await h.drain();
    await clickOn(h, U.hqLeader, await cardOf(h, t.id, 'major'), 'escalation.ack');
    expect(await stored(t.id)).toMatchObject({ status: 'dispatched', assigneeId: null });
  });
});

describe('the reopened card (R30)', () => {
  it('shows a phone callback’s reason in bold, calling the previous assignee, on the card and in the reopen’s thread line', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    for (const action of ['accept', 'arrive'] as const) await transitionTicket(h.core, { number: t.number, action, actor: 'staff:xincheng-field1' });
    await transitionTicket(h.core, { number: t.number, action: 'resolve', actor: 'staff:xincheng-field1', note: '已排气' });
    const cb = await h.core.db.callback.findFirstOrThrow({ where: { ticketId: t.id } });
    await recordCallback(h.core, { callbackId: cb.id, actor: 'staff:agent01', reached: true, satisfaction: 'dissatisfied', comment: '客户说卧室\n还是凉的' });
    await h.drain();
    const card = await cardOf(h, t.id);
    const bold = '*电话回访不满意（李磊）：客户说卧室 还是凉的*';
    expect(textOf(card)).toContain(bold);
    expect(textOf(card)).toContain('上次由 <@U09DEMO009> 处理，请跟进。');
    const line = h.fake
      .thread(card.channel, card.ts)
      .map((m) => textOf(m))
      .find((x) => x.includes('重新打开'))!;
    expect(line).toContain(bold);
    expect(line).toContain('<@U09DEMO009>');
    // once resolved again, the card no longer carries the reason as its headline
    await transitionTicket(h.core, { number: t.number, action: 'accept', actor: 'staff:xincheng-field2' });
    await transitionTicket(h.core, { number: t.number, action: 'resolve', actor: 'staff:xincheng-field2', note: '更换阀门' });
    await h.drain();
    expect((await cardOf(h, t.id)).blocks!.some((b: any) => b.type === 'section' && String(b.text?.text ?? '').startsWith(':leftwards_arrow_with_hook:'))).toBe(
      false,
    );
  });
});
