/**
 * Quotes for secondary-network and in-building pipe work (R16) through both bots on one core:
 * a branch's staff price the work from the card's Quote button; the resident gets the quote in
 * the bot with [接受报价] [不接受]; accepting schedules a paid-service ticket of the same branch
 * (R9), and the card's thread says each step. Declining, an expired quote and absurd amounts too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cb } from '../../src/bots/telegram/callback-data.js';
import { fireDueAlerts } from '../../src/core/deadlines/fire-due-alerts.js';
import { ACTION } from '../../src/bots/slack/render/ticket-card.js';
import { QUOTE_VIEW } from '../../src/bots/slack/modals/quote-modal.js';
import { PHONE_ANSWER } from '../../src/bots/slack/handlers/quotes.js';
import type { Ticket } from '../../src/core/model.js';
import { startConversation, type Conversation } from '../helpers/conversation.js';
import { findElement, signed, SIGNING_SECRET, slackButton, slackViewSubmission, textOf, U, type FieldValue } from '../helpers/slack.js';
import { telegramCallback, telegramContact, telegramUser, type TgUser } from '../helpers/telegram.js';

let c: Conversation;
let nextUser = 31_000;
const DAY = 86_400_000;

async function residentWithTicket(account: string): Promise<{ u: TgUser; ticket: Ticket }> {
  const u = telegramUser(++nextUser);
  const customer = (await c.core.stores.customers.byAccount(account))!;
  await c.resident(telegramContact(u, customer.phone));
  // a leak is filed at once (R8j)
  await c.say(u, '楼道里的暖气管子漏水了，一直在滴');
  const ticket = await c.ticketOf(u);
  // the staff of the branch have judged it in-building pipe work (secondary, R27)
  expect(ticket.scope).toBe('secondary');
  return { u, ticket };
}

/** The branch takes the ticket: the card's Quote button comes with someone having it (R16). */
async function accepted(ticket: Ticket) {
  const card = await c.card(ticket.id);
  expect(findElement(card.blocks, ACTION.quote)).toBeFalsy();
  await c.slackInteraction(slackButton(U.xinchengField, ACTION.accept, findElement(card.blocks, ACTION.accept).value, { channel: card.channel, ts: card.ts }));
}

/** Staff click Quote on the ticket's card and submit the modal with these lines. */
async function quoteFromCard(user: string, ticket: Ticket, lines: Record<string, FieldValue>) {
  await accepted(ticket);
  const card = await c.card(ticket.id);
  const el = findElement(card.blocks, ACTION.quote);
  expect(el, 'a Quote button on the card').toBeTruthy();
  await c.slackInteraction(slackButton(user, ACTION.quote, el.value, { channel: card.channel, ts: card.ts }));
  const view = c.slack.callsTo('views.open').at(-1)!.view;
  expect(view.callback_id).toBe(QUOTE_VIEW);
  return submitQuote(user, view.private_metadata, lines);
}

async function submitQuote(user: string, meta: string, lines: Record<string, FieldValue>) {
  const before = c.slack.callsTo('views.open').length;
  await c.slackInteraction(slackViewSubmission(user, QUOTE_VIEW, lines, meta));
  return before;
}

/** A modal submission's answer as Slack gets it (field errors keep the modal open). */
async function submitRaw(payload: Record<string, unknown>): Promise<unknown> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const ts = Math.floor(c.core.clock.now().getTime() / 1000);
  const res = await c.app.inject({
    method: 'POST',
    url: '/slack/events',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...signed(body, SIGNING_SECRET, ts) },
    payload: body,
  });
  await c.slackApp.idle();
  await c.drain();
  return res.body ? JSON.parse(res.body) : null;
}

const quoteMessage = (u: TgUser) => [...c.tg.botMessages(u.id)].reverse().find((m) => (m.text ?? '').includes('报价单'));
const toast = () => c.tg.callsOf('answerCallbackQuery').at(-1)?.params.text as string | undefined;

beforeAll(async () => {
  c = await startConversation();
});
afterAll(async () => c?.close());

