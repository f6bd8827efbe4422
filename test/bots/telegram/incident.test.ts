/**
 * The residents' side of an incident, through the real bot and the staff app over the fakes: a
 * report from an affected community is told what is known and gets no dispatch card of its own,
 * a leak in the same flat is dispatched as usual, the residents are told at declaration, at a new
 * expected time and when heat is back, and 暖气恢复了吗？ goes on to the rating (R8h) or reopens the
 * report to the branch (R30).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { fireDueAlerts } from '../../../src/core/deadlines/fire-due-alerts.js';
import { declareIncident } from '../../../src/core/incidents/declare-incident.js';
import { restoreIncident } from '../../../src/core/incidents/restore-incident.js';
import { updateIncident } from '../../../src/core/incidents/update-incident.js';
import type { Incident, Ticket } from '../../../src/core/model.js';
import { startConversation, type Conversation } from '../../helpers/conversation.js';
import { cb } from '../../../src/bots/telegram/callback-data.js';
import { incidentStateLines } from '../../../src/bots/telegram/incident-deliveries.js';
import { incidentReplyKey } from '../../../src/core/incidents/incident-messages.js';
import { telegramCallback, telegramContact, telegramUser, type TgUser } from '../../helpers/telegram.js';

let c: Conversation;
let nextUser = 16_000;
const agent = 'staff:agent01';

/** A resident linked to a demo account by sharing their contact (the account's phone). */
async function boundTo(account: string): Promise<TgUser> {
  const u = telegramUser(++nextUser);
  const customer = await c.core.stores.customers.byAccount(account);
  if (!customer) throw new Error(`no demo account ${account}`);
  await c.resident(telegramContact(u, customer.phone));
  return u;
}

/** Words, then ✅ 提交 on the proposal. */
async function reportsNoHeat(u: TgUser, words = '暖气不热，室温15度'): Promise<Ticket> {
  await c.say(u, words);
  await c.tap(u, '提交');
  return c.ticketOf(u);
}

const lastOf = (u: TgUser) => c.chat(u).at(-1) ?? '';
/** The heat-back notice in the chat (its buttons may be gone: it was answered). */
const noticeOf = (u: TgUser) => c.tg.botMessages(u.id).findLast((m) => (m.text ?? '').startsWith('【供热恢复】'))!;
/** A tap on the notice's button as it was sent, after the notice lost its buttons (an old phone screen, a double tap). */
const tapAgain = (u: TgUser, incidentId: number, back: boolean) => c.resident(telegramCallback(u, cb.restoreCheck(incidentId, back), noticeOf(u)));
const toastOf = () => c.tg.callsOf('answerCallbackQuery').at(-1)?.params.text as string | undefined;
/** The Slack messages that name the ticket: its dispatch card and alerts, if any were posted. */
const slackAbout = (number: string) => c.slack.callsTo('chat.postMessage').filter((m) => JSON.stringify(m).includes(number));

async function declared(communityIds: string[], expectedAt: string | null): Promise<Incident> {
  const { incident } = await declareIncident(c.core, {
    communityIds,
    scope: 'station',
    cause: '换热站循环泵故障',
    expectedAt: expectedAt ? new Date(expectedAt) : null,
    actor: agent,
  });
  await c.drain();
  return incident;
}

beforeAll(async () => {
  c = await startConversation();
});
afterAll(() => c.close());

