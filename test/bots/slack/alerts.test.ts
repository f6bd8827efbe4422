import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { formatMinute } from '../../../src/core/local-time.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import {
  cardOf,
  chooseOn,
  clickOn,
  elementsOf,
  lastModal,
  makeSlackHarness,
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

const acks = (ticketId: number) => h.core.db.ticketEvent.findMany({ where: { ticketId, type: 'escalation_acked' } });

describe('urgent cases (R8j)', () => {
  it('posts a leak to the branch urgent channel as well, calling the people on duty, with an acknowledge button', async () => {
    const t = await createTicket(h.core, hotlineComplaint({ category: 'leak', description: '楼上跑水，水从天花板往下滴' }));
    await h.drain();
    expect((await cardOf(h, t.id)).channel).toBe('C1XINCHED');
    const alert = await cardOf(h, t.id, 'urgent');
    expect(alert.channel).toBe('C1XINCHEU');
    expect(textOf(alert)).toContain(`紧急工单 ${t.number}：跑水/漏水（新城供热分公司）`);
    expect(textOf(alert)).toContain('<@U08DEMO008> <@U09DEMO009> 请立即组织抢修'); // 周静 and 吴娟 are on duty; 徐刚 is not
    expect(elementsOf(alert.blocks).map((e) => e.action_id)).toEqual(['escalation.ack']);
  });

  it('records who acknowledged and when, updates the alert in place, and takes only the first', async () => {
    const t = await createTicket(h.core, hotlineComplaint({ category: 'leak', description: '管道漏水' }));
    await h.drain();
    const alert = await cardOf(h, t.id, 'urgent');
    await clickOn(h, U.huiminCoord, alert, 'escalation.ack');
    expect(toldTo(h, U.huiminCoord).at(-1)).toContain('不属于您所在的分公司');
    h.core.clock.advance(2 * MINUTE);
    await clickOn(h, U.xinchengField, alert, 'escalation.ack');
    await clickOn(h, U.xinchengCoord, alert, 'escalation.ack');
    expect(toldTo(h, U.xinchengCoord).at(-1)).toMatch(/已由 吴娟 于 2026-11-28 \d\d:\d\d 处理/);
    const recorded = await acks(t.id);
    expect(recorded.map((e) => e.actor)).toEqual(['staff:xincheng-field1']);
    await h.drain();
    const after = await cardOf(h, t.id, 'urgent');
    expect(after.ts).toBe(alert.ts);
    expect(textOf(after)).toMatch(/吴娟 已于 2026-11-28 \d\d:\d\d 确认处理/);
    expect(elementsOf(after.blocks)).toEqual([]);
    const card = await cardOf(h, t.id);
    // taking the alert on takes the ticket: the thread has the acknowledgement, then the accept
    expect(
      h.fake
        .thread(card.channel, card.ts)
        .slice(-2)
        .map((m) => m.text),
    ).toEqual([expect.stringMatching(/吴娟 确认紧急警报$/), expect.stringMatching(/吴娟 接单$/)]);
  });
});

describe('major events (R8k)', () => {
  it('alert the leaders’ channel, calling the HQ leader and the branch head; a leader acknowledges', async () => {
    const t = await createTicket(h.core, hotlineComplaint({ severity: 'major', scope: 'primary', description: '主管道爆管，整个小区停暖' }));
    await h.drain();
    const alert = await cardOf(h, t.id, 'major');
    expect(alert.channel).toBe('C0LEADER01');
    expect(textOf(alert)).toContain(`重大事件 ${t.number}`);
    expect(textOf(alert)).toContain('<@U05DEMO005> <@U07DEMO007>');
    expect((await cardOf(h, t.id, 'urgent')).channel).toBe('C1XINCHEU');
    await clickOn(h, U.xinchengField, alert, 'escalation.ack', { channel: 'C0LEADER01' });
    expect(toldTo(h, U.xinchengField).at(-1)).toContain('此警报由领导或客户服务中心确认');
    await clickOn(h, U.hqLeader, alert, 'escalation.ack');
    expect((await acks(t.id)).map((e) => [e.actor, JSON.parse(e.data!).alert])).toEqual([['staff:hq-leader', 'major']]);
  });
});

