import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { OUTBOX_EVENT } from '../../../src/bots/slack/deliverer.js';
import { slackManifest } from '../../../src/bots/slack/manifest.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { cardOf, clickOn, makeSlackHarness, textOf, U, type SlackHarness } from '../../helpers/slack.js';

/**
 * A post whose outcome the outbox cannot know (Slack took it, the answer never came back; or the
 * instance stopped before writing "sent") is not posted a second time: the retry finds it by its
 * metadata in the channel's history (the card's thread for a thread line) and adopts it.
 */
let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness({ slackTsFromClock: true });
});
afterAll(() => h?.close());

const DISPATCH = 'C1XINCHED'; // 新城's dispatch channel
const cardsOf = (number: string) => h.fake.channelMessages(DISPATCH).filter((m) => textOf(m).includes(number));
const rowsOf = (ticketId: number) =>
  h.core.db.outboxMessage.findMany({ where: { kind: 'ticket_card', payload: { contains: `"ticketId":${ticketId}` } }, orderBy: { id: 'asc' } });

describe('a Slack post whose outcome is unknown', () => {
  it('a card whose answer was lost is not posted twice: the retry finds it in the channel and keeps it as the card', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    h.fake.failNext('chat.postMessage', { lose: true });
    await h.drain(); // Slack posts the card; the answer is lost with the connection
    expect(cardsOf(t.number)).toHaveLength(1);
    const [row] = await rowsOf(t.id);
    expect(row.state).toBe('pending');
    expect(row.lastError).toMatch(/^outcome unknown: /);

    h.core.clock.advance(10 * MINUTE);
    await h.drain();
    const cards = cardsOf(t.number);
    expect(cards).toHaveLength(1);
    expect((await cardOf(h, t.id)).ts).toBe(cards[0].ts);
    const [sent] = await rowsOf(t.id);
    expect(sent.state).toBe('sent');
    expect(sent.lastError).toBeNull();
    // it looked with the metadata it posts with
    const looked = h.fake.callsTo('conversations.history').at(-1);
    expect(looked).toMatchObject({ channel: DISPATCH, include_all_metadata: 'true' }); // form-encoded, as the client sends it
    expect(cards[0].metadata).toEqual({ event_type: OUTBOX_EVENT, event_payload: { outbox_id: row.id, part: 'card' } });
  });

  it('a step’s thread line whose answer was lost comes once; the card is updated as usual', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    await h.drain();
    const card = await cardOf(h, t.id);
    h.core.clock.advance(3 * MINUTE);
    await clickOn(h, U.xinchengCoord, card, 'ticket.accept');
    h.fake.failNext('chat.postMessage', { lose: true });
    await h.drain();
    h.core.clock.advance(10 * MINUTE);
    await h.drain();
    expect(h.fake.thread(DISPATCH, card.ts).map((m) => m.text)).toEqual([expect.stringContaining('接单')]);
    expect(textOf(await cardOf(h, t.id))).toContain('已接单');
    expect((await rowsOf(t.id)).map((r) => r.state)).toEqual(['sent', 'sent']);
  });

  it('an instance stopped between Slack’s answer and writing "sent": the next instance finds the card instead of posting another', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    const now = h.core.clock.now();
    // the stopped instance: it claimed the row, Slack took the card, and nothing more was written
    const [claimed] = await h.core.stores.outbox.claim({
      platforms: ['slack'],
      owner: 'w-stopped',
      now,
      leaseUntil: new Date(now.getTime() + MINUTE),
      take: 1,
    });
    await h.slack.deliverer.deliver(claimed);
    await h.core.db.slackCard.deleteMany({ where: { ticketId: t.id } }); // it stopped before keeping the card, too
    expect(cardsOf(t.number)).toHaveLength(1);

    h.core.clock.advance(2 * MINUTE); // the lease ran out
    await h.drain();
    const cards = cardsOf(t.number);
    expect(cards).toHaveLength(1);
    expect((await cardOf(h, t.id)).ts).toBe(cards[0].ts);
    expect((await rowsOf(t.id))[0].state).toBe('sent');
  });

  it('a post Slack refused (ok: false) is posted again without looking: nothing of it can be there', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    h.fake.failNext('chat.postMessage', { error: 'fatal_error' });
    const looksBefore = h.fake.callsTo('conversations.history').length;
    await h.drain();
    h.core.clock.advance(10 * MINUTE);
    await h.drain();
    expect(cardsOf(t.number)).toHaveLength(1);
    expect(h.fake.callsTo('conversations.history')).toHaveLength(looksBefore);
  });

  it('where Slack will not show the channel (not_in_channel), the card is posted again rather than given up', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    h.fake.failNext('chat.postMessage', { lose: true });
    await h.drain();
    h.fake.failNext('conversations.history', { error: 'not_in_channel' });
    h.core.clock.advance(10 * MINUTE);
    await h.drain();
    expect((await rowsOf(t.id))[0].state).toBe('sent');
    expect(cardsOf(t.number)).toHaveLength(2); // the price of not being able to look
  });

  it('the app manifest asks for the scopes that reading the channels back needs', () => {
    const m = slackManifest({ publicUrl: 'https://heating.example.com' }) as { oauth_config: { scopes: { bot: string[] } } };
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['channels:history', 'groups:history']));
  });
});