describe('a quote from the card to the resident and back (R16, R9)', () => {
  let u: TgUser;
  let ticket: Ticket;

  it('staff of the branch price the work in the modal; the card thread shows the quote, the resident gets it with its buttons (R16)', async () => {
    ({ u, ticket } = await residentWithTicket('1010000000'));
    await quoteFromCard(U.xinchengField, ticket, { item1: '楼内立管 DN25 | 米 | 3 | 120.50', item2: '闸阀 DN25｜个｜2｜85', note: '含拆装及试压' });
    const [quote] = await c.core.stores.quotes.ofTicket(ticket.id);
    expect(quote).toMatchObject({ number: `Q-${ticket.number}-1`, totalCents: 53150, status: 'sent', createdBy: 'staff:xincheng-field1' });
    const thread = (await c.thread(ticket.id)).join('\n');
    expect(thread).toContain(`报价 ${quote.number}：合计 ¥531.50`);
    expect(thread).toContain('• 楼内立管 DN25：3 米 × ¥120.50 = ¥361.50');
    expect(thread).toContain('说明：含拆装及试压');
    const m = quoteMessage(u)!;
    expect(m.text).toContain(`报价单 ${quote.number}（工单 ${ticket.number}）`);
    expect(m.text).toContain('按工程结算价和采购价计费');
    expect(m.text).toContain('2. 闸阀 DN25：2 个 × ¥85.00 = ¥170.00');
    expect(m.text).toContain('合计：¥531.50');
    expect(m.text).toContain('报价有效期至：');
    expect((m.reply_markup?.inline_keyboard ?? []).flat().map((b: { text: string }) => b.text)).toEqual(['接受报价', '不接受']);
  });

  it('the resident accepts: the tap is answered, the quote becomes its receipt with the paid ticket, the card thread says so (R16, R9)', async () => {
    await c.tap(u, '接受报价');
    expect(toast()).toBe('已接受报价');
    const [quote] = await c.core.stores.quotes.ofTicket(ticket.id);
    expect(quote.status).toBe('accepted');
    const paid = (await c.core.stores.views.ticketById(quote.paidTicketId!))!;
    expect(paid).toMatchObject({ kind: 'paid_service', branchId: 'xincheng', residentId: ticket.residentId, status: 'dispatched' });
    expect(paid.description).toContain(`${quote.number} ← ${ticket.number}`);
    const receipt = quoteMessage(u)!;
    expect(receipt.text).toContain(`您已接受报价 ${quote.number}，已安排为有偿服务工单 ${paid.number}`);
    expect(receipt.reply_markup?.inline_keyboard ?? []).toEqual([]);
    const thread = (await c.thread(ticket.id)).join('\n');
    expect(thread).toContain(`接受了报价 ${quote.number}（合计 ¥531.50）`);
    expect(thread).toContain(`报价 ${quote.number} 已安排为有偿服务工单 ${paid.number}`);
    // the paid work has its own card in the branch's dispatch channel
    expect(textOf(await c.card(paid.id))).toContain(paid.number);
  });

  it('a second tap changes nothing (R16)', async () => {
    const tickets = await c.core.db.ticket.count();
    const [quote] = await c.core.stores.quotes.ofTicket(ticket.id);
    await c.resident(telegramCallback(u, cb.quoteAnswer(quote.id, true), quoteMessage(u)!));
    expect(toast()).toBe('此报价已处理或已被新的报价取代');
    expect(await c.core.db.ticket.count()).toBe(tickets);
  });
});

