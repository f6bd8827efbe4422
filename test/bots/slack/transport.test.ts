import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { cardOf, clickOn, makeSlackHarness, SIGNING_SECRET, signed, slackButton, slackEvent, slackSlash, U, type SlackHarness } from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness({ seed: false });
});
afterAll(() => h?.close());

const mention = (ts: string) =>
  slackEvent({ type: 'app_mention', user: U.agent, text: '<@UFAKEBOT> help', channel: 'C0CENTRE01', ts }, { eventId: `Ev-${ts}` });

describe('POST /slack/events', () => {
  it('answers Slack’s URL verification', async () => {
    const res = await h.send('event', { type: 'url_verification', challenge: 'abc123', token: 'x' });
    expect(res.json()).toEqual({ challenge: 'abc123' });
  });

  it('refuses a bad signature with 401 and does nothing', async () => {
    const before = h.fake.calls.length;
    const res = await h.send('command', slackSlash(U.xinchengCoord, '/duty', '伪造的日志'), { secret: 'not-the-secret' });
    expect(res.statusCode).toBe(401);
    expect(h.fake.calls.length).toBe(before);
    expect(await h.core.db.dutyLogEntry.count()).toBe(0);
  });

  it('refuses a request signed more than five minutes ago with 401', async () => {
    const res = await h.send('command', slackSlash(U.xinchengCoord, '/duty', '重放的日志'), { ts: h.now() - 5 * 60 - 1 });
    expect(res.statusCode).toBe(401);
    const fresh = await h.send('command', slackSlash(U.xinchengCoord, '/duty', '按时的日志'), { ts: h.now() - 4 * 60 });
    expect(fresh.statusCode).toBe(200);
    expect((await h.core.db.dutyLogEntry.findMany()).map((e) => e.text)).toEqual(['按时的日志']);
  });

  it('checks the signature over the exact bytes received', async () => {
    const body = new URLSearchParams(slackSlash(U.xinchengCoord, '/duty', '原文')).toString();
    const res = await h.app.inject({
      method: 'POST',
      url: '/slack/events',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...signed(body, SIGNING_SECRET, h.now()) },
      payload: body.replace('%E5%8E%9F', '%E6%94%B9'),
    });
    expect(res.statusCode).toBe(401);
  });

  it('handles an event once when Slack retries it (X-Slack-Retry-Num)', async () => {
    const event = mention('1764309600.100001');
    await h.send('event', event);
    const retry = await h.send('event', event, { headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } });
    expect(retry.statusCode).toBe(200);
    const replies = h.fake.callsTo('chat.postMessage').filter((p) => p.thread_ts === '1764309600.100001');
    expect(replies).toHaveLength(1);
    expect(replies[0].text).toContain('/ticket');
  });

  it('answers Slack before its slow work is done (the 3-second ack)', async () => {
    const t = await createTicket(h.core, hotlineComplaint({ customerAccount: undefined, communityId: 'c001', contactPhone: '13900001111' }));
    await h.drain();
    const card = await cardOf(h, t.id);
    const phone = card.blocks!.flatMap((b: any) => b.elements ?? []).find((e: any) => e.action_id === 'ticket.phone');
    const slow = h.fake.hold('chat.postEphemeral'); // Slack's Web API hangs
    const res = await h.send('interaction', slackButton(U.xinchengField, 'ticket.phone', phone.value, { channel: card.channel, ts: card.ts }), { wait: false });
    expect(res.statusCode).toBe(200);
    expect(h.fake.callsTo('chat.postEphemeral')).toHaveLength(0); // the answer to the person is still on its way
    slow.release();
    await h.slack.idle();
    expect(h.fake.callsTo('chat.postEphemeral').at(-1)).toMatchObject({ user: U.xinchengField, text: expect.stringContaining('13900001111') });
  });

  it('keeps a step when Slack is down, and brings the card up to date when it is back', async () => {
    const t = await createTicket(h.core, hotlineComplaint({ customerAccount: undefined, communityId: 'c001' }));
    await h.drain();
    const card = await cardOf(h, t.id);
    h.core.clock.advance(MINUTE);
    h.fake.faults = { error500Rate: 1, methods: ['chat.update', 'chat.postMessage'] };
    const res = await clickOn(h, U.xinchengCoord, card, 'ticket.accept');
    expect(res.statusCode).toBe(200);
    await h.drain();
    expect((await h.core.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe('accepted');
    expect(await h.core.db.outboxMessage.count({ where: { key: { startsWith: `card:${t.id}:` }, state: 'pending', lastError: 'slack HTTP 500' } })).toBe(1);
    h.fake.faults = {};
    h.core.clock.advance(5 * MINUTE);
    await h.drain();
    expect(h.fake.thread(card.channel, card.ts).at(-1)?.text).toContain('周静 接单');
  });
});
