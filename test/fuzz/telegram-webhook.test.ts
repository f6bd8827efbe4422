/**
 * Bad input on POST /telegram/webhook (issue 8): whatever arrives is answered with a 4xx or a
 * polite 200, never a 500 (Telegram would deliver it again forever), and a refused request
 * stores nothing. Well-shaped updates with odd content go through the whole bot without a
 * handler failing. Bounded: a few hundred generated requests.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changed, counts, startFuzzApp, telegramPost, TG_SECRET, type FuzzApp } from './harness.js';

let f: FuzzApp;
beforeAll(async () => {
  f = await startFuzzApp();
});
afterAll(async () => {
  await f?.close();
});

const RUNS = { numRuns: 120, seed: Number(process.env.FUZZ_SEED ?? 20261128) };

/** Values of the wrong type for any field. */
const wrong = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 2 }),
  fc.object({ maxDepth: 1, maxKeys: 2 }),
);
const ids = fc.integer({ min: 900_000_001, max: 900_000_008 }); // a few people, so replies meet earlier state
const user = ids.map((id) => ({ id, is_bot: false, first_name: `Fuzz${id % 100}`, language_code: id % 2 ? 'zh-hans' : 'en' }));
const texts = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ minLength: 4000, maxLength: 9000 }), // longer than a ticket description, within the body limit
  fc.constantFrom(
    '/start',
    '/status',
    '/report',
    '/help',
    '/lang',
    '/suggest',
    '/ask',
    '/prices',
    '/bind',
    '/bind 1010000000 1590',
    '/bind 1010000000 0000',
    '/bind 15260181590',
    '暖气不热，室温只有15度',
    '暖气片跑水了',
    'T20261128-0001',
    '/status T20261128-0001',
    '幸福家园 3号楼2单元501',
  ),
  fc.tuple(fc.constantFrom('/bind', '/report', '/suggest', '/ask', '/status'), fc.string({ maxLength: 30 })).map(([c, a]) => `${c} ${a}`),
);
const message = fc
  .record({
    message_id: fc.integer({ min: 1, max: 2 ** 31 }),
    date: fc.integer({ min: 0, max: 2 ** 31 }),
    from: user,
    text: texts,
    chatType: fc.constantFrom('private', 'private', 'private', 'group'),
    replyTo: fc.option(fc.record({ message_id: fc.integer({ min: 1, max: 2 ** 31 }), text: texts, force: fc.boolean() }), { nil: undefined }),
  })
  .map(({ message_id, date, from, text, chatType, replyTo }) => ({
    message_id,
    date,
    from,
    chat: { id: chatType === 'private' ? from.id : -100_777, type: chatType },
    text,
    ...(text.startsWith('/') ? { entities: [{ type: 'bot_command', offset: 0, length: text.split(' ')[0].length }] } : {}),
    ...(replyTo
      ? {
          reply_to_message: {
            message_id: replyTo.message_id,
            date,
            chat: { id: from.id, type: 'private' },
            from: { id: 7_000_000_001, is_bot: true, first_name: 'bot' },
            text: replyTo.text,
            ...(replyTo.force ? {} : {}),
          },
        }
      : {}),
  }));
const data = fc.oneof(
  fc.string({ minLength: 1, maxLength: 64 }),
  fc
    .tuple(
      fc.constantFrom('ro', 'rn', 'rs', 'cb', 'st', 'fo', 'fp', 'pv', 'fq', 'lang'),
      fc.string({ maxLength: 20 }),
      fc.constantFrom('s', 'f', 'd', 'x', 'no_heat', 'leak', '1', ''),
    )
    .map((p) => p.join(':')),
  fc.constantFrom('aq', 'bd', 'rp', 'rx', 'ro:complaint:no_heat', 'rn:leak', 'rs:no_heat', 'cb:1:s', 'cb:999999:d', 'lang:en', 'lang:zh-CN'),
);
// Telegram gives every callback query its own id, and takes one answer per id (as the fake does)
let nextCallback = 0;
const callback = fc
  .record({ id: fc.string({ minLength: 1, maxLength: 20 }), from: user, data, message: fc.option(message, { nil: undefined }) })
  .map((c) => ({ ...c, id: `${++nextCallback}:${c.id}`, chat_instance: 'ci' }));
let nextUpdate = 5_000_000;
const update = fc
  .oneof(
    message.map((m) => ({ message: m })),
    message.map((m) => ({ edited_message: m })),
    callback.map((c) => ({ callback_query: c })),
  )
  .map((u) => ({ update_id: ++nextUpdate, ...u }));

