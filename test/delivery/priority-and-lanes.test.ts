/**
 * The outbox under the platforms' limits, tested with the fakes (rate limits on): the fake
 * Telegram Bot API refuses more than 30 messages a second in all or one a second per chat, the
 * fake Slack Web API more than one chat.postMessage a second per channel (bursts of 3), both
 * with 429 + retry_after like the real ones. The worker paces each chat and channel on its own
 * and the bot's whole rate, and sends by priority: urgent alerts, then residents, then cards and
 * staff messages, then notices (core/outbox/priority.ts).
 *
 * The deliverers here post the row's key as the message text through the real clients and
 * turn refusals into DeliveryErrors with the real deliverers' mapping, so what arrives at the
 * fakes shows the order and the timing the worker chose.
 */
import { WebClient } from '@slack/web-api';
import { Api } from 'grammy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxItem, OutboxKind } from '../../src/core/outbox/enqueue.js';
import { toDeliveryError as slackError } from '../../src/bots/slack/slack-errors.js';
import { toDeliveryError as telegramError } from '../../src/bots/telegram/deliverer.js';
import { OutboxWorker, type OutboxWorkerOptions } from '../../src/delivery/outbox-worker.js';
import { RateGate } from '../../src/delivery/pacing.js';
import { paceSends } from '../../src/bots/telegram/pace.js';
import type { Deliverer } from '../../src/delivery/types.js';
import { FakeSlackApi } from '../../tools/dev/fake-slack-api.js';
import { FakeTelegramApi } from '../../tools/dev/fake-telegram-api.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';

let core: TestCore;
let slack: FakeSlackApi;
let tg: FakeTelegramApi;
let slackDeliverer: Deliverer;
let telegramDeliverer: Deliverer;

