/**
 * Conduct complaints in Slack (R31-R33): the card goes to the centre's supervision channel, not
 * to the accused's branch; the centre names the staff member and records the finding through the
 * card's buttons and modals; bad input and people without the right are refused on the modal
 * and nothing is stored.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HOUR } from '../../../src/core/clock.js';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { conductReport } from '../../../src/core/reports/conduct-report.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { cardOf, clickOn, findElement, lastModal, makeSlackHarness, slackViewSubmission, textOf, toldTo, U, type SlackHarness } from '../../helpers/slack.js';

const SUPERVISION = 'C0SUPERV01';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness();
});
beforeEach(() => h.core.clock.set('2026-11-28T06:00:00Z'));
afterAll(() => h?.close());

async function conductComplaint() {
  const t = await createTicket(h.core, hotlineComplaint({ category: 'staff_conduct', description: '维修师傅态度恶劣，还向我要好处费' }));
  await h.drain();
  return { t, card: await cardOf(h, t.id) };
}

const stored = (id: number) => h.core.db.ticket.findUniqueOrThrow({ where: { id }, include: { events: true } });
const branchChannels = () => {
  const b = h.core.org.branches.get('xincheng')!;
  return [b.channels.dispatch, b.channels.urgent, b.channels.reports].filter((c): c is string => Boolean(c));
};

/** Opens a modal from the card's button and submits it with these values. */
async function throughModal(user: string, actionId: string, callbackId: string, values: Parameters<typeof slackViewSubmission>[2]) {
  await clickOn(h, user, await cardOf(h, currentId), actionId);
  const { meta } = lastModal(h);
  return h.submit(slackViewSubmission(user, callbackId, values, meta));
}
let currentId = 0;

describe('a conduct complaint is routed to the centre’s supervision channel (R31)', () => {
  it('posts the card to supervision, holds it at the centre, and posts nothing to the accused’s branch channels', async () => {
    const before = branchChannels().map((c) => h.fake.channelMessages(c).length);
    const { t, card } = await conductComplaint();
    expect(card.channel).toBe(SUPERVISION);
    expect(t).toMatchObject({ branchId: null, unitId: null, status: 'dispatched' });
    expect(branchChannels().map((c) => h.fake.channelMessages(c).length)).toEqual(before);
    expect(textOf(card)).toContain('被投诉人');
    expect(textOf(card)).toContain('尚未确认');
    // the time limits still apply: the centre has a deadline to take it on
    expect(t.ackDueAt).not.toBeNull();
    expect(findElement(card.blocks, 'conduct.name')).toBeDefined();
    expect(findElement(card.blocks, 'conduct.finding')).toBeDefined();
    expect(findElement(card.blocks, 'ticket.transfer')).toBeUndefined();
  });
});

describe('a conduct complaint taken with /intake (R31, R1.2)', () => {
  it('goes to the centre even when a branch coordinator takes it directly at the branch, and no branch channel sees it', async () => {
    const before = branchChannels().map((c) => h.fake.channelMessages(c).length);
    await h.slash(U.xinchengCoord, '/intake', '', 'C0XINCHE01');
    const { meta } = lastModal(h);
    await h.submit(
      slackViewSubmission(
        U.xinchengCoord,
        'ticket.intake',
        {
          kind: { option: 'complaint' },
          category: { option: 'staff_conduct' },
          source: { option: 'branch_direct' },
          account: '1010000000',
          description: '居民来分公司投诉抄表员态度恶劣',
        },
        meta,
      ),
    );
    const t = await h.core.db.ticket.findFirstOrThrow({ where: { category: 'staff_conduct', source: 'branch_direct' }, orderBy: { id: 'desc' } });
    expect(t).toMatchObject({ branchId: null, firstResponder: 'staff:xincheng-coord' });
    await h.drain();
    expect((await cardOf(h, t.id)).channel).toBe(SUPERVISION);
    expect(branchChannels().map((c) => h.fake.channelMessages(c).length)).toEqual(before);
  });
});

describe('the time limits of a conduct complaint (R7, R31)', () => {
  it('urges the centre in the supervision channel when nobody takes it on in time, never the triage or branch channels', async () => {
    const { t } = await conductComplaint();
    const before = branchChannels().map((c) => h.fake.channelMessages(c).length);
    // the company's limit for a complaint to be taken on counts office hours: Monday morning here
    h.core.clock.set(new Date(t.ackDueAt!.getTime() + HOUR));
    await fireDueAlerts(h.core, 'test-sweep');
    await h.drain();
    const alerts = await h.core.db.outboxMessage.findMany({ where: { kind: 'staff_alert', key: { startsWith: `alert:ticket:${t.id}:` } } });
    expect(alerts.map((a) => [a.key.split(':')[3], a.target, a.state])).toEqual([
      ['ack_warn', SUPERVISION, 'sent'],
      ['ack_overdue', SUPERVISION, 'sent'],
    ]);
    expect(h.fake.channelMessages('C0CENTRE01').filter((m) => textOf(m).includes(t.number))).toEqual([]);
    expect(branchChannels().map((c) => h.fake.channelMessages(c).length)).toEqual(before);
  });
});