describe('declined, expired and absurd quotes (R16)', () => {
  it('the resident declines: stored as refused, no paid work, the thread says so', async () => {
    const { u, ticket } = await residentWithTicket('1010332640');
    await quoteFromCard(U.xinchengCoord, ticket, { item1: '管沟内管道更换 | 米 | 12 | 260' });
    await c.tap(u, '不接受');
    expect(toast()).toBe('已记录：不接受报价');
    const [quote] = await c.core.stores.quotes.ofTicket(ticket.id);
    expect(quote).toMatchObject({ status: 'refused', paidTicketId: null });
    expect(quoteMessage(u)!.text).toContain(`您已不接受报价 ${quote.number}`);
    expect((await c.thread(ticket.id)).join('\n')).toContain(`不接受报价 ${quote.number}（合计 ¥3120.00）`);
  });

  it('after its validity the resident is told it expired and to ask again; nothing is scheduled', async () => {
    const { u, ticket } = await residentWithTicket('1010665280');
    await quoteFromCard(U.agent, ticket, { item1: '地沟阀门 | 个 | 1 | 300' });
    c.core.clock.advance(7 * DAY + 60_000);
    await c.tap(u, '接受报价');
    expect(toast()).toBe('报价已过期');
    const [quote] = await c.core.stores.quotes.ofTicket(ticket.id);
    expect(quote.status).toBe('expired');
    expect(quoteMessage(u)!.text).toContain(`报价 ${quote.number} 已于`);
    expect(quoteMessage(u)!.text).toContain('请联系我们重新报价');
    expect(await c.core.db.ticket.count({ where: { kind: 'paid_service', description: { contains: quote.number } } })).toBe(0);
    expect((await c.thread(ticket.id)).join('\n')).toContain(`报价 ${quote.number} 已过期`);
  });

  it('absurd amounts come back onto their line in words, and nothing is stored or sent', async () => {
    const { u, ticket } = await residentWithTicket('1010997920');
    await accepted(ticket);
    const card = await c.card(ticket.id);
    await c.slackInteraction(slackButton(U.xinchengField, ACTION.quote, findElement(card.blocks, ACTION.quote).value, { channel: card.channel, ts: card.ts }));
    const meta = c.slack.callsTo('views.open').at(-1)!.view.private_metadata;
    const said = c.tg.botMessages(u.id).length;
    const cases: [Record<string, FieldValue>, Record<string, string>][] = [
      [{ item1: '阀门 | 个 | 1 | 50', item2: '管道 | 米 | -2 | 100' }, { item2: '数量须大于 0（最多三位小数，不超过 100000）' }],
      [{ item1: '阀门 | 个 | 1 | -50' }, { item1: '单价须为不小于 0 的金额（元，最多两位小数）' }],
      [{ item1: '管道 | 米 | 10000 | 200' }, { item1: '合计须大于 0 且不超过 100 万元' }],
      [{ item1: '阀门 | 个 | 1 | 0' }, { item1: '合计须大于 0 且不超过 100 万元' }],
      [{ item1: '阀门 个 1 50' }, { item1: '请按“名称 | 单位 | 数量 | 单价”填写四部分，用 | 分隔' }],
      [{ item1: null }, { item1: '至少填写一项' }],
    ];
    for (const [lines, errors] of cases) {
      const res = await submitRaw(slackViewSubmission(U.xinchengField, QUOTE_VIEW, lines, meta));
      expect(res).toEqual({ response_action: 'errors', errors });
    }
    expect(await c.core.stores.quotes.ofTicket(ticket.id)).toEqual([]);
    expect(await c.core.stores.tickets.events(ticket.id, 'quoted')).toEqual([]);
    expect(c.tg.botMessages(u.id)).toHaveLength(said);
  });

  it('staff record the answer a resident gave on the phone with the buttons under the quote: accepted is scheduled as paid work (R16, R9)', async () => {
    const { ticket } = await residentWithTicket('1011663200');
    await quoteFromCard(U.xinchengCoord, ticket, { item1: '楼内地沟管道 | 米 | 4 | 150' });
    const told = c.slack.ephemeralsFor(U.xinchengCoord).at(-1)!;
    expect(textOf(told)).toContain('住户若电话答复，可用下方按钮记录');
    const yes = findElement(told.blocks, PHONE_ANSWER);
    expect(yes.text.text).toBe('住户电话接受');
    // another branch's staff cannot answer for the resident
    await c.slackInteraction(slackButton(U.huiminField, PHONE_ANSWER, yes.value));
    expect((await c.core.stores.quotes.ofTicket(ticket.id))[0].status).toBe('sent');
    await c.slackInteraction(slackButton(U.xinchengCoord, PHONE_ANSWER, yes.value));
    const [quote] = await c.core.stores.quotes.ofTicket(ticket.id);
    expect(quote).toMatchObject({ status: 'accepted', answeredBy: 'staff:xincheng-coord' });
    const paid = (await c.core.stores.views.ticketById(quote.paidTicketId!))!;
    expect(textOf(c.slack.ephemeralsFor(U.xinchengCoord).at(-1)!)).toBe(`已记录：住户接受报价 ${quote.number}，已安排为有偿服务工单 ${paid.number}。`);
    await c.slackInteraction(slackButton(U.xinchengCoord, PHONE_ANSWER, yes.value));
    expect(textOf(c.slack.ephemeralsFor(U.xinchengCoord).at(-1)!)).toBe(`报价 ${quote.number} 已有答复，或已被新的报价取代。`);
  });

  it('a branch that does not have the ticket cannot quote it: no modal (R16, R2)', async () => {
    const { ticket } = await residentWithTicket('1011330560');
    await accepted(ticket);
    const card = await c.card(ticket.id);
    const opened = c.slack.callsTo('views.open').length;
    await c.slackInteraction(slackButton(U.huiminField, ACTION.quote, findElement(card.blocks, ACTION.quote).value, { channel: card.channel, ts: card.ts }));
    expect(c.slack.callsTo('views.open')).toHaveLength(opened);
  });
});

