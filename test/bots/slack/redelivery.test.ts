/**
 * A Slack request's receipt is stored when its work is done: an event whose listener failed is
 * handled when Slack retries it, and a retry that arrives while the first is still running (or
 * after it succeeded) is not handled twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastModal, makeSlackHarness, slackEvent, slackViewSubmission, U, type SlackHarness } from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness({ seed: false });
});
afterAll(() => h?.close());

const mention = (ts: string) =>
  slackEvent({ type: 'app_mention', user: U.agent, text: '<@UFAKEBOT> help', channel: 'C0CENTRE01', ts }, { eventId: `Ev-${ts}` });
const RETRY = { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' };
const repliesIn = (ts: string) => h.fake.callsTo('chat.postMessage').filter((p) => p.thread_ts === ts && !('error' in p));

describe('a Slack event', () => {
  it('whose listener failed is handled when Slack retries it, and once only', async () => {
    const ts = '1764309700.200001';
    h.fake.failNext('chat.postMessage', { error: 'fatal_error' });
    await h.send('event', mention(ts));
    const before = h.fake.callsTo('chat.postMessage').length;
    await h.send('event', mention(ts), { headers: RETRY });
    expect(h.fake.callsTo('chat.postMessage').length).toBe(before + 1);
    await h.send('event', mention(ts), { headers: { ...RETRY, 'x-slack-retry-num': '2' } });
    expect(h.fake.callsTo('chat.postMessage').length).toBe(before + 1);
    expect(await h.core.db.inboundReceipt.count({ where: { key: 'slack:Ev-1764309700.200001' } })).toBe(1);
  });

  it('retried while the first is still being handled is answered once', async () => {
    const ts = '1764309700.200002';
    const slow = h.fake.hold('chat.postMessage');
    const first = h.send('event', mention(ts), { wait: false });
    const retry = h.send('event', mention(ts), { headers: RETRY, wait: false });
    expect((await first).statusCode).toBe(200);
    expect((await retry).statusCode).toBe(200);
    slow.release();
    await h.slack.idle();
    expect(repliesIn(ts)).toHaveLength(1);
  });
});

describe('a modal submitted twice at once', () => {
  it('files one ticket: the second copy waits for the first and is then a replay', async () => {
    await h.slash(U.agent, '/intake', '', 'C0CENTRE01');
    const { meta } = lastModal(h);
    const fields = { kind: { option: 'suggestion' }, category: { option: 'other' }, source: { option: 'visit' }, description: '建议延长供暖期两周' };
    const submission = slackViewSubmission(U.agent, 'ticket.intake', fields, meta, { viewId: 'VATONCE' });
    const before = await h.core.db.ticket.count();
    await Promise.all([h.submit(submission), h.submit(submission)]);
    await h.slack.idle();
    expect(await h.core.db.ticket.count()).toBe(before + 1);
    expect(await h.core.db.inboundReceipt.count({ where: { key: 'slack:view:VATONCE' } })).toBe(1);
  });
});
