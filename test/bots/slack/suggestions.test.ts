/**
 * Suggestions to HQ (R17-R19): a resident's suggestion is held by the centre, its card in the
 * suggestions channel with an answer button; the centre (agents, leaders, admins) answers it in a
 * modal, the suggestion is finished, and the answer reaches the resident in Telegram with the
 * service card (R22). A branch answers only what it took itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SUGGESTION_ACTION } from '../../../src/bots/slack/render/suggestion-card.js';
import { answerSuggestion } from '../../../src/core/suggestions/answer-suggestion.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import type { Ticket } from '../../../src/core/model.js';
import { startConversation, type Conversation } from '../../helpers/conversation.js';
import { findElement, slackButton, slackViewSubmission, textOf, U } from '../../helpers/slack.js';
import { telegramContact, telegramUser, type TgUser } from '../../helpers/telegram.js';

let c: Conversation;
const QUEUE = 'C0SUGGST01';

async function suggest(user: TgUser, account: string, words: string): Promise<Ticket> {
  const customer = await c.core.stores.customers.byAccount(account);
  await c.resident(telegramContact(user, customer!.phone));
  await c.say(user, `/suggest ${words}`);
  return c.ticketOf(user);
}

async function queueCard(ticketId: number) {
  const row = await c.core.stores.outbox.cardOf(ticketId, 'suggestion');
  expect(row?.channel).toBe(QUEUE);
  return c.slack.message(row!.channel, row!.ts)!;
}

async function answerByModal(slackUser: string, t: Ticket, words: string) {
  const card = await queueCard(t.id);
  const button = findElement(card.blocks, SUGGESTION_ACTION.answer);
  await c.slackInteraction(slackButton(slackUser, SUGGESTION_ACTION.answer, button.value, { channel: card.channel, ts: card.ts }));
  const opened = c.slack.callsTo('views.open').at(-1)!.view;
  await c.slackInteraction(slackViewSubmission(slackUser, opened.callback_id, { text: words }, opened.private_metadata));
}

beforeAll(async () => {
  c = await startConversation();
});
afterAll(() => c?.close());

describe('the HQ suggestions queue (R18, R19)', () => {
  it("a resident's suggestion is held by the centre and its card in the suggestions channel has an answer button (R18)", async () => {
    const u = telegramUser(8601, { firstName: '王阿姨' });
    const t = await suggest(u, '1010000000', '希望停暖前能提前一周通知');
    expect(t).toMatchObject({ kind: 'suggestion', branchId: null, status: 'received', communityId: expect.any(String) });
    const card = await queueCard(t.id);
    expect(textOf(card)).toContain(t.number);
    expect(textOf(card)).toContain('希望停暖前能提前一周通知');
    expect(findElement(card.blocks, SUGGESTION_ACTION.answer)?.text.text).toBe('答复');
    // no branch's dispatch card for it
    expect(await c.core.stores.outbox.cardOf(t.id, 'dispatch')).toBeNull();
  });

  it("HQ's answer from the modal reaches the resident in Telegram with the hotline, and the suggestion is finished (R19, R22)", async () => {
    const u = telegramUser(8602, { firstName: '刘先生' });
    const t = await suggest(u, '1010007920', '建议在小区门口贴上抢修电话');
    await answerByModal(U.hqLeader, t, '感谢您的建议！已安排各小区门口张贴抢修电话 <24小时>。');
    const said = c.chat(u).at(-1)!;
    expect(said).toContain(`您的建议 ${t.number} 已收到总部答复：\n感谢您的建议！已安排各小区门口张贴抢修电话 <24小时>。`);
    expect(said).toContain('客服热线 0471-96556');
    const after = await c.core.stores.views.ticketById(t.id);
    expect(after).toMatchObject({ status: 'closed', assigneeId: 'hq-leader' });
    const events = await c.core.stores.tickets.events(t.id, 'resolved');
    expect(events.at(-1)).toMatchObject({ actor: 'staff:hq-leader', note: '感谢您的建议！已安排各小区门口张贴抢修电话 <24小时>。' });
    // no satisfaction callback for a suggestion
    expect(await c.core.db.callback.count({ where: { ticketId: t.id } })).toBe(0);
    const card = await queueCard(t.id);
    expect(findElement(card.blocks, SUGGESTION_ACTION.answer)).toBeUndefined();
    expect(textOf(card)).toContain('杨勇 办结：感谢您的建议！');
    expect(textOf(card)).toContain('已关闭');
    expect(c.slack.ephemeralsFor(U.hqLeader).at(-1)?.text).toBe(`${t.number} 已答复并办结，答复已发给居民。`);
  });

  it('a branch may not answer a suggestion the centre holds; a second answer is refused as stale (R18, R19)', async () => {
    const u = telegramUser(8603);
    const t = await suggest(u, '1010015840', '希望增加缴费网点');
    const card = await queueCard(t.id);
    const button = findElement(card.blocks, SUGGESTION_ACTION.answer);
    await c.slackInteraction(slackButton(U.xinchengCoord, SUGGESTION_ACTION.answer, button.value, { channel: card.channel, ts: card.ts }));
    expect(c.slack.ephemeralsFor(U.xinchengCoord).at(-1)?.text).toBe('此操作仅限客户服务中心人员。');
    await answerByModal(U.agent, t, '已转热费处研究，明年增设两个网点。');
    const before = c.chat(u).length;
    await c.slackInteraction(slackButton(U.agent2, SUGGESTION_ACTION.answer, button.value, { channel: card.channel, ts: card.ts }));
    expect(c.slack.ephemeralsFor(U.agent2).at(-1)?.text).toContain('这张卡片已过时');
    await expect(answerSuggestion(c.core, { number: t.number, staff: c.core.org.staff.get('agent02'), text: '再答一次' })).rejects.toMatchObject({
      code: 'invalid_transition',
    });
    expect(c.chat(u).length).toBe(before);
  });

  it('a suggestion a branch took directly stays with it, and that branch answers it (R17)', async () => {
    const t = await createTicket(c.core, {
      kind: 'suggestion',
      category: 'other',
      source: 'branch_direct',
      description: '建议物业和分公司共用一个报修登记本',
      firstResponder: 'staff:xincheng-coord',
      branchId: 'xincheng',
    });
    expect(t.branchId).toBe('xincheng');
    await expect(answerSuggestion(c.core, { number: t.number, staff: c.core.org.staff.get('huimin-coord'), text: '好' })).rejects.toMatchObject({
      code: 'forbidden',
      context: { reason: 'other_branch' },
    });
    const r = await answerSuggestion(c.core, { number: t.number, staff: c.core.org.staff.get('xincheng-coord'), text: '已与物业商定，下周起共用。' });
    expect(r.ticket.status).toBe('closed');
  });

  it("a branch's answer on its own card reaches the resident as the answer to their suggestion (R17, R22)", async () => {
    const u = telegramUser(8604, { firstName: '孙女士' });
    const customer = await c.core.stores.customers.byAccount('1010000000');
    await c.resident(telegramContact(u, customer!.phone));
    const resident = await c.core.db.resident.findFirstOrThrow({ where: { telegramUserId: String(u.id) } });
    const t = await createTicket(c.core, {
      kind: 'suggestion',
      category: 'other',
      source: 'branch_direct',
      description: '建议冬季前检查楼道暖气',
      firstResponder: 'staff:xincheng-coord',
      branchId: 'xincheng',
      residentId: resident.id,
    });
    await transitionTicket(c.core, { number: t.number, action: 'accept', actor: 'staff:xincheng-coord' });
    await transitionTicket(c.core, { number: t.number, action: 'resolve', actor: 'staff:xincheng-coord', note: '已安排十月底前逐楼检查。' });
    await c.drain();
    const said = c.chat(u).at(-1)!;
    expect(said).toContain(`您的建议 ${t.number} 已收到新城供热分公司的答复：\n已安排十月底前逐楼检查。`);
    expect(said).toContain('客服热线 0471-96556');
    expect((await c.core.stores.views.ticketById(t.id))?.status).toBe('closed');
  });

  it('bad input is refused with a code and stores nothing: not a suggestion, empty words (R19)', async () => {
    const t = await createTicket(c.core, {
      kind: 'complaint',
      category: 'no_heat',
      source: 'hotline',
      description: '暖气不热',
      firstResponder: 'staff:agent01',
    });
    const agent = c.core.org.staff.get('agent01');
    await expect(answerSuggestion(c.core, { number: t.number, staff: agent, text: '好' })).rejects.toMatchObject({ code: 'not_a_suggestion' });
    const s = await createTicket(c.core, {
      kind: 'suggestion',
      category: 'other',
      source: 'suggestion_box',
      description: '意见箱：希望多开放热线',
      firstResponder: 'suggestion_box',
    });
    await expect(answerSuggestion(c.core, { number: s.number, staff: agent, text: '   ' })).rejects.toMatchObject({ code: 'validation_failed' });
    expect((await c.core.stores.views.ticketById(s.id))?.status).toBe('received');
    // nobody behind a suggestion-box entry: the answer is kept on record, nothing is owed to Telegram
    await c.drain();
    const card = await queueCard(s.id);
    expect(textOf(card)).toContain('答复只记录在案');
    await answerSuggestion(c.core, { number: s.number, staff: agent, text: '已增加夜间值班坐席。' });
    expect((await c.core.stores.views.ticketById(s.id))?.status).toBe('closed');
    expect(await c.core.db.outboxMessage.count({ where: { kind: 'suggestion_answer', payload: { contains: `"ticketId":${s.id},` } } })).toBe(0);
  });
});
