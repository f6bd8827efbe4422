/**
 * A Telegram 429 storm (issue 8): most sends answered "Too Many Requests, retry after 1 s" for a
 * while. Every message is sent again no sooner than retry_after says, and every resident hears
 * every step of their ticket exactly once.
 */
import { describe, expect, it } from 'vitest';
import type { FakeTelegramCall } from '../../tools/dev/fake-telegram-api.js';
import { expectWholeLoop, pick, runDrill, sleep } from './drill.js';

describe('a Telegram 429 storm', () => {
  it('obeys retry_after and still tells every resident every step once', { timeout: pick(120_000, 900_000) }, async () => {
    const d = await runDrill({
      during: async (world) => {
        world.tg.fake.faults = { rateLimitRate: 0.6, retryAfterSec: 1, methods: ['sendMessage', 'editMessageText', 'answerCallbackQuery'] };
        await sleep(pick(6_000, 90_000));
        world.tg.fake.faults = {};
      },
    });
    expectWholeLoop(d);
    const calls = d.world.tg.fake.calls;
    const limited = calls.filter((c) => c.status === 429);
    expect(limited.length).toBeGreaterThan(5);
    // the same message to the same chat is not sent again before retry_after has passed
    const early: string[] = [];
    const key = (c: FakeTelegramCall) => `${c.params.chat_id}|${c.params.text}`;
    for (const c of limited.filter((x) => x.method === 'sendMessage')) {
      const next = calls.find((x) => x.at >= c.at && x !== c && x.method === 'sendMessage' && key(x) === key(c));
      const wait = (c.response.parameters?.retry_after ?? 0) * 1000;
      // 20 ms: the fake stamps the answer, the service stamps its own timer; both on one clock
      if (next && next.at - c.at < wait - 20) early.push(`${key(c)} again after ${next.at - c.at} ms`);
    }
    expect(early).toEqual([]);
  });
});
