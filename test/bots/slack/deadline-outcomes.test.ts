import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { cardOf, clickOn, makeSlackHarness, textOf, U, type SlackHarness } from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness();
});
afterAll(() => h?.close());

/** A hotline complaint of 新城 (accept within 15 minutes), its card in the dispatch channel. */
async function dispatched() {
  const t = await createTicket(h.core, hotlineComplaint());
  await h.drain();
  return { t, card: await cardOf(h, t.id) };
}

describe('the dispatch card shows what became of each deadline (R7)', () => {
  it('a deadline met in time: the card says when', async () => {
    const { t, card } = await dispatched();
    h.core.clock.advance(5 * MINUTE);
    await clickOn(h, U.xinchengCoord, card, 'ticket.accept');
    await h.drain();
    const text = textOf(await cardOf(h, t.id));
    expect(text).toMatch(/接单时限：已按时完成 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(text).not.toContain('超时完成');
  });

  it('a deadline met after it was due: the card says it was late', async () => {
    const { t, card } = await dispatched();
    h.core.clock.advance(20 * MINUTE);
    await clickOn(h, U.xinchengCoord, card, 'ticket.accept');
    await h.drain();
    const text = textOf(await cardOf(h, t.id));
    expect(text).toMatch(/接单时限：超时完成 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(text).not.toContain('已按时完成');
  });
});
