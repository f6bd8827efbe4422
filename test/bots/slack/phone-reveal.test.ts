/**
 * Showing a resident's full phone number leaves a trace: who asked and when, on the ticket's
 * timeline, where the API and the dashboard show it. A refused click shows nothing and records nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../../src/core/clock.js';
import { getTicket } from '../../../src/core/tickets/get-ticket.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { ticketPage } from '../../../src/http/dashboard/ticket-pages.js';
import { auth } from '../../helpers/app.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { cardOf, clickOn, makeSlackHarness, toldTo, U, type SlackHarness } from '../../helpers/slack.js';

let h: SlackHarness;
beforeAll(async () => {
  h = await makeSlackHarness();
});
afterAll(() => h?.close());

const revealsOf = (ticketId: number) => h.core.db.ticketEvent.findMany({ where: { ticketId, type: 'phone_revealed' }, orderBy: { id: 'asc' } });

describe('revealing a resident’s phone number', () => {
  it('records who saw it and when on the ticket, and the API and dashboard timelines show it', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    await h.drain();
    const card = await cardOf(h, t.id);
    h.core.clock.advance(7 * MINUTE);
    const at = h.core.clock.now();

    await clickOn(h, U.xinchengField, card, 'ticket.phone');
    expect(toldTo(h, U.xinchengField).at(-1)).toContain('15260181590');

    const events = await revealsOf(t.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: 'staff:xincheng-field1', note: null, fromStatus: null, toStatus: null });
    expect(events[0].at).toEqual(at);

    const res = await h.app.inject({ method: 'GET', url: `/api/tickets/${t.number}`, headers: auth });
    expect(res.json().timeline).toContainEqual(expect.objectContaining({ type: 'phone_revealed', actor: 'staff:xincheng-field1', at: at.toISOString() }));

    const page = String(ticketPage(h.core.org, 'zh-CN', await getTicket(h.core, t.number)));
    expect(page).toMatch(/<li data-type="phone_revealed">[\s\S]*查看完整电话[\s\S]*吴娟/);
    expect(String(ticketPage(h.core.org, 'en', await getTicket(h.core, t.number)))).toContain('Viewed the full phone number');
  });

  it('records each time it is shown, and nothing for someone who is refused', async () => {
    const t = await createTicket(h.core, hotlineComplaint());
    await h.drain();
    const card = await cardOf(h, t.id);
    await clickOn(h, U.huiminField, card, 'ticket.phone'); // another branch: refused
    expect(toldTo(h, U.huiminField).at(-1)).not.toContain('15260181590');
    expect(await revealsOf(t.id)).toEqual([]);

    await clickOn(h, U.agent, card, 'ticket.phone'); // the centre
    await clickOn(h, U.xinchengCoord, card, 'ticket.phone');
    expect((await revealsOf(t.id)).map((e) => e.actor)).toEqual(['staff:agent01', 'staff:xincheng-coord']);
  });
});
