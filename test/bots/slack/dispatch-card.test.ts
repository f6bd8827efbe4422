import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import {
  cardOf,
  chooseOn,
  clickOn,
  elementsOf,
  lastModal,
  makeSlackHarness,
  slackButton,
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
afterAll(() => h?.close());

/** A hotline complaint for 王秀兰 (幸福家园, 新城 branch), its card delivered to the dispatch channel. */
async function dispatched(over: Parameters<typeof hotlineComplaint>[0] = {}) {
  const t = await createTicket(h.core, hotlineComplaint(over));
  await h.drain();
  return { t, card: await cardOf(h, t.id) };
}

const statusOf = async (id: number) => (await h.core.db.ticket.findUniqueOrThrow({ where: { id } })).status;
const eventsOf = async (id: number, type: string) => h.core.db.ticketEvent.count({ where: { ticketId: id, type } });

describe('the dispatch card (R8a, R8b)', () => {
  it('is posted to the branch dispatch channel with number, kind, severity, place, request, first responder, deadline and a masked phone', async () => {
    const { t, card } = await dispatched();
    expect(card.channel).toBe('C1XINCHED');
    const text = textOf(card);
    expect(text).toContain(t.number);
    expect(text).toContain('投诉/报修 / 暖气不热');
    expect(text).toContain('一般');
    expect(text).toContain('幸福家园');
    expect(text).toContain('幸福家园17号楼2单元201室');
    expect(text).toContain('暖气不热，室温只有15度');
    expect(text).toContain('李磊 · 客户服务中心'); // R1: the agent who took the call
    expect(text).toContain('接单时限：2026-11-28 14:15（剩余 15 分钟）');
    expect(text).toContain('王秀兰 152****1590');
    expect(text).not.toContain('15260181590');
  });

  it('carries the steps the ticket allows under stable action ids', async () => {
    const { card } = await dispatched();
    expect(elementsOf(card.blocks).map((e) => e.action_id)).toEqual(['ticket.accept', 'ticket.route', 'ticket.transfer', 'ticket.phone', 'ticket.tools']);
  });

  it('names Telegram as first responder for a resident report', async () => {
    const { card } = await dispatched({ source: 'telegram', firstResponder: 'telegram' });
    expect(textOf(card)).toMatch(/\*首位负责人\*\nTelegram/);
  });
});

describe('a branch works a resident ticket from the card', () => {
  it('accepts, routes, arrives and resolves; the card is updated in place, each step is a thread line with who and the minute, and the resident is told', async () => {
    const customer = await h.core.db.customer.findUniqueOrThrow({ where: { account: '1010000000' } });
    const resident = await h.core.db.resident.create({ data: { telegramUserId: '7001', chatId: '7001', customerId: customer.id } });
    const { t, card } = await dispatched({ source: 'telegram', firstResponder: 'telegram', residentId: resident.id, customerAccount: '1010000000' });

    h.core.clock.advance(3 * MINUTE); // 14:03
    await clickOn(h, U.xinchengCoord, card, 'ticket.accept');
    await h.drain();
    let now = await cardOf(h, t.id);
    expect(now.ts).toBe(card.ts);
    expect(textOf(now)).toContain('已接单');

    h.core.clock.advance(2 * MINUTE); // 14:05: R8b, the coordinator hands it to the operations section
    await chooseOn(h, U.xinchengCoord, now, 'ticket.route', (v) => v.includes('xincheng-ops'));
    await h.drain();

    h.core.clock.advance(30 * MINUTE); // 14:35: on site within the hour (R27)
    now = await cardOf(h, t.id);
    await clickOn(h, U.xinchengField, now, 'ticket.arrive');
    await h.drain();

    h.core.clock.advance(40 * MINUTE); // 15:15
    now = await cardOf(h, t.id);
    await clickOn(h, U.xinchengField, now, 'ticket.resolve');
    const { meta } = lastModal(h);
    await h.submit(
      slackViewSubmission(
        U.xinchengField,
        'ticket.resolve',
        { result: '已排气，室温恢复到20度', work_done: '暖气片排气', materials: null, fees: null, signed: { checked: ['signed'] } },
        meta,
      ),
    );
    await h.drain();

    const final = await cardOf(h, t.id);
    expect(final.ts).toBe(card.ts);
    expect(final.updates).toBeGreaterThanOrEqual(4);
    expect(h.fake.channelMessages('C1XINCHED').filter((m) => m.ts === card.ts)).toHaveLength(1);
    expect(h.fake.thread(card.channel, card.ts).map((m) => m.text)).toEqual([
      '2026-11-28 14:03 · 周静 接单',
      '2026-11-28 14:05 · 周静 转交 运行工段',
      '2026-11-28 14:35 · 吴娟 到场',
      '2026-11-28 15:15 · 吴娟 办结：已排气，室温恢复到20度',
    ]);
    expect(textOf(final)).toContain('2026-11-28 15:15 · 吴娟 办结：已排气，室温恢复到20度');
    expect(elementsOf(final.blocks).map((e) => e.action_id)).not.toContain('ticket.resolve');

    const stored = await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id }, include: { form: true } });
    expect(stored.unitId).toBe('xincheng-ops');
    expect(stored.resolvedAt?.toISOString()).toBe('2026-11-28T07:15:00.000Z'); // R8g: to the minute
    expect(stored.form).toMatchObject({ workDone: '暖气片排气', signed: true, feesCents: 0, createdBy: 'staff:xincheng-field1' });

    const told = await h.core.db.outboxMessage.findMany({ where: { platform: 'telegram', kind: 'resident_update', target: '7001' }, orderBy: { id: 'asc' } });
    expect(told.map((m) => JSON.parse(m.payload).event)).toEqual(['accepted', 'arrived', 'resolved']);
  });
});