describe('a report while an incident covers the community', () => {
  let a: TgUser;
  let d: TgUser;
  let incident: Incident;
  beforeAll(async () => {
    c.core.clock.set('2026-11-28T06:00:00Z'); // 14:00 in Hohhot
    a = await boundTo('1010000000'); // 王秀兰, 幸福家园 (c001)
    incident = await declared(['c001'], '2026-11-28T08:00:00Z');
  });

  it('tells the resident who writes 暖气不热 what is being repaired and when heat is expected back, with the ticket number, and posts no dispatch card', async () => {
    const ticket = await reportsNoHeat(a);
    const said = lastOf(a);
    expect(said).toContain('幸福家园的换热站发生故障，正在抢修。');
    expect(said).toContain('原因：换热站循环泵故障');
    expect(said).toContain('预计 16:00 恢复供热。');
    expect(said).toContain(`您的报修已登记，工单号：${ticket.number}。这次故障已在统一抢修，不用再单独报修`);
    expect(said).toContain('0471-96556');
    expect(said).not.toContain('负责单位');
    expect(ticket.incidentId).toBe(incident.id);
    expect(await c.core.stores.outbox.cardOf(ticket.id, 'dispatch')).toBeNull();
    expect(slackAbout(ticket.number)).toHaveLength(0);
  });

  it('says it once: the answer kept in reserve in the outbox is not sent after the grace time', async () => {
    const before = c.chat(a).length;
    c.core.clock.advance(2 * MINUTE);
    await c.drain();
    expect(c.chat(a)).toHaveLength(before);
  });

  it('files and dispatches the same resident’s leak as usual (R8j): number, emergency hotline and a dispatch card', async () => {
    await c.say(a, '家里暖气片漏水了，地上都是水');
    const leak = await c.ticketOf(a);
    expect(leak.category).toBe('leak');
    expect(leak.incidentId).toBeNull();
    expect(lastOf(a)).toContain(`工单号：${leak.number}`);
    expect(lastOf(a)).toContain('0471-96556 转 1');
    expect((await c.card(leak.id)).text ?? JSON.stringify((await c.card(leak.id)).blocks)).toContain(leak.number);
  });

  it('files a report from another community as usual, with its branch and visit time', async () => {
    const other = await boundTo('1010007920'); // 朱宝山, 兴安花园 (c002)
    const ticket = await reportsNoHeat(other);
    expect(ticket.incidentId).toBeNull();
    expect(lastOf(other)).toContain(`工单号：${ticket.number}`);
    expect(lastOf(other)).toContain('负责单位：新城供热分公司');
    expect(lastOf(other)).not.toContain('抢修');
    expect(await c.core.stores.outbox.cardOf(ticket.id, 'dispatch')).not.toBeNull();
  });

  it('answers a question about the heat with the repair’s state, not the heating season’s dates', async () => {
    const b = await boundTo('1010332640'); // 魏雪梅, 幸福家园
    await c.say(b, '暖气什么时候恢复');
    expect(lastOf(b)).toContain('预计 16:00 恢复供热。');
    expect(lastOf(b)).toContain('想登记您家的报修，直接发送“暖气不热”即可。');
  });

  it('chases the resident’s newest report, a leak, when they press, with the repair’s state beside it', async () => {
    const leak = await c.ticketOf(a);
    expect(leak.category).toBe('leak');
    await c.say(a, '怎么还没人来');
    expect(lastOf(a)).toContain(leak.number);
    expect(lastOf(a)).toContain('幸福家园的换热站发生故障，正在抢修。');
  });

  it('adds what the resident writes after a linked report to it without posting a card of its own', async () => {
    d = await boundTo('1010665280'); // 易玉兰, 幸福家园
    const ticket = await reportsNoHeat(d);
    expect(ticket.incidentId).toBe(incident.id);
    await c.say(d, '暖气还是不热，家里才14度');
    expect(lastOf(d)).toContain(ticket.number);
    expect(await c.core.stores.outbox.cardOf(ticket.id, 'dispatch')).toBeNull();
    expect(slackAbout(ticket.number)).toHaveLength(0);
  });

  it('answers a resident pressing about a linked report with the repair’s state, and chases nobody on its own', async () => {
    const pages = c.slack.callsTo('chat.postMessage').length;
    await c.say(d, '怎么还没来热');
    expect(lastOf(d)).toContain('预计 16:00 恢复供热。');
    expect(lastOf(d)).toContain('您的报修已登记，工单号：');
    expect(c.slack.callsTo('chat.postMessage').length).toBe(pages);
  });

  it('shows on /status that the report is part of the repair, with the repair’s state', async () => {
    const ticket = (await c.core.db.ticket.findFirstOrThrow({ where: { incidentId: incident.id } }))!;
    await c.say(a, `/status ${ticket.number}`);
    expect(lastOf(a)).toContain(`已并入抢修事件 ${incident.number}，恢复供热后一并处理`);
    expect(lastOf(a)).toContain('预计 16:00 恢复供热。');
  });
});