describe('the sweep expires a quote at the end of its validity, without anyone acting (R16)', () => {
  const sweep = () => fireDueAlerts(c.core, 'quote-sweep-a');

  it('past validUntil the quote is marked expired, the card thread says so and the resident’s quote message loses its buttons and says to ask again: once, with two instances sweeping (R16)', async () => {
    const { u, ticket } = await residentWithTicket('1011995840');
    await quoteFromCard(U.xinchengField, ticket, { item1: '楼内立管 DN20 | 米 | 2 | 95' });
    const [sent] = await c.core.stores.quotes.ofTicket(ticket.id);
    // its expiry was stored with it, due at the end of its validity
    const expiry = await c.core.db.scheduledAlert.findFirstOrThrow({ where: { ticketId: ticket.id, kind: 'quote_expiry' } });
    expect(expiry.dueAt.getTime()).toBe(sent.validUntil.getTime());
    // a minute before the end nothing happens
    c.core.clock.set(new Date(sent.validUntil.getTime() - 60_000));
    await sweep();
    await c.drain();
    expect((await c.core.stores.quotes.byId(sent.id))!.status).toBe('sent');
    expect((quoteMessage(u)!.reply_markup?.inline_keyboard ?? []).flat()).toHaveLength(2);

    c.core.clock.set(new Date(sent.validUntil.getTime() + 60_000));
    // two instances sweep at the same moment
    await Promise.all([sweep(), fireDueAlerts(c.core, 'quote-sweep-b')]);
    await c.drain();
    await sweep();
    await c.drain();
    const quote = (await c.core.stores.quotes.byId(sent.id))!;
    expect(quote).toMatchObject({ status: 'expired', answeredBy: null, paidTicketId: null });
    expect(await c.core.stores.tickets.events(ticket.id, 'quote_expired')).toHaveLength(1);
    const thread = await c.thread(ticket.id);
    expect(thread.filter((l) => l.includes(`报价 ${quote.number} 已过期`))).toHaveLength(1);
    // the resident's quote message: the offer as they read it, now saying it expired, without buttons
    const messages = c.tg.botMessages(u.id).filter((m) => (m.text ?? '').includes(quote.number));
    expect(messages).toHaveLength(1);
    const m = messages[0];
    expect(m.text).toContain(`报价单 ${quote.number}（工单 ${ticket.number}）`);
    expect(m.text).toContain(`⌛ 报价 ${quote.number} 已于`);
    expect(m.text).toContain('请联系我们重新报价');
    expect(m.reply_markup?.inline_keyboard ?? []).toEqual([]);
    expect(await c.core.db.outboxMessage.count({ where: { kind: 'quote_expired', key: `quote:${quote.id}:expired` } })).toBe(1);
    expect(await c.core.db.ticket.count({ where: { kind: 'paid_service', description: { contains: quote.number } } })).toBe(0);
    // staff recording a phone answer afterwards are told it expired, not that it was answered
    const yes = c.slack
      .ephemeralsFor(U.xinchengField)
      .map((e) => findElement(e.blocks, PHONE_ANSWER))
      .filter((el) => el && String(el.value).includes(quote.number))
      .at(-1);
    await c.slackInteraction(slackButton(U.xinchengField, PHONE_ANSWER, yes.value));
    expect(textOf(c.slack.ephemeralsFor(U.xinchengField).at(-1)!)).toBe(`报价 ${quote.number} 已过期，不能再接受；如仍需维修请重新报价。`);
    expect((await c.core.stores.quotes.byId(sent.id))!.status).toBe('expired');
  });

  it('a quote message Telegram will not edit loses its buttons, and the notice that it expired goes under it (R16)', async () => {
    const { u, ticket } = await residentWithTicket('1012661120');
    await quoteFromCard(U.xinchengField, ticket, { item1: '楼内支管 | 米 | 1 | 60' });
    const [sent] = await c.core.stores.quotes.ofTicket(ticket.id);
    const offer = quoteMessage(u)!;
    c.tg.failNext('editMessageText', { status: 400, description: "Bad Request: message can't be edited" });
    c.core.clock.set(new Date(sent.validUntil.getTime() + 60_000));
    await sweep();
    await c.drain();
    expect((await c.core.stores.quotes.byId(sent.id))!.status).toBe('expired');
    const shown = c.tg.message(u.id, offer.message_id)!;
    expect(shown.text).toBe(offer.text);
    expect(shown.reply_markup?.inline_keyboard ?? []).toEqual([]);
    const notices = c.tg.botMessages(u.id).filter((m) => (m.text ?? '').includes(`⌛ 报价 ${sent.number}`));
    expect(notices).toHaveLength(1);
    const notice = notices[0];
    expect(notice.text).toContain(`⌛ 报价 ${sent.number} 已于`);
    expect(notice.text).toContain('请联系我们重新报价');
    expect(notice.reply_to_message?.message_id).toBe(offer.message_id);
  });

  it('a quote answered before its validity ended is not touched by the sweep (R16)', async () => {
    const { u, ticket } = await residentWithTicket('1012328480');
    await quoteFromCard(U.xinchengCoord, ticket, { item1: '管沟内阀门 | 个 | 1 | 180' });
    await c.tap(u, '不接受');
    const [refused] = await c.core.stores.quotes.ofTicket(ticket.id);
    expect(refused.status).toBe('refused');
    const shown = quoteMessage(u)!.text;
    const lines = (await c.thread(ticket.id)).length;
    c.core.clock.set(new Date(refused.validUntil.getTime() + 60_000));
    await sweep();
    await c.drain();
    expect((await c.core.stores.quotes.byId(refused.id))!).toMatchObject({ status: 'refused', answeredAt: refused.answeredAt });
    expect(await c.core.stores.tickets.events(ticket.id, 'quote_expired')).toEqual([]);
    expect((await c.thread(ticket.id)).join('\n')).not.toContain('已过期');
    expect((await c.thread(ticket.id)).length).toBeGreaterThanOrEqual(lines);
    expect(quoteMessage(u)!.text).toBe(shown);
    expect(await c.core.db.outboxMessage.count({ where: { kind: 'quote_expired', key: `quote:${refused.id}:expired` } })).toBe(0);
    // its expiry alert fired and did nothing
    const expiry = await c.core.db.scheduledAlert.findFirstOrThrow({ where: { ticketId: ticket.id, kind: 'quote_expiry' } });
    expect(expiry.firedAt).not.toBeNull();
  });
});