describe('naming the staff member and recording the finding from the card (R31-R33)', () => {
  it('names the staff member through the modal; the card shows them and the thread says who named them', async () => {
    const { t } = await conductComplaint();
    currentId = t.id;
    const res = await throughModal(U.agent, 'conduct.name', 'conduct.name', { staff: { option: 'xincheng-field1' } });
    expect(res.statusCode).toBe(200);
    expect((await stored(t.id)).conductStaffId).toBe('xincheng-field1');
    await h.drain();
    const card = await cardOf(h, t.id);
    expect(textOf(card)).toContain('吴娟（新城供热分公司）');
    expect(
      h.fake
        .thread(card.channel, card.ts)
        .map((m) => textOf(m))
        .join('\n'),
    ).toContain('李磊 确认被投诉人：吴娟（新城供热分公司）');
    expect(toldTo(h, U.agent).at(-1)).toBe(`已确认投诉 ${t.number} 的被投诉人：吴娟（新城供热分公司）。`);
  });

  it('refuses naming someone no longer in the organisation file with unknown_staff on the modal, storing nothing', async () => {
    const { t } = await conductComplaint();
    currentId = t.id;
    const res = await throughModal(U.agent, 'conduct.name', 'conduct.name', { staff: { option: 'left-last-year' } });
    expect(JSON.parse(res.body)).toEqual({ response_action: 'errors', errors: { staff: '“left-last-year”已不在组织名单中，请重新选择。' } });
    expect((await stored(t.id)).conductStaffId).toBeNull();
  });

  it('records a confirmed attitude finding: the month’s post allowance (R32), the reply and the callback follow', async () => {
    const { t } = await conductComplaint();
    currentId = t.id;
    await throughModal(U.agent, 'conduct.name', 'conduct.name', { staff: { option: 'xincheng-field1' } });
    await h.drain();
    const res = await throughModal(U.agent, 'conduct.finding', 'conduct.finding', {
      staff: { option: 'xincheng-field1' },
      finding: { option: 'attitude' },
      evidence: '调取通话录音，维修人员确有辱骂行为',
    });
    expect(res.statusCode).toBe(200);
    const row = await h.core.db.conductFinding.findUniqueOrThrow({ where: { ticketId: t.id } });
    expect(row).toMatchObject({ staffId: 'xincheng-field1', branchId: 'xincheng', finding: 'attitude', consequence: 'allowance', foundBy: 'staff:agent01' });
    const after = await stored(t.id);
    expect(after).toMatchObject({ status: 'callback', conductConfirmed: true, conductStaffId: 'xincheng-field1' });
    expect(after.resolvedAt).not.toBeNull();
    expect(toldTo(h, U.agent).at(-1)).toBe(`已记录投诉 ${t.number} 的调查结论：服务态度问题属实（扣发当月岗位津贴）。`);
    await h.drain();
    const card = await cardOf(h, t.id);
    expect(card.channel).toBe(SUPERVISION);
    expect(findElement(card.blocks, 'conduct.finding')).toBeUndefined();
    expect(
      h.fake
        .thread(card.channel, card.ts)
        .map((m) => textOf(m))
        .join('\n'),
    ).toContain('服务态度问题属实，扣发当月岗位津贴');
  });

  it('records favours as a dismissal recommendation (R33) naming the staff member in the same modal', async () => {
    const { t } = await conductComplaint();
    currentId = t.id;
    await throughModal(U.hqLeader, 'conduct.finding', 'conduct.finding', {
      staff: { option: 'xincheng-field2' },
      finding: { option: 'favours' },
      evidence: '居民提供转账记录',
    });
    expect(await h.core.db.conductFinding.findUniqueOrThrow({ where: { ticketId: t.id } })).toMatchObject({
      finding: 'favours',
      consequence: 'dismissal',
      staffId: 'xincheng-field2',
    });
  });

  it('refuses a finding without evidence on the modal, storing nothing', async () => {
    const { t } = await conductComplaint();
    currentId = t.id;
    const res = await throughModal(U.agent, 'conduct.finding', 'conduct.finding', {
      staff: { option: 'xincheng-field1' },
      finding: { option: 'not_confirmed' },
      evidence: null,
    });
    expect(JSON.parse(res.body)).toEqual({ response_action: 'errors', errors: { evidence: '请填写调查依据。' } });
    expect(await h.core.db.conductFinding.count({ where: { ticketId: t.id } })).toBe(0);
  });

  it('refuses a second finding for the same complaint with finding_exists on the modal (R31)', async () => {
    const { t } = await conductComplaint();
    currentId = t.id;
    await clickOn(h, U.agent, await cardOf(h, t.id), 'conduct.finding');
    const first = lastModal(h).meta;
    await clickOn(h, U.agent2, await cardOf(h, t.id), 'conduct.finding');
    const second = lastModal(h).meta;
    await h.submit(
      slackViewSubmission(
        U.agent,
        'conduct.finding',
        { staff: { option: 'xincheng-field1' }, finding: { option: 'not_confirmed' }, evidence: '核实无此事' },
        first,
      ),
    );
    const res = await h.submit(
      slackViewSubmission(U.agent2, 'conduct.finding', { staff: { option: 'xincheng-field1' }, finding: { option: 'attitude' }, evidence: '另一结论' }, second),
    );
    expect(JSON.parse(res.body)).toMatchObject({ response_action: 'errors' });
    expect(await h.core.db.conductFinding.findMany({ where: { ticketId: t.id } })).toEqual([
      expect.objectContaining({ finding: 'not_confirmed', foundBy: 'staff:agent01' }),
    ]);
    expect((await stored(t.id)).conductConfirmed).toBe(false);
  });

  it('refuses a field worker and a branch head before any modal opens (R31: the centre investigates)', async () => {
    const { t, card } = await conductComplaint();
    const opened = h.fake.callsTo('views.open').length;
    await clickOn(h, U.xinchengField, card, 'conduct.finding');
    await clickOn(h, U.xinchengHead, card, 'conduct.name');
    expect(h.fake.callsTo('views.open')).toHaveLength(opened);
    expect(toldTo(h, U.xinchengField).at(-1)).toBe('只有客户服务中心和公司领导可以调查处理对工作人员的投诉。');
    expect(toldTo(h, U.xinchengHead).at(-1)).toBe('只有客户服务中心和公司领导可以调查处理对工作人员的投诉。');
    expect(await h.core.db.conductFinding.count({ where: { ticketId: t.id } })).toBe(0);
  });
});