describe('notices to the residents of the affected communities', () => {
  let a: TgUser;
  let b: TgUser;
  let incident: Incident;
  beforeAll(async () => {
    c.core.clock.set('2026-11-28T06:00:00Z'); // 14:00 in Hohhot
    a = await boundTo('1010031680'); // 杜金花, 东风小区 (c005)
    b = await boundTo('1010364320'); // 龚凤英, 东风小区
    incident = await declared(['c005'], '2026-11-28T09:00:00Z');
  });

  it('tells every bound resident at declaration: what failed, the cause and the expected time', () => {
    for (const u of [a, b]) {
      expect(lastOf(u)).toContain('【停暖抢修通知】');
      expect(lastOf(u)).toContain('东风小区的换热站发生故障，正在抢修。');
      expect(lastOf(u)).toContain('预计 17:00 恢复供热。');
    }
  });

  it('tells them again at a new expected time, and a notice of an older change already says the latest time', async () => {
    c.core.clock.advance(30 * MINUTE);
    // two changes before the outbox gets to either
    const first = await updateIncident(c.core, { id: incident.id, actor: agent, expectedAt: new Date('2026-11-28T10:00:00Z') });
    await updateIncident(c.core, { id: incident.id, actor: agent, expectedAt: new Date('2026-11-28T10:30:00Z') });
    expect(first).toBeTruthy();
    await c.drain();
    const progress = c.chat(a).filter((t) => t.startsWith('【抢修进展】'));
    expect(progress.length).toBeGreaterThanOrEqual(1);
    for (const t of progress) {
      expect(t).toContain('预计 18:30 恢复供热。');
      expect(t).not.toContain('18:00');
    }
  });

  it('tells them when heat is back, with 暖气恢复了吗？ and two buttons', async () => {
    c.core.clock.advance(60 * MINUTE);
    await restoreIncident(c.core, { id: incident.id, actor: agent });
    await c.drain();
    for (const u of [a, b]) {
      const notice = c.tg.botMessages(u.id).at(-1)!;
      expect(notice.text).toContain('【供热恢复】');
      expect(notice.text).toContain('东风小区的换热站已修复，供热已恢复。');
      expect(notice.text).toContain('您家的暖气恢复了吗？');
      expect((notice.reply_markup?.inline_keyboard ?? []).flat().map((x: { text: string }) => x.text)).toEqual(['✅ 恢复了', '❌ 还不热']);
    }
  });

  it('thanks a resident who had not reported and taps 恢复了; a second tap changes nothing', async () => {
    await c.tap(a, '恢复了');
    expect(toastOf()).toBe('谢谢您的确认！');
    expect(lastOf(a)).toContain('✅ 恢复了 谢谢您的确认！');
    const tickets = await c.core.db.ticket.count();
    const said = c.chat(a).length;
    await tapAgain(a, incident.id, true);
    expect(await c.core.db.ticket.count()).toBe(tickets);
    expect(c.chat(a)).toHaveLength(said);
  });

  it('files a no-heat report for a resident who had not reported and taps 还不热, with a dispatch card; a second tap files nothing', async () => {
    await c.tap(b, '还不热');
    const ticket = await c.ticketOf(b);
    expect(ticket.category).toBe('no_heat');
    expect(ticket.incidentId).toBeNull();
    expect(c.chat(b).join('\n')).toContain(`已为您单独登记报修，工单号：${ticket.number}`);
    expect(await c.core.stores.outbox.cardOf(ticket.id, 'dispatch')).not.toBeNull();
    const tickets = await c.core.db.ticket.count();
    await tapAgain(b, incident.id, false);
    expect(toastOf()).toBe('这条通知已经回答过了，谢谢。');
    expect(await c.core.db.ticket.count()).toBe(tickets);
  });
});

