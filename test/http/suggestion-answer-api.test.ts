/**
 * POST /api/tickets/{number}/answer (R17-R19): an API client answers a suggestion for a staff
 * member, checked as in Slack (the centre answers what it holds; a branch only what it took
 * itself); the suggestion is finished and the resident reads the answer in Telegram. Bad input is
 * refused with a code and nothing is stored.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicket } from '../../src/core/tickets/create-ticket.js';
import type { Ticket } from '../../src/core/model.js';
import { auth, makeTestApp, TEST_TOKEN } from '../helpers/app.js';
import { startConversation, type Conversation } from '../helpers/conversation.js';
import { telegramContact, telegramUser, type TgUser } from '../helpers/telegram.js';

let c: Conversation;

async function suggest(user: TgUser, account: string, words: string): Promise<Ticket> {
  const customer = await c.core.stores.customers.byAccount(account);
  await c.resident(telegramContact(user, customer!.phone));
  await c.say(user, `/suggest ${words}`);
  return c.ticketOf(user);
}

const answer = (number: string, body: unknown) => c.app.inject({ method: 'POST', url: `/api/tickets/${number}/answer`, headers: auth, payload: body as any });

beforeAll(async () => {
  c = await startConversation();
});
afterAll(() => c?.close());

describe('POST /api/tickets/{number}/answer (R17-R19)', () => {
  it("answers a resident's suggestion for an HQ agent: finished, the resident reads the answer, the timeline names the client and the agent (R19)", async () => {
    const u = telegramUser(8401);
    const t = await suggest(u, '1010000000', '希望在小区门口张贴抢修电话');
    const res = await answer(t.number, { actor: 'agent01', answer: '感谢您的建议！下周起各小区门口张贴抢修电话。' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ number: t.number, kind: 'suggestion', status: 'closed' });
    await c.drain();
    expect(c.chat(u).at(-1)).toContain('感谢您的建议！下周起各小区门口张贴抢修电话。');
    expect(c.chat(u).at(-1)).toContain(t.number);
    const ev = await c.core.db.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id, type: 'resolved' } });
    expect(ev.actor).toBe('api:operator');
    expect(JSON.parse(ev.data!)).toMatchObject({ result: '感谢您的建议！下周起各小区门口张贴抢修电话。', answer: 'hq', onBehalfOf: 'staff:agent01' });
  });

  it('refuses a branch coordinator for a suggestion the centre holds with 403 forbidden, and stores nothing (R18)', async () => {
    const u = telegramUser(8402);
    const t = await suggest(u, '1010000000', '希望延长营业厅开放时间');
    const before = c.chat(u).length;
    const res = await answer(t.number, { actor: 'xincheng-coord', answer: '好的' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'forbidden' });
    expect((await c.core.stores.views.ticketById(t.id))?.status).toBe('received');
    await c.drain();
    expect(c.chat(u)).toHaveLength(before);
  });

  it('refuses bad input with a code and stores nothing: not a suggestion, unknown staff, no words, a second answer (R19)', async () => {
    const complaint = await createTicket(c.core, {
      kind: 'complaint',
      category: 'no_heat',
      source: 'hotline',
      description: '暖气不热',
      firstResponder: 'staff:agent01',
    });
    let res = await answer(complaint.number, { actor: 'agent01', answer: '好' });
    expect([res.statusCode, res.json().code]).toEqual([422, 'not_a_suggestion']);
    const s = await createTicket(c.core, {
      kind: 'suggestion',
      category: 'other',
      source: 'suggestion_box',
      description: '意见箱：希望多开放热线',
      firstResponder: 'suggestion_box',
    });
    res = await answer(s.number, { actor: 'nobody', answer: '好' });
    expect([res.statusCode, res.json().code]).toEqual([422, 'unknown_staff']);
    res = await answer(s.number, { actor: 'agent01', answer: '' });
    expect([res.statusCode, res.json().code]).toEqual([400, 'validation_failed']);
    res = await answer(s.number, { actor: 'agent01', answer: '   ' });
    expect([res.statusCode, res.json().code]).toEqual([400, 'validation_failed']);
    expect((await c.core.stores.views.ticketById(s.id))?.status).toBe('received');
    expect((await answer(s.number, { actor: 'hq-leader', answer: '已增加夜间值班坐席。' })).statusCode).toBe(200);
    res = await answer(s.number, { actor: 'agent01', answer: '再答一次' });
    expect([res.statusCode, res.json().code]).toEqual([409, 'invalid_transition']);
    expect(await c.core.db.ticketEvent.count({ where: { ticketId: s.id, type: 'resolved' } })).toBe(1);
    expect((await c.app.inject({ method: 'POST', url: `/api/tickets/${s.number}/answer`, payload: { actor: 'agent01', answer: 'x' } })).statusCode).toBe(401);
  });

  it('is in the OpenAPI document with its body (R19)', async () => {
    const doc = (await c.app.inject({ method: 'GET', url: '/docs/json', headers: auth })).json();
    const op = doc.paths['/api/tickets/{number}/answer'].post;
    expect(op.requestBody.content['application/json'].schema.required).toEqual(['actor', 'answer']);
  });

  it('needs the write scope: a read-only client is refused with 403 insufficient_scope and nothing is stored (R19)', async () => {
    const BI = 'bi-token-0123456789-abcdefghijklmnopq';
    const sha = (x: string) => createHash('sha256').update(x).digest('hex');
    const { app } = await makeTestApp(
      {
        apiClients: [
          { id: 'operator', name: 'operator', scopes: ['read', 'write'], sha256: sha(TEST_TOKEN) },
          { id: 'bi', name: 'BI', scopes: ['read'], sha256: sha(BI) },
        ],
      },
      c.core,
    );
    try {
      const s = await createTicket(c.core, {
        kind: 'suggestion',
        category: 'other',
        source: 'suggestion_box',
        description: '意见箱：希望公布维修进度',
        firstResponder: 'suggestion_box',
      });
      const res = await app.inject({
        method: 'POST',
        url: `/api/tickets/${s.number}/answer`,
        headers: { authorization: `Bearer ${BI}` },
        payload: { actor: 'agent01', answer: '好' },
      });
      expect([res.statusCode, res.json().code]).toEqual([403, 'insufficient_scope']);
      expect((await c.core.stores.views.ticketById(s.id))?.status).toBe('received');
    } finally {
      await app.close();
    }
  });
});
