import { afterAll, beforeAll, expect, it } from 'vitest';
import { declareIncident } from '../../../src/core/incidents/declare-incident.js';
import { restoreIncident } from '../../../src/core/incidents/restore-incident.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { hotlineComplaint } from '../../helpers/builders.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore({ start: '2026-12-06T19:00:00Z' });
});
afterAll(async () => core?.close());

async function phoned(n: number) {
  const c = await core.db.customer.create({
    data: { account: `77c001${n}`, name: `住户${n}`, phone: `1390000000${n}`, address: `幸福家园 ${n}号`, communityId: 'c001' },
  });
  return createTicket(core, hotlineComplaint({ customerAccount: c.account }));
}

it('tells and calls back a duplicate whose original was linked to the incident, when heat is back (R8h)', async () => {
  const original = await phoned(1);
  const dup = await phoned(2);
  await transitionTicket(core, { number: dup.number, action: 'mark_duplicate', actor: 'staff:xincheng-coord', duplicateOf: original.number, note: '同一楼栋' });
  // declaring over the station links the community's recent no-heat reports: the original, not its duplicate
  const { incident } = await declareIncident(core, { stationIds: ['HX-XI02'], scope: 'station', cause: '换热站循环泵故障', actor: 'staff:xincheng-coord' });
  expect((await core.db.ticket.findUniqueOrThrow({ where: { id: original.id } })).incidentId).toBe(incident.id);
  expect((await core.db.ticket.findUniqueOrThrow({ where: { id: dup.id } })).status).toBe('duplicate');

  core.clock.advance(3 * 60 * 60_000);
  await restoreIncident(core, { id: incident.id, actor: 'staff:xincheng-coord' });

  const followed = await core.db.ticket.findUniqueOrThrow({ where: { id: dup.id } });
  expect(followed.status).not.toBe('duplicate');
  expect(followed.resolvedAt).toEqual(core.clock.now());
  // a hotline caller without the bot: the centre calls them back by phone
  expect(await core.db.callback.findMany({ where: { ticketId: dup.id }, select: { channel: true, status: true } })).toEqual([
    { channel: 'phone', status: 'pending' },
  ]);
});

it('keeps the dispatch card of a report filed before the declaration up to date through the restoration', async () => {
  core.clock.advance(60 * 60_000);
  const earlier = await phoned(3);
  const cardRows = () => core.db.outboxMessage.findMany({ where: { kind: 'ticket_card', payload: { contains: `"ticketId":${earlier.id},` } } });
  expect(await cardRows()).toHaveLength(1); // its card, posted at filing
  core.clock.advance(5 * 60_000);
  const { incident } = await declareIncident(core, { communityIds: ['c001'], scope: 'community', cause: '小区管网阀门故障', actor: 'staff:xincheng-coord' });
  core.clock.advance(2 * 60 * 60_000);
  await restoreIncident(core, { id: incident.id, actor: 'staff:xincheng-coord' });
  // the card hears of the link and of the resolve: staff do not see 已派单 on a report that was repaired
  const events = (await cardRows()).map((m) => JSON.parse(m.payload).event);
  expect(events).toEqual(['dispatched', 'linked', 'resolved']);
});