/** Breaks one field of a good update: a wrong type where the bot reads a value. */
const broken = fc
  .tuple(
    update,
    fc.constantFrom(
      'update_id',
      'message.chat.id',
      'message.from.id',
      'message.text',
      'message.chat',
      'callback_query.from',
      'callback_query.data',
      'message.entities',
      'message.reply_to_message',
      'message.from.language_code',
    ),
    wrong,
  )
  .map(([u, path, value]) => {
    const copy = structuredClone(u) as Record<string, any>;
    const [head, ...rest] = path.split('.');
    if (!(head in copy) && head !== 'update_id')
      copy[head] = head === 'callback_query' ? { id: 'x', from: { id: 1 } } : { message_id: 1, chat: { id: 1, type: 'private' } };
    let o = copy;
    for (const k of [head, ...rest].slice(0, -1)) o = o[k] ??= {};
    o[[head, ...rest].at(-1)!] = value;
    return copy;
  })
  // a few breakages are still valid (a string where a string goes): keep the really wrong ones
  .filter((u) => JSON.stringify(u) !== '');

describe('POST /telegram/webhook with bad input', () => {
  it('refuses a malformed body with 400 and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{', '{"update_id":', '[]', 'null', '"x"', '{"update_id":1', '\u0000')),
        async (body) => {
          const before = await counts(f.core.db);
          const res = await telegramPost(f, body);
          expect(res.statusCode).toBeLessThan(500);
          if (res.statusCode !== 200) expect(res.json()).toHaveProperty('code');
          expect(changed(before, await counts(f.core.db))).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it('refuses updates with fields of the wrong type with 400 and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(broken, async (u) => {
        const before = await counts(f.core.db);
        const res = await telegramPost(f, u);
        expect(res.statusCode, res.body).toBeLessThan(500);
        if (res.statusCode >= 400) {
          expect(res.json().code).toBe('validation_failed');
          expect(changed(before, await counts(f.core.db))).toEqual([]);
        }
      }),
      RUNS,
    );
  });

  it('ignores kinds of update the bot does not handle, storing nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('poll', 'channel_post', 'chat_join_request', 'message_reaction', 'business_message', 'something_new'),
        fc.jsonValue({ maxDepth: 2 }),
        async (kind, value) => {
          const before = await counts(f.core.db);
          const res = await telegramPost(f, { update_id: ++nextUpdate, [kind]: value });
          // 400: Fastify refuses a "__proto__" key in JSON (prototype poisoning), before anything else
          expect([200, 400]).toContain(res.statusCode);
          expect(changed(before, await counts(f.core.db))).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it('takes well-shaped updates with odd content without a 500 or a failing handler', async () => {
    await fc.assert(
      fc.asyncProperty(update, async (u) => {
        const res = await telegramPost(f, u);
        expect(res.statusCode, res.body).toBe(200);
      }),
      { ...RUNS, numRuns: 200 },
    );
    // Taps here are on messages the fake Bot API never sent, so Telegram refuses to edit them:
    // that is the fuzz's doing (a real tap comes from a real message), not a handler failing.
    expect(f.errors.filter((e) => !e.includes('message to edit not found'))).toEqual([]);
  });

  it('does nothing the second time an update is delivered', async () => {
    await fc.assert(
      fc.asyncProperty(update, async (u) => {
        await telegramPost(f, u);
        const before = await counts(f.core.db);
        const res = await telegramPost(f, u);
        expect(res.statusCode).toBe(200);
        expect(changed(before, await counts(f.core.db))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('refuses a wrong or missing secret with 401 (429 once the address has been refused 30 times) and stores nothing', async () => {
    await fc.assert(
      fc.asyncProperty(
        update,
        fc.option(
          fc.string({ maxLength: 80 }).filter((s) => s !== TG_SECRET && /^[\x21-\x7e]*$/.test(s)),
          { nil: undefined },
        ),
        async (u, secret) => {
          const before = await counts(f.core.db);
          const res = await telegramPost(f, u, secret === undefined ? {} : { 'x-telegram-bot-api-secret-token': secret });
          // one address throughout: past 30 refusals the flood limit answers 429 (src/http/rate-limit.ts)
          expect([401, 429]).toContain(res.statusCode);
          expect(changed(before, await counts(f.core.db))).toEqual([]);
        },
      ),
      RUNS,
    );
  });

  it('refuses a body over the limit with 413 and a code', async () => {
    const before = await counts(f.core.db);
    const res = await telegramPost(f, {
      update_id: ++nextUpdate,
      message: { message_id: 1, date: 0, chat: { id: 900_000_001, type: 'private' }, text: 'x'.repeat(1024 * 1024 + 10) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('body_too_large');
    expect(changed(before, await counts(f.core.db))).toEqual([]);
  });
});