describe('triage (R8a by hand)', () => {
  it('lists a ticket whose address matched no area for the centre, which dispatches it with the branch select', async () => {
    const t = await createTicket(
      h.core,
      hotlineComplaint({ customerAccount: undefined, address: '新华大街某小区', contactPhone: '13812345678', contactName: '赵先生' }),
    );
    await h.drain();
    const msg = await cardOf(h, t.id, 'triage');
    expect(msg.channel).toBe('C0CENTRE01');
    expect(textOf(msg)).toContain('138****5678');
    await chooseOn(h, U.xinchengCoord, msg, 'ticket.dispatch', (v) => v.includes('yuquan'));
    expect(toldTo(h, U.xinchengCoord).at(-1)).toContain('仅限客户服务中心');
    h.core.clock.advance(MINUTE);
    await chooseOn(h, U.agent2, msg, 'ticket.dispatch', (v) => v.includes('yuquan'));
    const stored = await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id } });
    expect(stored).toMatchObject({ status: 'dispatched', branchId: 'yuquan', unitId: 'yuquan-field' });
    expect(textOf(h.fake.message(msg.channel, msg.ts))).toMatch(/已派至 玉泉供热分公司：张涛/);
    await h.drain();
    expect((await cardOf(h, t.id)).channel).toBe('C1YUQUAND');
  });
});

