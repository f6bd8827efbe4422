/**
 * Ids past the database's integer range (a row id is a 32-bit integer on both databases) wherever
 * a caller can put one: a path, a page number, a Slack button's value or a modal's metadata, a
 * Telegram button's data. PostgreSQL refuses such a number with an out-of-range error, which was a
 * 500 on the API and a failed listener in the bots; each is now refused before the database.
 * Bounded: ~60 values per entry point.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTicket } from '../../src/core/tickets/create-ticket.js';
import { auth } from '../helpers/app.js';
import { hotlineComplaint } from '../helpers/builders.js';
import { U } from '../helpers/slack.js';
import { changed, counts, slackPost, startFuzzApp, telegramPost, type FuzzApp } from './harness.js';

let f: FuzzApp;
let number = '';
beforeAll(async () => {
  f = await startFuzzApp();
  number = (await createTicket(f.core, hotlineComplaint())).number;
});
afterAll(async () => {
  await f?.close();
});

const RUNS = { numRuns: 60, seed: Number(process.env.FUZZ_SEED ?? 20261128) };

/** Whole numbers no row id can be, as digits: just past 2^31 - 1, past 2^53, past 2^63, and far beyond. */
const tooLarge = fc.oneof(
  fc.constantFrom('2147483648', '4294967296', '9007199254740993', '9223372036854775808', '99999999999999999999', '1e30'),
  fc.bigInt({ min: 2n ** 31n, max: 10n ** 40n }).map(String),
);

/** A refusal the caller can read: 4xx with a code, nothing stored. */
async function refused(send: () => Promise<{ statusCode: number; body: string }>): Promise<void> {
  const before = await counts(f.core.db);
  const res = await send();
  expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, res.body).toBeLessThan(500);
  expect(JSON.parse(res.body)).toHaveProperty('code');
  expect(changed(before, await counts(f.core.db))).toEqual([]);
}

describe('ids too large for the database', () => {
  it('in API paths and page numbers are a 4xx with a code, never a 500', async () => {
    const route = fc.constantFrom(
      (id: string) => ({ method: 'POST' as const, url: `/api/outbox/${id}/resend` }),
      (id: string) => ({ method: 'POST' as const, url: `/api/callbacks/${id}`, payload: { actor: 'agent01', reached: false } }),
      (id: string) => ({ method: 'POST' as const, url: `/api/callbacks/${id}`, payload: { actor: 'agent01', reached: true, satisfaction: 'satisfied' } }),
      (id: string) => ({ method: 'GET' as const, url: `/api/outbox?page=${id}` }),
      (id: string) => ({ method: 'GET' as const, url: `/api/outbox?state=sent&page=${id}&pageSize=500` }),
      (id: string) => ({ method: 'GET' as const, url: `/api/tickets?page=${id}` }),
      (id: string) => ({ method: 'GET' as const, url: `/api/tickets/T20261128-${id}${'0'.repeat(20)}` }),
    );
    await fc.assert(
      fc.asyncProperty(route, tooLarge, async (r, id) => {
        await refused(() => f.app.inject({ ...r(id), headers: auth }));
      }),
      RUNS,
    );
  });

  it('in a Slack button value or a modal metadata are ignored, with no listener failing', async () => {
    const payload = fc.oneof(
      // the phone callback task's button, and the handover's countersign button
      fc.tuple(fc.constantFrom('callback.record', 'handover.accept'), tooLarge).map(([action, id]) => ({
        type: 'block_actions',
        team: { id: 'TFAKETEAM', domain: 'heating' },
        user: { id: U.agent, username: U.agent, team_id: 'TFAKETEAM' },
        api_app_id: 'AFAKEAPP',
        trigger_id: `${id}.trigger`,
        container: { type: 'message', message_ts: '1764309600.000001', channel_id: 'C0CENTRE01' },
        channel: { id: 'C0CENTRE01', name: 'centre' },
        message: { type: 'message', ts: '1764309600.000001', text: '' },
        // raw JSON: the digits as Slack hands them back, however large
        actions: [{ type: 'button', action_id: action, block_id: 'b', value: `{"n":"${number}","c":${id},"h":${id}}`, action_ts: '1764309700.000001' }],
      })),
      // the phone callback modal submitted with a callback id no row has
      tooLarge.map((id) => ({
        type: 'view_submission',
        team: { id: 'TFAKETEAM', domain: 'heating' },
        user: { id: U.agent, username: U.agent, team_id: 'TFAKETEAM' },
        api_app_id: 'AFAKEAPP',
        trigger_id: `${id}.trigger`,
        view: {
          id: `VBIG${id.slice(0, 20)}`,
          type: 'modal',
          callback_id: 'callback.record',
          private_metadata: `{"n":"${number}","c":${id}}`,
          state: {
            values: {
              reached: { reached: { type: 'radio_buttons', selected_option: { value: 'yes' } } },
              satisfaction: { satisfaction: { type: 'static_select', selected_option: { value: 'satisfied' } } },
            },
          },
        },
      })),
    );
    await fc.assert(
      fc.asyncProperty(payload, async (p) => {
        const before = await counts(f.core.db);
        const errors = f.errors.length;
        const res = await slackPost(f, new URLSearchParams({ payload: JSON.stringify(p) }).toString(), 'application/x-www-form-urlencoded');
        await f.slack.idle();
        expect(res.statusCode).toBeLessThan(500);
        expect(f.errors.slice(errors)).toEqual([]);
        expect(changed(before, await counts(f.core.db)).filter((t) => !t.startsWith('inboundReceipt'))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('in a Telegram rating button are answered like any button that does nothing', async () => {
    await fc.assert(
      fc.asyncProperty(tooLarge, async (id) => {
        const errors = f.errors.length;
        const before = await counts(f.core.db);
        const user = { id: 900_000_101, is_bot: false, first_name: 'Big', language_code: 'zh-hans' };
        const message = { message_id: 1, date: 1764309600, chat: { id: user.id, type: 'private' }, text: '满意吗？' };
        const update = 800_000_000 + Math.floor(Math.random() * 100_000_000);
        const res = await telegramPost(f, {
          update_id: update,
          // a query id of its own, as Telegram gives (it takes one answer per id)
          callback_query: { id: `cq-${update}-${id.slice(0, 30)}`, from: user, chat_instance: 'ci', message, data: `cb:${id.slice(0, 50)}:s` },
        });
        expect(res.statusCode).toBe(200);
        expect(f.errors.slice(errors)).toEqual([]);
        expect(changed(before, await counts(f.core.db)).filter((t) => !t.startsWith('inboundReceipt') && !t.startsWith('resident'))).toEqual([]);
      }),
      RUNS,
    );
  });
});
