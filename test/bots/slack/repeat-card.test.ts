/** R30 on the dispatch card: a repeat complaint says which complaint of the same customer it repeats. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR } from '../../../src/core/clock.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { cardOf, makeSlackHarness, textOf, type SlackHarness } from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness();
});
afterAll(() => h?.close());

describe('the card of a repeat complaint (R30)', () => {
  it('names the first complaint of the same customer and category; the first card and another category say nothing', async () => {
    const first = await createTicket(h.core, hotlineComplaint());
    h.core.clock.advance(10 * 24 * HOUR);
    const again = await createTicket(h.core, hotlineComplaint({ description: '暖气还是不热' }));
    const leak = await createTicket(h.core, hotlineComplaint({ category: 'leak', description: '暖气片漏水' }));
    await h.drain();
    expect(textOf(await cardOf(h, again.id))).toContain(`重复投诉：同一客户近期已就同类问题投诉过，首次工单 ${first.number}`);
    expect(textOf(await cardOf(h, first.id))).not.toContain('重复投诉：');
    expect(textOf(await cardOf(h, leak.id))).not.toContain('重复投诉：');
  });
});