beforeAll(async () => {
  core = await makeTestCore();
  slack = await FakeSlackApi.start({ rateLimits: true });
  tg = await FakeTelegramApi.start({ rateLimits: true });
  const client = new WebClient('xoxb-test', { slackApiUrl: slack.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  slackDeliverer = {
    async deliver(row) {
      try {
        const r = await client.chat.postMessage({ channel: row.target, text: row.key });
        return { result: { ts: r.ts } };
      } catch (e) {
        throw slackError(e);
      }
    },
  };
  const api = new Api('123:test', { apiRoot: tg.apiRoot });
  telegramDeliverer = {
    async deliver(row) {
      try {
        const m = await api.sendMessage(row.target, row.key);
        return { result: { messageId: m.message_id } };
      } catch (e) {
        throw telegramError(e);
      }
    },
  };
});
afterAll(async () => {
  await slack?.close();
  await tg?.close();
  await core?.close();
});

/** The worker as main.ts builds it: one a second per chat and channel, Telegram at 25 a second in all. */
const worker = (o: Partial<OutboxWorkerOptions> = {}) =>
  new OutboxWorker({
    outbox: core.stores.outbox,
    clock: core.clock,
    deliverers: { slack: slackDeliverer, telegram: telegramDeliverer },
    perTargetGapMs: 1000,
    perSecond: { telegram: 25 },
    ...o,
  });

const item = (key: string, platform: 'slack' | 'telegram', target: string, kind: OutboxKind): OutboxItem => ({ key, platform, target, kind, payload: {} });
const owe = (items: OutboxItem[]) => core.stores.outbox.owe(items, core.clock.now());
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** What staff see in a channel, oldest first (the text is the row's key). */
const posted = (channel: string) => slack.channelMessages(channel).map((m) => m.text);
/** Telegram messages that arrived, in order, as chat:text. */
const telegramSent = () =>
  tg
    .callsOf('sendMessage')
    .filter((c) => c.status === 200)
    .map((c) => `${c.params.chat_id}:${c.params.text}`);
/** Each claim the worker made, in the order it began: the keys it took and whether the test had owed update:2 by then. */
let claims: { startedAfterOwe: boolean; keys: string[] }[] = [];
let owedAt = Number.POSITIVE_INFINITY;
/** The real outbox store, with each claim's rows written down (which rows the worker held, and when). */
function recordingClaims(): typeof core.stores.outbox {
  claims = [];
  owedAt = Number.POSITIVE_INFINITY;
  const store = core.stores.outbox;
  return Object.assign(Object.create(store), {
    claim: async (o: Parameters<typeof store.claim>[0]) => {
      const claim = { startedAfterOwe: claims.length >= owedAt, keys: [] as string[] };
      claims.push(claim);
      const rows = await store.claim(o);
      claim.keys = rows.map((row) => row.key);
      return rows;
    },
  });
}
/** Each test starts with nothing owed. */
const clearDue = async () => {
  await core.db.outboxMessage.updateMany({ where: { state: 'pending' }, data: { state: 'sent', leaseOwner: null, leaseUntil: null } });
  slack.rateLimited = 0;
  tg.rateLimited = 0;
};

/** Polls until `done` holds (what a person would see arriving), failing after `ms`. */
async function until(done: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error('until: not in time');
    await new Promise((r) => setTimeout(r, 15));
  }
}

describe('the outbox under the platforms’ limits', () => {
  it('posts an urgent alert owed behind 300 cards first, and one owed while the cards flow before all but the card in hand (R8j)', async () => {
    await clearDue();
    await owe(range(300).map((i) => item(`card:${i}`, 'slack', 'C-DISPATCH', 'ticket_card')));
    await owe([item('other:0', 'slack', 'C-OTHER', 'ticket_card')]);
    await owe([item('alert:1', 'slack', 'C-DISPATCH', 'urgent_alert')]);
    const w = worker();
    w.start();
    await until(() => posted('C-DISPATCH').length >= 3);
    expect(posted('C-DISPATCH').slice(0, 3)).toEqual(['alert:1', 'card:0', 'card:1']);
    // the other channel is not held behind the busy one
    expect(posted('C-OTHER')).toEqual(['other:0']);

    const before = posted('C-DISPATCH').length;
    const owedAt = Date.now();
    await owe([item('alert:2', 'slack', 'C-DISPATCH', 'urgent_alert')]);
    void w.kick();
    await until(() => posted('C-DISPATCH').includes('alert:2'));
    const tookMs = Date.now() - owedAt;
    await w.stop();
    // one card may already be in its lane, waiting out the channel's second
    expect(posted('C-DISPATCH').indexOf('alert:2') - before).toBeLessThanOrEqual(1);
    expect(tookMs).toBeLessThan(2500);
    expect(slack.rateLimited).toBe(0);
    // what was not sent stays owed, with no lease: another instance may take it at once
    const rest = await core.db.outboxMessage.findMany({ where: { key: { startsWith: 'card:' }, state: 'pending' } });
    expect(rest.length).toBe(300 - (posted('C-DISPATCH').length - 2));
    expect(rest.every((r) => r.leaseOwner === null && r.attempts === 0)).toBe(true);
  });

  it('keeps posting to a channel while another channel’s calls fail, though 60 of the failing one’s messages were owed first', async () => {
    await clearDue();
    slack.failChannel('C-BROKEN');
    await owe(range(60).map((i) => item(`broken:${i}`, 'slack', 'C-BROKEN', 'ticket_card')));
    await owe(range(3).map((i) => item(`fine:${i}`, 'slack', 'C-FINE', 'ticket_card')));
    const w = worker();
    w.start();
    await until(() => posted('C-FINE').length === 3);
    await w.stop();
    slack.restoreChannel('C-BROKEN');
    expect(posted('C-FINE')).toEqual(['fine:0', 'fine:1', 'fine:2']);
    // the broken channel's first card waits for its retry; the rest wait behind it, untried
    const broken = await core.db.outboxMessage.findMany({ where: { key: { startsWith: 'broken:' } }, orderBy: { id: 'asc' } });
    expect(broken[0]).toMatchObject({ state: 'pending', attempts: 1, lastError: 'slack HTTP 500', leaseOwner: null });
    expect(broken.slice(1).every((r) => r.state === 'pending' && r.attempts === 0 && r.leaseOwner === null)).toBe(true);
    expect(posted('C-BROKEN')).toEqual([]);
  });

  it('slows only the channel that answered 429, for its Retry-After', async () => {
    await clearDue();
    slack.failNext('chat.postMessage', { status: 429, retryAfterSec: 30 });
    await owe([item('slow:0', 'slack', 'C-SLOW', 'ticket_card'), item('slow:alert', 'slack', 'C-SLOW', 'urgent_alert')]);
    const w = worker();
    await w.drain(2);
    // the alert went first and met the 429: nothing more is posted to that channel for 30 s
    await owe([item('quick:0', 'slack', 'C-QUICK', 'ticket_card')]);
    await w.drain(3);
    expect(posted('C-QUICK')).toEqual(['quick:0']);
    expect(posted('C-SLOW')).toEqual([]);
    core.clock.advance(30_000);
    await w.drain(5);
    expect(posted('C-SLOW')).toEqual(['slow:alert', 'slow:0']);
    expect(slack.rateLimited).toBe(0);
  });

  it('sends a resident’s update owed behind 500 notices first, and one owed while the notices flow within a few turns', async () => {
    await clearDue();
    tg.clearCalls();
    await owe(range(500).map((i) => item(`notice:${i}`, 'telegram', String(910_000 + i), 'incident_notice')));
    await owe([item('update:1', 'telegram', '920001', 'resident_update')]);
    const w = worker({ outbox: recordingClaims() });
    w.start();
    await until(() => telegramSent().length >= 30);
    // the first turns of the bot's rate go out together (a burst of 5): the update is among them
    expect(telegramSent().indexOf('920001:update:1')).toBeLessThan(5);

    const before = telegramSent().length;
    // a claim that begins while the update is being written may or may not see it; one that begins after must
    const owingFrom = claims.length;
    await owe([item('update:2', 'telegram', '920002', 'resident_update')]);
    owedAt = claims.length;
    void w.kick();
    await until(() => telegramSent().includes('920002:update:2'));
    await w.stop();
    // it is taken no later than the first claim that began after it was owed, first of that claim's rows
    const claimOf = (key: string) => claims.findIndex((c) => c.keys.includes(key));
    const firstAfter = claims.findIndex((c) => c.startedAfterOwe && c.keys.length > 0);
    expect(claimOf('update:2')).toBeGreaterThanOrEqual(owingFrom);
    expect(claimOf('update:2')).toBeLessThanOrEqual(firstAfter === -1 ? owedAt - 1 : firstAfter);
    expect(claims[claimOf('update:2')].keys[0]).toBe('update:2');
    // only notices claimed before it or with it (already given their turn: at most one claim's batch)
    // may go before it, however slow the database is at that moment; none claimed after it overtakes it
    const overtook = telegramSent()
      .slice(before, telegramSent().indexOf('920002:update:2'))
      .map((sent) => sent.split(':').slice(1).join(':'));
    expect(overtook.length).toBeLessThanOrEqual(50);
    for (const key of overtook) expect(claimOf(key)).toBeLessThanOrEqual(claimOf('update:2'));
    expect(tg.rateLimited).toBe(0);
  });

  it('never goes beyond Telegram’s limits: 120 chats and 4 messages to one chat, each in order, none refused', async () => {
    await clearDue();
    tg.clearCalls();
    await owe(range(120).map((i) => item(`many:${i}`, 'telegram', String(930_000 + i), 'incident_notice')));
    await owe(range(4).map((i) => item(`one:${i}`, 'telegram', '940000', 'resident_update')));
    const w = worker();
    w.start();
    await until(() => telegramSent().length === 124, 15_000);
    await w.stop();
    expect(tg.rateLimited).toBe(0);
    expect(tg.botMessages(940000).map((m) => m.text)).toEqual(['one:0', 'one:1', 'one:2', 'one:3']);
    // no second of the run held more than Telegram's 30 (the worker keeps to 25)
    const at = tg.callsOf('sendMessage').map((c) => c.at);
    const busiest = Math.max(...at.map((t) => at.filter((u) => u >= t && u < t + 1000).length));
    expect(busiest).toBeLessThanOrEqual(30);
    // one chat's messages a second apart
    const one = tg.callsOf('sendMessage').filter((c) => String(c.params.chat_id) === '940000');
    for (let i = 1; i < one.length; i++) expect(one[i].at - one[i - 1].at).toBeGreaterThanOrEqual(950);
  });

  it('keeps the bot’s own replies and the outbox under Telegram’s one limit together, the replies first', async () => {
    await clearDue();
    tg.clearCalls();
    // one gate for the process, as main.ts builds it: the bot's replies take their turns in it too
    const gate = new RateGate(28);
    const bot = new Api('123:test', { apiRoot: tg.apiRoot });
    bot.config.use(paceSends(gate));
    await owe(range(150).map((i) => item(`shared:${i}`, 'telegram', String(970_000 + i), 'incident_notice')));
    const w = worker({ perSecond: undefined, gates: { telegram: gate } });
    w.start();
    await until(() => telegramSent().length >= 30);
    // 40 residents write at once while the notices flow: each is answered in its own chat
    const asked = Date.now();
    const replies = await Promise.all(
      range(40).map(async (i) => {
        await bot.sendMessage(980_000 + i, `reply:${i}`);
        return Date.now() - asked;
      }),
    );
    await until(() => telegramSent().filter((m) => m.includes(':shared:')).length === 150, 20_000);
    await w.stop();
    expect(tg.rateLimited).toBe(0);
    // 40 replies at 28 a second, none waiting behind the 100-odd notices still owed
    expect(Math.max(...replies)).toBeLessThan(2_500);
    const at = tg.callsOf('sendMessage').map((c) => c.at);
    expect(Math.max(...at.map((t) => at.filter((u) => u >= t && u < t + 1000).length))).toBeLessThanOrEqual(30);
  });

  it('pauses all of Telegram for retry_after when the bot’s own limit answers, not only the chat', async () => {
    await clearDue();
    tg.failNext('sendMessage', { status: 429, retryAfterSec: 5 });
    await owe([item('first:0', 'telegram', '950000', 'resident_update')]);
    const w = worker();
    await w.drain(2);
    await owe([item('second:0', 'telegram', '950001', 'resident_update')]);
    await w.drain(2);
    expect(tg.botMessages(950001)).toEqual([]);
    core.clock.advance(10_000);
    await w.drain(5);
    expect(tg.botMessages(950000).map((m) => m.text)).toEqual(['first:0']);
    expect(tg.botMessages(950001).map((m) => m.text)).toEqual(['second:0']);
  });

  it('keeps order per target within a priority, lets a higher priority overtake, and holds a failed card’s followers for its retry', async () => {
    await clearDue();
    // unpaced, so the channel's limit allows the burst this test makes
    const quick = worker({ perTargetGapMs: 0 });
    slack.rateLimits({ perChannelBurst: 20 });
    await owe([item('o:card-a', 'slack', 'C-ORDER', 'ticket_card'), item('o:card-b', 'slack', 'C-ORDER', 'staff_alert')]);
    await owe([item('o:report', 'slack', 'C-ORDER', 'report'), item('o:alert', 'slack', 'C-ORDER', 'major_alert')]);
    await quick.drain();
    expect(posted('C-ORDER')).toEqual(['o:alert', 'o:card-a', 'o:card-b', 'o:report']);

    slack.failNext('chat.postMessage', { status: 500 });
    await owe([item('o:card-c', 'slack', 'C-ORDER', 'ticket_card'), item('o:card-d', 'slack', 'C-ORDER', 'ticket_card')]);
    await owe([item('o:alert-2', 'slack', 'C-ORDER', 'urgent_alert')]);
    await quick.drain(3);
    // the alert (first by priority) met the 500; the cards of another priority went on
    expect(posted('C-ORDER').slice(4)).toEqual(['o:card-c', 'o:card-d']);
    await owe([item('o:card-e', 'slack', 'C-ORDER', 'ticket_card'), item('o:card-f', 'slack', 'C-ORDER', 'ticket_card')]);
    slack.failNext('chat.postMessage', { status: 500 });
    await quick.drain(3);
    // card-e met the 500: card-f, of its priority, waits behind it
    expect(posted('C-ORDER').slice(6)).toEqual([]);
    core.clock.advance(10 * 60_000);
    await quick.drain(3);
    expect(posted('C-ORDER').slice(6)).toEqual(['o:alert-2', 'o:card-e', 'o:card-f']);
    expect(slack.rateLimited).toBe(0);
    slack.rateLimits({});
  });

  it('never lets two workers send the same message', async () => {
    await clearDue();
    await owe(range(80).map((i) => item(`twice:${i}`, 'slack', `C-TWO-${i % 40}`, 'ticket_card')));
    const [a, b] = [worker({ owner: 'wa' }), worker({ owner: 'wb' })];
    a.start();
    b.start();
    await until(async () => (await core.db.outboxMessage.count({ where: { key: { startsWith: 'twice:' }, state: 'sent' } })) === 80);
    await Promise.all([a.stop(), b.stop()]);
    const keys = range(40).flatMap((c) => posted(`C-TWO-${c}`));
    expect(keys.length).toBe(80);
    expect(new Set(keys).size).toBe(80);
    // each channel still in order
    for (const c of range(40)) expect(posted(`C-TWO-${c}`)).toEqual([`twice:${c}`, `twice:${c + 40}`]);
    expect(slack.rateLimited).toBe(0);
  });
});