describe('who may press the buttons', () => {
  const buttons = ['ticket.accept', 'ticket.transfer', 'ticket.phone'] as const;

  it.each([
    ['a coordinator of another branch', U.huiminCoord, '不属于您所在的分公司'],
    ['the branch head (leaders see, they do not act)', U.xinchengHead, '领导可查看工单'],
    ['someone who is not staff', U.stranger, '未登记为员工'],
  ])('refuses %s privately and changes nothing', async (_who, user, words) => {
    const { t, card } = await dispatched();
    const modals = h.fake.callsTo('views.open').length;
    for (const id of buttons) await clickOn(h, user, card, id);
    await chooseOn(h, user, card, 'ticket.route', (v) => v.includes('billing'));
    const told = toldTo(h, user).slice(-4);
    expect(told).toHaveLength(4);
    for (const line of told) expect(line).toContain(words);
    expect(h.fake.callsTo('views.open')).toHaveLength(modals); // no transfer form either
    const after = await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(after).toMatchObject({ status: 'dispatched', unitId: 'xincheng-field', version: t.version });
  });

  it('refuses arrive and resolve to another branch, and lets the branch and the centre act', async () => {
    const { t, card } = await dispatched();
    await clickOn(h, U.agent, card, 'ticket.accept'); // the centre acts anywhere
    await h.drain();
    const accepted = await cardOf(h, t.id);
    const opened = h.fake.callsTo('views.open').length;
    await clickOn(h, U.huiminField, accepted, 'ticket.arrive');
    await clickOn(h, U.huiminField, accepted, 'ticket.resolve');
    expect(h.fake.callsTo('views.open')).toHaveLength(opened);
    expect(await statusOf(t.id)).toBe('accepted');
    await clickOn(h, U.xinchengField2, accepted, 'ticket.arrive');
    expect(await statusOf(t.id)).toBe('on_site');
    await clickOn(h, U.xinchengField2, accepted, 'ticket.resolve'); // stale card, but resolve is allowed from on_site
    expect(toldTo(h, U.xinchengField2).at(-1)).toContain('卡片已过时');
    await h.drain();
    await clickOn(h, U.xinchengField2, await cardOf(h, t.id), 'ticket.resolve');
    expect(h.fake.callsTo('views.open')).toHaveLength(opened + 1);
  });
});

describe('stale cards and double clicks', () => {
  it('answers a click on a card that has moved on with where the ticket is now, and does nothing', async () => {
    const { t, card } = await dispatched();
    h.core.clock.advance(MINUTE);
    await clickOn(h, U.xinchengCoord, card, 'ticket.accept');
    await clickOn(h, U.xinchengField, card, 'ticket.accept'); // the same, not yet refreshed card
    expect(toldTo(h, U.xinchengField).at(-1)).toMatch(new RegExp(`卡片已过时[\\s\\S]*${t.number} 当前状态：已接单。最近一步：.* · 周静 接单`));
    expect(await eventsOf(t.id, 'accepted')).toBe(1);
    expect((await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).assigneeId).toBe('xincheng-coord');
  });

  it('takes a double click once', async () => {
    const { t, card } = await dispatched();
    await Promise.all([clickOn(h, U.xinchengCoord, card, 'ticket.accept'), clickOn(h, U.xinchengCoord, card, 'ticket.accept')]);
    expect(await eventsOf(t.id, 'accepted')).toBe(1);
    await h.drain();
    expect(h.fake.thread(card.channel, card.ts).map((m) => m.text)).toHaveLength(1);
  });

  it('ignores a replayed interaction (same user, action and action_ts) without a word', async () => {
    const { t, card } = await dispatched();
    const before = toldTo(h, U.xinchengCoord).length;
    const value = card.blocks!.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === 'ticket.accept').value;
    const click = slackButton(U.xinchengCoord, 'ticket.accept', value, { channel: card.channel, ts: card.ts, actionTs: '1764309999.000001' });
    expect((await h.click(click)).statusCode).toBe(200);
    expect((await h.click(click)).statusCode).toBe(200);
    expect(await eventsOf(t.id, 'accepted')).toBe(1);
    expect(toldTo(h, U.xinchengCoord)).toHaveLength(before);
  });
});

describe('residents’ phone numbers', () => {
  it('are shown in full only to a handler who asks, privately', async () => {
    const { card } = await dispatched();
    await clickOn(h, U.xinchengField, card, 'ticket.phone');
    const eph = h.fake.callsTo('chat.postEphemeral').at(-1)!;
    expect(eph).toMatchObject({ channel: 'C1XINCHED', user: U.xinchengField });
    expect(eph.text).toContain('15260181590');
    await clickOn(h, U.huiminField, card, 'ticket.phone');
    expect(toldTo(h, U.huiminField).at(-1)).not.toContain('15260181590');
  });
});
