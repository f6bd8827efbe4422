/**
 * Slack down for a while, then back (issue 8): the steps are stored and their cards owed while
 * Slack answers nothing but errors; when it answers again, every card arrives exactly once and
 * the loop runs to the end. An outage longer than the outbox's retries leaves dead letters, which
 * an admin lists and sends again (GET /api/outbox?state=dead, POST /api/outbox/:id/resend).
 */
import { describe, expect, it } from 'vitest';
import { cardNumber } from '../../tools/sim/slack-side.js';
import type { World } from '../../tools/sim/world.js';
import { expectWholeLoop, pick, runDrill, sleep } from './drill.js';

/** The admin's side of the dead letters, over the service's API. */
async function api(world: World, path: string, method = 'GET'): Promise<any> {
  const res = await fetch(`${world.service.url}${path}`, { method, headers: { authorization: `Bearer ${world.secrets.apiToken}` } });
  expect(res.status).toBe(200);
  return res.json();
}

describe('Slack down for a while, then back', () => {
  it('stores every report while Slack is down and posts every card exactly once when it is back', { timeout: pick(120_000, 900_000) }, async () => {
    const outageMs = pick(5_000, 60_000);
    let down = 0;
    let up = 0;
    const d = await runDrill({
      // retries spaced so that they outlast the outage (60 attempts at most 3 s apart)
      world: { outboxMaxBackoffMs: pick(500, 3000) },
      during: async (world) => {
        // down from the first report on: every Web API call answered 500
        world.slack.fake.faults = { error500Rate: 1 };
        down = Date.now();
        await sleep(outageMs);
        world.slack.fake.faults = {};
        up = Date.now();
      },
    });
    expectWholeLoop(d);
    const calls = d.world.slack.fake.calls;
    // while Slack was down nothing got through, though the service kept trying
    expect(calls.filter((c) => c.at >= down && c.at < up && c.status === 200)).toEqual([]);
    expect(calls.filter((c) => c.at >= down && c.at < up && c.method === 'chat.postMessage').length).toBeGreaterThan(0);
    // the residents' reports were taken during the outage all the same
    expect(d.result.residents.every((r) => r.filed)).toBe(true);
    // after it: one card per ticket in its channel
    const cards = calls
      .filter((c) => c.method === 'chat.postMessage' && c.status === 200 && !c.params.thread_ts)
      .map((c) => cardNumber({ blocks: c.params.blocks }));
    const numbers = cards.filter(Boolean);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers.length).toBe(d.ledger.tickets);
  });

  it('leaves dead letters when the outage outlasts the retries; sent again, each card arrives once', { timeout: pick(120_000, 900_000) }, async () => {
    let resent = 0;
    const d = await runDrill({
      world: { outboxMaxAttempts: 3, outboxMaxBackoffMs: 500 },
      play: { residents: pick(3, 15) },
      during: async (world) => {
        world.slack.fake.faults = { error500Rate: 1 };
        await sleep(pick(4_000, 20_000));
        world.slack.fake.faults = {};
        const dead = await api(world, '/api/outbox?state=dead&pageSize=500');
        expect(dead.total).toBeGreaterThan(0);
        for (const m of dead.items) {
          await api(world, `/api/outbox/${m.id}/resend`, 'POST');
          resent++;
        }
      },
    });
    expect(resent).toBeGreaterThan(0);
    expectWholeLoop(d);
  });
});