describe('phone callbacks (R8h)', () => {
  it('gives the centre a task for a resolved hotline ticket; callback.record records a satisfied customer and closes it', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    for (const action of ['accept', 'arrive'] as const) await transitionTicket(h.core, { number: t.number, action, actor: 'staff:xincheng-field1' });
    await transitionTicket(h.core, { number: t.number, action: 'resolve', actor: 'staff:xincheng-field1', note: '已排气', form: { workDone: '排气' } });
    await h.drain();
    const cb = await h.core.db.callback.findFirstOrThrow({ where: { ticketId: t.id } });
    const task = await cardOf(h, t.id, `callback:${cb.id}`);
    expect(task.channel).toBe('C0CALLBK01');
    expect(textOf(task)).toContain('吴娟 办结：已排气');

    await clickOn(h, U.xinchengCoord, task, 'callback.record');
    expect(toldTo(h, U.xinchengCoord).at(-1)).toContain('仅限客户服务中心'); // the branch never calls back its own work
    await clickOn(h, U.agent, task, 'callback.record');
    const { view, meta } = lastModal(h);
    expect(view.callback_id).toBe('callback.record');
    const bad = await h.submit(slackViewSubmission(U.agent, 'callback.record', { reached: { option: 'yes' }, satisfaction: null, note: null }, meta));
    expect(bad.json().errors).toEqual({ satisfaction: '联系上客户时请选择满意度。' });
    await h.submit(
      slackViewSubmission(U.agent, 'callback.record', { reached: { option: 'yes' }, satisfaction: { option: 'satisfied' }, note: '客户表示暖气已热' }, meta),
    );

    expect(await h.core.db.callback.findUniqueOrThrow({ where: { id: cb.id } })).toMatchObject({
      status: 'answered',
      result: 'satisfied',
      agentId: 'agent01',
      comment: '客户表示暖气已热',
    });
    expect((await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe('closed');
    const done = h.fake.message(task.channel, task.ts)!;
    expect(textOf(done)).toMatch(/李磊 于 .* 完成回访：满意/);
    expect(elementsOf(done.blocks)).toEqual([]);
  });
});

describe('deadline warnings and urging (staff_alert, issue 5)', () => {
  it('puts a reminder in the card’s thread, calling the people the scheduler named, with the deadline and time left', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    await transitionTicket(h.core, { number: t.number, action: 'accept', actor: 'staff:xincheng-field1' });
    await h.drain();
    const card = await cardOf(h, t.id);
    h.core.clock.advance(45 * MINUTE);
    await h.core.stores.outbox.owe(
      [
        {
          key: `warn:${t.id}`,
          platform: 'slack',
          target: 'C1XINCHED',
          kind: 'staff_alert',
          payload: { ticketId: t.id, level: 0, stage: 'warn', deadline: 'arrive', dueAt: t.arriveDueAt!.toISOString(), mention: ['xincheng-field1'] },
        },
      ],
      h.core.clock.now(),
    );
    await h.drain();
    const warning = h.fake.thread(card.channel, card.ts).at(-1)!;
    expect(textOf(warning)).toContain(`时限提醒：${t.number}`);
    expect(textOf(warning)).toContain(`到场时限：${formatMinute(t.arriveDueAt!)}（剩余 15 分钟）`);
    expect(textOf(warning)).toContain('<@U09DEMO009> 请及时处理。');
  });

  it('renders a payload it does not know yet as well as it can', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    await h.core.stores.outbox.owe(
      [
        {
          key: `odd:${t.id}`,
          platform: 'slack',
          target: 'C0CENTRE01',
          kind: 'staff_alert',
          payload: { ticketId: t.id, level: 'fourth', deadline: '2026-11-28T08:00:00Z' },
        },
      ],
      h.core.clock.now(),
    );
    await h.drain();
    const odd = h.fake.channelMessages('C0CENTRE01').at(-1)!;
    expect(textOf(odd)).toContain(`fourth：${t.number}`);
    expect(textOf(odd)).toContain('时限：2026-11-28 16:00');
    expect(textOf(odd)).toContain('<@U08DEMO008>'); // nobody accepted yet: the branch coordinator
  });

  it('posts the scheduled daily report with its numbers', async () => {
    await h.core.stores.outbox.owe(
      [
        {
          key: 'report:daily:test',
          platform: 'slack',
          target: 'C1XINCHER',
          kind: 'report',
          payload: {
            report: 'daily',
            date: '2026-11-27',
            branchId: 'xincheng',
            numbers: { branchId: 'xincheng', newTickets: 12, finished: 10, overdueOpen: 1, callbacksDone: 8, satisfied: 7, suggestions: 2 },
          },
        },
      ],
      h.core.clock.now(),
    );
    await h.drain();
    const report = h.fake.channelMessages('C1XINCHER').at(-1)!;
    expect(textOf(report)).toContain('日报 2026-11-27 · 新城供热分公司');
    expect(textOf(report)).toContain('新增工单: 12');
    expect(textOf(report)).toContain('超时未结: 1');
  });
  it('posts the monthly report to the leaders with the KPI blocks of the month that ended', async () => {
    await h.core.stores.outbox.owe(
      [
        {
          key: 'report:monthly:test',
          platform: 'slack',
          target: 'C0LEADER01',
          kind: 'report',
          payload: { report: 'monthly_kpi', date: '2026-11-01', month: '2026-10' },
        },
      ],
      h.core.clock.now(),
    );
    await h.drain();
    const report = h.fake.channelMessages('C0LEADER01').at(-1)!;
    expect(report.text).toBe('2026-10 月度考核指标');
    expect(textOf(report)).toContain('新城供热分公司');
  });
});

