/**
 * Bad input on POST /slack/events (issue 8): forged or stale signatures are refused with 401 and
 * change nothing; signed requests of any shape (unknown event types, clicks on buttons that do
 * not exist, modals with odd values, commands with odd text) are answered without a 500 and
 * without a listener failing; a replayed click changes nothing. Bounded: ~100 requests each.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicket } from '../../src/core/tickets/create-ticket.js';
import { hotlineComplaint } from '../helpers/builders.js';
import { signed, U } from '../helpers/slack.js';
import { changed, counts, SIGNING_SECRET, slackNow, slackPost, startFuzzApp, type FuzzApp } from './harness.js';

let f: FuzzApp;
const numbers: string[] = [];
beforeAll(async () => {
  f = await startFuzzApp();
  // real tickets, so that some generated clicks name one
  for (let i = 0; i < 3; i++) numbers.push((await createTicket(f.core, hotlineComplaint())).number);
});
afterAll(async () => {
  await f?.close();
});

const RUNS = { numRuns: 100, seed: Number(process.env.FUZZ_SEED ?? 20261128) };
const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

// Slack always names the user who acted; any id, staff or not
const users = fc.constantFrom(...Object.values(U), `U${'X'.repeat(30)}`);
const anyText = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ minLength: 3000, maxLength: 6000 }));
const ticketNumber = fc.oneof(fc.constantFrom('T20261128-0001', 'T20261128-0002', 'T20261128-0003', 'T29991231-9999', 'x'), fc.string({ maxLength: 20 }));
const cardValue = fc.oneof(
  fc
    .record({
      n: ticketNumber,
      s: fc.oneof(fc.constantFrom('dispatched', 'accepted', 'on_site', 'resolved', 'closed'), fc.string({ maxLength: 10 })),
      u: fc.option(fc.string({ maxLength: 20 }), { nil: undefined }),
      b: fc.option(fc.constantFrom('xincheng', 'huimin', 'nowhere'), { nil: undefined }),
      c: fc.option(fc.integer(), { nil: undefined }),
    })
    .map((v) => JSON.stringify(v)),
  fc.string({ maxLength: 40 }),
);
const actionId = fc.oneof(
  fc.constantFrom(
    'ticket.accept',
    'ticket.route',
    'ticket.arrive',
    'ticket.resolve',
    'ticket.transfer',
    'ticket.phone',
    'ticket.dispatch',
    'escalation.ack',
    'callback.record',
    'handover.accept',
  ),
  fc.string({ maxLength: 20 }),
);
let seq = 0;
const click = fc
  .record({ user: users, action: actionId, value: cardValue, select: fc.boolean(), channel: fc.constantFrom('C1XINCHED', 'C0CENTRE01', 'CNOWHERE') })
  .map((c) => ({
    type: 'block_actions',
    team: { id: 'TFAKETEAM', domain: 'heating' },
    user: { id: c.user, username: c.user, team_id: 'TFAKETEAM' },
    api_app_id: 'AFAKEAPP',
    trigger_id: `${++seq}.fuzz`,
    container: { type: 'message', message_ts: '1764309600.000001', channel_id: c.channel },
    channel: { id: c.channel, name: 'x' },
    message: { type: 'message', ts: '1764309600.000001', text: '' },
    actions: [
      c.select
        ? {
            type: 'static_select',
            action_id: c.action,
            block_id: 'b',
            selected_option: { value: c.value, text: { type: 'plain_text', text: 'x' } },
            action_ts: `1764309700.${++seq}`,
          }
        : { type: 'button', action_id: c.action, block_id: 'b', value: c.value, action_ts: `1764309700.${++seq}` },
    ],
  }));
const fieldValue = fc.oneof(
  fc.record({ type: fc.constant('plain_text_input'), value: fc.oneof(anyText, fc.constant(null), fc.constantFrom('12.50', '-1', '1e9', '0.001', '99999999')) }),
  fc.record({ type: fc.constant('static_select'), selected_option: fc.record({ value: fc.string({ maxLength: 20 }) }) }),
  fc.record({ type: fc.constant('checkboxes'), selected_options: fc.array(fc.record({ value: fc.string({ maxLength: 8 }) }), { maxLength: 2 }) }),
  fc.jsonValue({ maxDepth: 1 }),
);
const fields = fc.dictionary(
  fc.constantFrom(
    'result',
    'work_done',
    'materials',
    'fees',
    'signed',
    'reason',
    'branch',
    'unit',
    'reached',
    'satisfaction',
    'comment',
    'name',
    'phone',
    'account',
    'address',
    'description',
    'notes',
    'kind',
    'category',
    'source',
  ),
  fieldValue,
  { maxKeys: 8 },
);
const submission = fc
  .record({
    user: users,
    callbackId: fc.oneof(
      fc.constantFrom('ticket.resolve', 'ticket.transfer', 'ticket.intake', 'callback.record', 'duty.handover'),
      fc.string({ maxLength: 20 }),
    ),
    meta: fc.oneof(
      fc
        .record({
          n: ticketNumber,
          s: fc.string({ maxLength: 10 }),
          c: fc.option(fc.integer(), { nil: undefined }),
          h: fc.option(fc.integer(), { nil: undefined }),
        })
        .map((m) => JSON.stringify(m)),
      fc.string({ maxLength: 30 }),
    ),
    fields,
  })
  .map((v) => ({
    type: 'view_submission',
    team: { id: 'TFAKETEAM', domain: 'heating' },
    user: { id: v.user, username: v.user, team_id: 'TFAKETEAM' },
    api_app_id: 'AFAKEAPP',
    trigger_id: `${++seq}.fuzz`,
    view: {
      id: `VFUZZ${++seq}`,
      type: 'modal',
      callback_id: v.callbackId,
      private_metadata: v.meta,
      state: { values: Object.fromEntries(Object.entries(v.fields).map(([k, x]) => [k, { [k]: x }])) },
    },
  }));
const event = fc
  .record({
    type: fc.oneof(fc.constantFrom('app_mention', 'message', 'reaction_added', 'team_join', 'app_uninstalled'), fc.string({ maxLength: 15 })),
    user: users,
    text: anyText,
    channel: fc.string({ maxLength: 12 }),
    ts: fc.string({ maxLength: 20 }),
  })
  .map((e) => ({
    type: 'event_callback',
    team_id: 'TFAKETEAM',
    api_app_id: 'AFAKEAPP',
    event_id: `EvFUZZ${++seq}`,
    event_time: 1764309600,
    event: e,
  }));

const asForm = (payload: object) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();

describe('POST /slack/events with bad input', () => {
  it('refuses forged, stale and missing signatures with 401 (429 once the address has been refused 30 times) and changes nothing', async () => {
    const bodies = fc.oneof(
      click.map(asForm),
      submission.map(asForm),
      event.map((e) => JSON.stringify(e)),
      fc.string({ maxLength: 100 }),
    );
    const forgery = fc.oneof(
      fc.constant('none'),
      fc.constant('wrong secret'),
      fc.constant('other body'),
      fc.integer({ min: 301, max: 100_000 }).map((s) => `old:${s}`),
      fc.integer({ min: 301, max: 100_000 }).map((s) => `future:${s}`),
      fc
        .string({ maxLength: 70 })
        .filter((s) => /^[\x21-\x7e]*$/.test(s))
        .map((s) => `sig:${s}`),
    );
    await fc.assert(
      fc.asyncProperty(bodies, forgery, async (body, how) => {
        const now = slackNow(f);
        const headers =
          how === 'none'
            ? {}
            : how === 'wrong secret'
              ? signed(body, 'not-the-signing-secret', now)
              : how === 'other body'
                ? signed(`${body}x`, SIGNING_SECRET, now)
                : how.startsWith('old:')
                  ? signed(body, SIGNING_SECRET, now - Number(how.slice(4)))
                  : how.startsWith('future:')
                    ? signed(body, SIGNING_SECRET, now + Number(how.slice(7)))
                    : { 'x-slack-request-timestamp': String(now), 'x-slack-signature': how.slice(4) };
        const before = await counts(f.core.db);
        const res = await slackPost(f, body, body.startsWith('payload=') ? FORM : JSON_TYPE, headers);
        await f.slack.idle();
        // one address throughout: past 30 refusals the flood limit answers 429 (src/http/rate-limit.ts)
        expect([401, 429]).toContain(res.statusCode);
        expect(changed(before, await counts(f.core.db))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('answers signed bodies that are not Slack payloads with 400 or an empty 200, storing nothing', async () => {
    const junk = fc.oneof(
      fc.tuple(fc.string({ maxLength: 100 }), fc.constantFrom(JSON_TYPE, FORM)),
      fc.tuple(
        fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
        fc.constant(JSON_TYPE),
      ),
      fc.tuple(
        fc.string({ maxLength: 60 }).map((s) => `payload=${encodeURIComponent(s)}`),
        fc.constant(FORM),
      ),
    );
    await fc.assert(
      fc.asyncProperty(junk, async ([body, type]) => {
        const before = await counts(f.core.db);
        const res = await slackPost(f, body, type);
        await f.slack.idle();
        expect(res.statusCode, res.body).toBeLessThan(500);
        // a verified event keeps its receipt (so that Slack's retry of it is ignored); nothing else
        expect(changed(before, await counts(f.core.db)).filter((c) => !c.startsWith('inboundReceipt'))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('handles signed clicks, modal submissions, events and commands of any content without a 500 or a failing listener', async () => {
    const command = fc.record({ name: fc.constantFrom('/ticket', '/intake', '/duty', '/handover', '/kpi', '/nosuch'), text: anyText, user: users }).map((c) =>
      new URLSearchParams({
        token: 'x',
        team_id: 'TFAKETEAM',
        channel_id: 'C0CENTRE01',
        user_id: c.user,
        command: c.name,
        text: c.text,
        trigger_id: `${++seq}.fuzz`,
        response_url: f.slackFake.responseUrl(c.user || 'someone'),
      }).toString(),
    );
    const request = fc.oneof(
      click.map((c) => [asForm(c), FORM] as const),
      submission.map((s) => [asForm(s), FORM] as const),
      event.map((e) => [JSON.stringify(e), JSON_TYPE] as const),
      command.map((c) => [c, FORM] as const),
    );
    await fc.assert(
      fc.asyncProperty(request, async ([body, type]) => {
        const res = await slackPost(f, body, type);
        await f.slack.idle();
        expect(res.statusCode, res.body).toBe(200);
      }),
      { ...RUNS, numRuns: 200 },
    );
    expect(f.errors).toEqual([]);
  });

  it('changes nothing when a signed click is replayed', async () => {
    await fc.assert(
      fc.asyncProperty(click, async (c) => {
        const body = asForm(c);
        await slackPost(f, body, FORM);
        await f.slack.idle();
        const before = await counts(f.core.db);
        const res = await slackPost(f, body, FORM);
        await f.slack.idle();
        expect(res.statusCode).toBe(200);
        expect(changed(before, await counts(f.core.db))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('refuses a body over the limit with 413 and a code', async () => {
    const body = asForm({ type: 'block_actions', big: 'x'.repeat(1024 * 1024) });
    const before = await counts(f.core.db);
    const res = await slackPost(f, body, FORM);
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('body_too_large');
    expect(changed(before, await counts(f.core.db))).toEqual([]);
  });
});