describe('暖气恢复了吗？ for a resident whose report was linked', () => {
  let a: TgUser;
  let b: TgUser;
  let incident: Incident;
  let ticketA: Ticket;
  let ticketB: Ticket;
  beforeAll(async () => {
    c.core.clock.set('2026-11-28T06:00:00Z'); // 14:00 in Hohhot
    a = await boundTo('1010063360'); // 陈永胜, 北垣新村 (c009)
    b = await boundTo('1010396000'); // 余秀兰, 北垣新村
    incident = await declared(['c009'], null);
    ticketA = await reportsNoHeat(a);
    ticketB = await reportsNoHeat(b);
    c.core.clock.advance(90 * MINUTE);
    await restoreIncident(c.core, { id: incident.id, actor: agent });
    await c.drain();
  });

  it('tells the resident their report was closed with the repair', () => {
    expect(ticketA.incidentId).toBe(incident.id);
    expect(lastOf(a)).toContain(`您的报修 ${ticketA.number} 已随本次抢修一并处理完毕。`);
  });

  it('goes on from 恢复了 to the usual rating question (R8h), and 满意 closes the report', async () => {
    await c.tap(a, '恢复了');
    expect(toastOf()).toBe('谢谢您的确认！');
    const rating = c.tg.botMessages(a.id).at(-1)!;
    expect(rating.text).toContain(ticketA.number);
    expect((rating.reply_markup?.inline_keyboard ?? []).flat().map((x: { text: string }) => x.text)).toEqual(['😊 满意', '🙂 基本满意', '☹️ 不满意']);
    await c.tap(a, '满意');
    expect((await c.core.stores.views.ticketById(ticketA.id))!.status).toBe('closed');
  });

  it('answers a tap on the notice after the rating kindly and changes nothing', async () => {
    const said = c.chat(a).length;
    await tapAgain(a, incident.id, false);
    expect(toastOf()).toBe('这条通知已经回答过了，谢谢。');
    expect(c.chat(a)).toHaveLength(said);
    expect((await c.core.stores.views.ticketById(ticketA.id))!.status).toBe('closed');
  });

  it('reopens the report from 还不热 to its branch as an ordinary no-heat ticket with its own clock, and a dispatch card appears (R30)', async () => {
    await c.tap(b, '还不热');
    const t = (await c.core.stores.views.ticketById(ticketB.id))!;
    expect(t.status).toBe('dispatched');
    expect(t.reopenCount).toBe(1);
    // its own clock from the reopen, as an ordinary household's report: a visit within the hour (R7)
    expect(t.scope).toBe('secondary');
    expect(t.arriveDueAt).toEqual(new Date(c.core.clock.now().getTime() + 60 * MINUTE));
    expect(c.chat(b).join('\n')).toContain(`工单 ${ticketB.number} 已重新派给新城供热分公司`);
    const card = await c.card(ticketB.id);
    expect(JSON.stringify(card)).toContain(ticketB.number);
  });

  it('answers a second 还不热 kindly and reopens nothing twice', async () => {
    const before = (await c.core.stores.views.ticketById(ticketB.id))!;
    await tapAgain(b, incident.id, false);
    expect(toastOf()).toBe('这条通知已经回答过了，谢谢。');
    const after = (await c.core.stores.views.ticketById(ticketB.id))!;
    expect(after.reopenCount).toBe(before.reopenCount);
    expect(after.version).toBe(before.version);
  });
});