describe('deadline alerts as a digest (R2 督促, R7)', () => {
  it('posts one message to the dispatch channel listing each overdue ticket with its due time, calling everyone named', async () => {
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await createTicket(h.core, hotlineComplaint()));
    await h.drain();
    h.core.clock.advance(15 * MINUTE);
    const tickets = [...made.map((t) => ({ ticketId: t.id, dueAt: t.ackDueAt!.toISOString() })), { ticketId: 999_999, dueAt: made[0].ackDueAt!.toISOString() }];
    await h.core.stores.outbox.owe(
      [
        {
          key: 'digest:test',
          platform: 'slack',
          target: 'C1XINCHED',
          kind: 'staff_alert_digest',
          payload: { level: 1, stage: 'overdue', deadline: 'ack', tickets, mention: ['xincheng-coord', 'xincheng-field1'] },
        },
      ],
      h.core.clock.now(),
    );
    await h.drain();
    const digest = h.fake.channelMessages('C1XINCHED').at(-1)!;
    // the ticket that no longer exists is left out of the list and the count
    expect(textOf(digest)).toContain('已超时：5 张工单（接单时限）');
    for (const t of made) expect(textOf(digest)).toContain(`• *${t.number}* 暖气不热 · 新城供热分公司 · 幸福家园 · ${formatMinute(t.ackDueAt!)}`);
    expect(textOf(digest).match(/^• /gm)).toHaveLength(5);
    expect(textOf(digest)).toContain('<@U08DEMO008> <@U09DEMO009> 请及时处理。');
    expect(digest.text).toContain('<@U08DEMO008> <@U09DEMO009>'); // the notification text calls them too
    expect(h.fake.callsTo('chat.postMessage').at(-1)).not.toHaveProperty('thread_ts');
  });

  it('gives up at once on a digest whose tickets are all gone', async () => {
    await h.core.stores.outbox.owe(
      [
        {
          key: 'digest:gone',
          platform: 'slack',
          target: 'C1XINCHED',
          kind: 'staff_alert_digest',
          payload: { level: 1, stage: 'overdue', deadline: 'ack', tickets: [{ ticketId: 999_998 }], mention: ['xincheng-coord'] },
        },
      ],
      h.core.clock.now(),
    );
    await h.drain();
    expect(await h.core.db.outboxMessage.findUniqueOrThrow({ where: { key: 'digest:gone' } })).toMatchObject({
      state: 'dead',
      lastError: expect.stringContaining('no tickets 999998'),
    });
  });
});

describe('when Slack fails', () => {
  it('keeps the step, and the outbox retries the card after Retry-After (429) and after a 500', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    await h.drain();
    const card = await cardOf(h, t.id);
    h.fake.failNext('chat.update', { status: 429, retryAfterSec: 30 });
    await clickOn(h, U.xinchengCoord, card, 'ticket.accept');
    expect((await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe('accepted');
    await h.drain();
    const row = await h.core.db.outboxMessage.findFirstOrThrow({
      where: { kind: 'ticket_card', key: { startsWith: `card:${t.id}:` } },
      orderBy: { id: 'desc' },
    });
    expect(row).toMatchObject({ state: 'pending', attempts: 1, lastError: expect.stringContaining('retry after 30s') });
    expect(row.nextAt.getTime() - h.core.clock.now().getTime()).toBeGreaterThanOrEqual(30_000);
    expect(textOf(h.fake.message(card.channel, card.ts))).toContain('已派单');

    h.core.clock.advance(31_000);
    h.fake.failNext('chat.update', { status: 500 });
    await h.drain();
    expect((await h.core.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).attempts).toBe(2);
    h.core.clock.advance(10 * MINUTE);
    await h.drain();
    expect((await h.core.db.outboxMessage.findUniqueOrThrow({ where: { id: row.id } })).state).toBe('sent');
    expect(textOf(h.fake.message(card.channel, card.ts))).toContain('已接单');
    expect(h.fake.thread(card.channel, card.ts)).toHaveLength(1);
  });

  it('gives up at once on a channel that does not exist', async () => {
    await h.core.stores.outbox.owe(
      [{ key: 'nowhere', platform: 'slack', target: 'CNOWHERE', kind: 'staff_alert', payload: { level: 'warning' } }],
      h.core.clock.now(),
    );
    h.fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    await h.drain();
    expect(await h.core.db.outboxMessage.findUniqueOrThrow({ where: { key: 'nowhere' } })).toMatchObject({
      state: 'dead',
      lastError: 'slack error: channel_not_found',
    });
  });
});