describe('the leaders’ monthly list (R31-R33)', () => {
  it('lists the month’s findings with staff, branch, finding, consequence and ticket, and the complaints still open', async () => {
    h.core.clock.set('2026-12-01T01:15:00Z');
    const items = await conductReport(h.core, { key: 'report_conduct:2026-12-01', date: '2026-12-01', month: '2026-11' }, h.core.clock.now());
    expect(items.map((m) => m.target)).toEqual(['C0LEADER01']);
    await h.core.stores.outbox.owe(items, h.core.clock.now());
    await h.drain();
    const posted = h.fake.channelMessages('C0LEADER01').at(-1)!;
    const text = textOf(posted);
    expect(text).toContain('2026-11 工作人员作风投诉月报');
    expect(text).toMatch(/T\d+-\d+ · 吴娟（新城供热分公司）· 服务态度问题属实 · 扣发当月岗位津贴/);
    expect(text).toMatch(/徐刚（新城供热分公司）· 吃拿卡要属实 · 建议辞退/);
    expect(text).toContain('尚在调查中');
  });
});

describe('a conduct complaint keeps its category and its holder (R31)', () => {
  it('refuses to reclassify a repair into a conduct complaint, or a conduct complaint into a repair, storing nothing', async () => {
    const { reclassifyTicket } = await import('../../../src/core/tickets/reclassify-ticket.js');
    const repair = await createTicket(h.core, hotlineComplaint({ category: 'no_heat', description: '暖气不热，师傅来了也不管' }));
    const { t: conduct } = await conductComplaint();
    await expect(
      reclassifyTicket(h.core, { number: repair.number, actor: 'staff:agent01', category: 'staff_conduct', reason: '其实是投诉师傅' }),
    ).rejects.toMatchObject({ code: 'conduct_category_fixed' });
    await expect(
      reclassifyTicket(h.core, { number: conduct.number, actor: 'staff:agent01', category: 'no_heat', reason: '其实是暖气问题' }),
    ).rejects.toMatchObject({
      code: 'conduct_category_fixed',
    });
    expect(await stored(repair.id)).toMatchObject({ category: 'no_heat', branchId: 'xincheng' });
    expect(await stored(conduct.id)).toMatchObject({ category: 'staff_conduct', branchId: null });
    expect((await stored(conduct.id)).events.map((e) => e.type)).not.toContain('reclassified');
  });
});