describe('what the outbox owes a resident about an incident', () => {
  it('speaks English to a resident whose phone is in English: the notice and the answer to a linked report', async () => {
    c.core.clock.set('2026-11-28T06:00:00Z');
    const u = telegramUser(++nextUser, { languageCode: 'en' });
    const customer = (await c.core.stores.customers.byAccount('1010015840'))!; // 冯国强, 锡林小区 (c003)
    await c.resident(telegramContact(u, customer.phone));
    await declared(['c003'], '2026-11-28T09:00:00Z');
    expect(lastOf(u)).toContain('[Heating outage: repair under way]');
    expect(lastOf(u)).toContain('The heat-exchange station serving 锡林小区 has failed and is being repaired.');
    expect(lastOf(u)).toContain('Heating is expected back by 17:00.');
    await c.say(u, 'The radiators are cold, the room is only 15 degrees');
    await c.tap(u, 'Submit');
    const t = await c.ticketOf(u);
    expect(lastOf(u)).toContain(`Your report is recorded, ticket number: ${t.number}.`);
  });

  it('sends the incident’s answer through the outbox when Telegram refuses the bot’s own, under the resident’s report', async () => {
    c.core.clock.set('2026-11-28T06:00:00Z');
    const u = await boundTo('1010023760'); // 吕建国, 丁香苑 (c004)
    await declared(['c004'], '2026-11-28T10:00:00Z');
    await c.say(u, '暖气不热，室温15度');
    c.tg.failNext('sendMessage', { status: 502 });
    await c.tap(u, '提交');
    const t = await c.ticketOf(u);
    expect(t.incidentId).not.toBeNull();
    const owed = await c.core.db.outboxMessage.findUniqueOrThrow({ where: { key: incidentReplyKey(t.id) } });
    expect(owed).toMatchObject({ kind: 'incident_reply', state: 'sent' });
    const reply = c.tg.botMessages(u.id).findLast((m) => (m.text ?? '').includes(t.number))!;
    expect(reply.text).toContain('预计 18:00 恢复供热。');
    expect(reply.reply_to_message?.text).toBe('暖气不热，室温15度');
  });

  it('tells a resident whose report was filed before the incident, and whose number was still owed, the incident’s answer once it is linked', async () => {
    c.core.clock.set('2026-11-28T06:00:00Z');
    const u = await boundTo('1010055440'); // 黎振华, 海拉尔东路小区 (c008)
    await c.say(u, '暖气不热，室温15度');
    // the bot's reply is refused, and the outbox's first try too
    c.tg.failNext('sendMessage', { status: 502 });
    c.tg.failNext('sendMessage', { status: 502 });
    await c.tap(u, '提交');
    const t = await c.ticketOf(u);
    expect(c.chat(u).some((x) => x.includes(`工单号：${t.number}`))).toBe(false);
    c.core.clock.advance(5 * MINUTE);
    await declared(['c008'], '2026-11-28T08:30:00Z');
    for (let i = 0; i < 5 && !c.chat(u).some((x) => x.includes(`工单号：${t.number}`)); i++) {
      c.core.clock.advance(MINUTE);
      await c.drain();
    }
    expect((await c.core.stores.views.ticketById(t.id))!.incidentId).not.toBeNull();
    const answer = c.chat(u).find((x) => x.includes(`工单号：${t.number}`))!;
    expect(answer).toContain('海拉尔东路小区的换热站发生故障，正在抢修。');
    expect(answer).toContain('预计 16:30 恢复供热。');
    expect(answer).not.toContain('负责单位');
    expect(c.chat(u).find((x) => x.startsWith('【停暖抢修通知】'))).toContain(`您的报修 ${t.number} 已并入本次抢修`);
  });

  it('does not send a notice of a repair that is over before it went out: only the heat-back notice', async () => {
    c.core.clock.set('2026-11-28T06:00:00Z');
    const u = await boundTo('1010047520'); // 江淑珍, 青城府邸 (c007)
    const { incident } = await declareIncident(c.core, {
      communityIds: ['c007'],
      scope: 'community',
      cause: '小区主管道阀门损坏',
      expectedAt: null,
      actor: agent,
    });
    c.core.clock.advance(20 * MINUTE);
    await restoreIncident(c.core, { id: incident.id, actor: agent });
    await c.drain();
    const notices = c.chat(u).filter((t) => t.startsWith('【'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('【供热恢复】');
    expect(notices[0]).toContain('青城府邸的小区供热管网已修复');
  });
});

describe('a resident who blocked the bot before heat was back', () => {
  it('is called back by the centre by phone at once instead of waiting for the buttons of a notice they cannot get (R8h)', async () => {
    c.core.clock.set('2026-11-28T06:00:00Z');
    const u = await boundTo('1010071280'); // 郭玉兰, 通道南街小区 (c010, 回民)
    const incident = await declared(['c010'], null);
    const ticket = await reportsNoHeat(u);
    expect(ticket.incidentId).toBe(incident.id);
    c.tg.blockChat(u.id);
    c.core.clock.advance(60 * MINUTE);
    await restoreIncident(c.core, { id: incident.id, actor: agent });
    await c.drain(); // the notice is refused: the resident is marked, the callback's time-out brought forward
    await fireDueAlerts(c.core, 'test-sweep');
    await c.drain();
    const task = await c.core.db.outboxMessage.findFirst({ where: { kind: 'callback_task', payload: { contains: `"ticketId":${ticket.id}` } } });
    expect(task).toMatchObject({ target: 'C0CALLBK01', state: 'sent' });
  });
});

describe('a resident whose report the centre calls back by phone', () => {
  it('is thanked for 恢复了 and told the centre will call, not asked the rating a second time in the bot (R8h)', async () => {
    const share = c.core.org.config.incidents.phoneSample;
    c.core.org.config.incidents.phoneSample = 1; // every linked report is sampled for a phone call
    try {
      c.core.clock.set('2026-11-28T06:00:00Z');
      const u = await boundTo('1010087120'); // 蔡晓东, 中山西路小区 (c012)
      const incident = await declared(['c012'], null);
      const ticket = await reportsNoHeat(u);
      c.core.clock.advance(60 * MINUTE);
      await restoreIncident(c.core, { id: incident.id, actor: agent });
      await c.drain();
      const said = c.tg.botMessages(u.id).length;
      await c.tap(u, '恢复了');
      expect(toastOf()).toBe('谢谢您的确认！');
      expect(noticeOf(u).text).toContain('客服中心会给您打电话回访');
      expect(c.tg.botMessages(u.id)).toHaveLength(said); // no rating question follows
      const callbacks = await c.core.db.callback.findMany({ where: { ticketId: ticket.id }, select: { channel: true, status: true } });
      expect(callbacks).toEqual([{ channel: 'phone', status: 'pending' }]);
    } finally {
      c.core.org.config.incidents.phoneSample = share;
    }
  });
});

describe('the words of an incident', () => {
  it('names a community removed from the organisation file by its id, and says so when the expected time is not known', () => {
    const incident = { status: 'open', scope: 'station', cause: '换热站停电', communityIds: ['c001', 'c999'], expectedAt: null } as unknown as Incident;
    const lines = incidentStateLines(c.core.org, incident, 'zh-CN', new Date('2026-11-28T06:00:00Z'));
    expect(lines).toEqual(['幸福家园、c999的换热站发生故障，正在抢修。', '原因：换热站停电', '恢复时间还在确定中，有进展我们会第一时间告诉您。']);
  });

  it('names at most three communities', () => {
    const incident = {
      status: 'open',
      scope: 'primary_section',
      cause: '一次网爆管',
      communityIds: ['c001', 'c002', 'c003', 'c004', 'c005'],
      expectedAt: null,
    } as unknown as Incident;
    expect(incidentStateLines(c.core.org, incident, 'zh-CN', new Date())[0]).toBe('幸福家园、兴安花园、锡林小区等 5 个小区的一次供热管网发生故障，正在抢修。');
  });
});
