import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareIncident } from '../../../src/core/incidents/declare-incident.js';
import { getIncident } from '../../../src/core/incidents/get-incident.js';
import { openIncidentFor } from '../../../src/core/incidents/open-incident-for.js';
import { Org } from '../../../src/core/org/org.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { openStores } from '../../../src/db/stores/index.js';
import { demoOrg, makeTestCore, type TestCore } from '../../helpers/core.js';
import { hotlineComplaint } from '../../helpers/builders.js';

let core: TestCore;
const MIN = 60_000;

/** A customer of the community with a bound resident in the bot. */
async function boundResident(communityId: string, n: number) {
  const customer = await core.db.customer.create({
    data: {
      account: `77${communityId}${String(n).padStart(4, '0')}`,
      name: `住户${n}`,
      phone: `1390000${String(n).padStart(4, '0')}`,
      address: `${communityId} ${n}号`,
      communityId,
    },
  });
  const resident = await core.db.resident.create({ data: { telegramUserId: `${communityId}-${n}`, chatId: `${communityId}-${n}`, customerId: customer.id } });
  return { customer, resident };
}

const outbox = (kind: string) => core.db.outboxMessage.findMany({ where: { kind }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  core = await makeTestCore({ start: '2026-12-06T19:00:00Z' });
});
afterAll(async () => core?.close());

describe('declaring an incident', () => {
  it('covers the communities a station feeds and is the open incident of each of them', async () => {
    const { incident, created } = await declareIncident(core, {
      stationIds: ['HX-XI02'],
      scope: 'station',
      cause: '换热站循环泵故障',
      actor: 'staff:xincheng-coord',
    });
    expect(created).toBe(true);
    expect(incident.communityIds).toEqual(['c001', 'c005', 'c009']);
    expect(incident.branchIds).toEqual(['xincheng']);
    expect(incident.number).toBe('I20261207-01');
    // R27: a fault of the company's network is repaired within 24 hours
    expect(incident.resolveDueAt.getTime() - incident.declaredAt.getTime()).toBe(24 * 60 * MIN);
    expect((await openIncidentFor(core, 'c005'))?.id).toBe(incident.id);
    expect(await openIncidentFor(core, 'c002')).toBeNull();
  });

  it("takes over the community's no-heat reports of the last 30 minutes, not its leak nor an older report (R27)", async () => {
    const { customer } = await boundResident('c002', 1);
    const old = await createTicket(core, hotlineComplaint({ customerAccount: customer.account }));
    core.clock.advance(20 * MIN);
    const cold = await createTicket(core, hotlineComplaint({ customerAccount: customer.account }));
    const leak = await createTicket(core, hotlineComplaint({ customerAccount: customer.account, category: 'leak', description: '暖气片漏水' }));
    core.clock.advance(15 * MIN);
    const { incident } = await declareIncident(core, { communityIds: ['c002'], scope: 'community', cause: '小区主管道破裂', actor: 'staff:xincheng-coord' });
    expect(incident.linkedCount).toBe(1);
    const [c, l, o] = await Promise.all([cold, leak, old].map((t) => core.db.ticket.findUniqueOrThrow({ where: { id: t.id } })));
    expect(c).toMatchObject({
      incidentId: incident.id,
      status: 'accepted',
      scope: 'primary',
      ackDueAt: null,
      arriveDueAt: null,
      resolveDueAt: incident.resolveDueAt,
    });
    expect(l.incidentId).toBeNull();
    expect(o.incidentId).toBeNull();
    // its own one-hour clocks are withdrawn, not missed; the resolve deadline is the incident's
    const deadlines = await core.db.deadline.findMany({ where: { ticketId: cold.id } });
    expect(deadlines.find((d) => d.name === 'ack')?.supersededAt).toEqual(core.clock.now());
    expect(deadlines.find((d) => d.name === 'resolve')).toMatchObject({ supersededAt: null, dueAt: incident.resolveDueAt });
    expect(await core.db.scheduledAlert.count({ where: { ticketId: cold.id, firedAt: null } })).toBe(0);
    const linked = await core.db.ticketEvent.findFirstOrThrow({ where: { ticketId: cold.id, type: 'linked' } });
    expect(JSON.parse(linked.data!)).toMatchObject({ incidentId: incident.id });
  });

  it("owes one card in the branch's urgent channel and one notice per reachable resident", async () => {
    const a = await boundResident('c003', 1);
    const b = await boundResident('c003', 2);
    await core.db.resident.update({ where: { id: b.resident.id }, data: { unreachableAt: core.clock.now() } });
    const byHand = await core.db.resident.create({ data: { telegramUserId: 'c003-hand', chatId: 'c003-hand', communityId: 'c003', address: '3号楼' } });
    const { incident } = await declareIncident(core, {
      communityIds: ['c003'],
      scope: 'community',
      cause: '二次网主管阀门故障',
      expectedAt: new Date(core.clock.now().getTime() + 3 * 60 * MIN),
      actor: 'staff:xincheng-coord',
    });
    const cards = (await outbox('incident_card')).filter((m) => JSON.parse(m.payload).incidentId === incident.id);
    expect(cards.map((m) => [m.target, JSON.parse(m.payload)])).toEqual([['C1XINCHEU', { incidentId: incident.id, branchId: 'xincheng' }]]);
    // due at the end of its 10-second bucket: refreshes within it are one message
    expect(cards[0].nextAt.getTime() % 10_000).toBe(0);
    const notices = (await outbox('incident_notice')).filter((m) => JSON.parse(m.payload).incidentId === incident.id);
    expect(notices.map((m) => m.target).sort()).toEqual([a.resident.chatId, byHand.chatId].sort());
    expect(JSON.parse(notices[0].payload)).toMatchObject({ phase: 'declared', locale: 'zh-CN' });
    expect(notices[0].priority).toBe(3);
    // a community incident that is not major: the leaders are not told
    expect((await outbox('incident_leaders')).filter((m) => JSON.parse(m.payload).incidentId === incident.id)).toEqual([]);
  });

  it('tells the leaders of a primary-network section at once, and covers communities of two branches with a card in each (R8k)', async () => {
    const { incident } = await declareIncident(core, {
      communityIds: ['c004', 'c010'],
      scope: 'primary_section',
      cause: '一次网DN600主管爆管',
      actor: 'staff:xincheng-coord',
    });
    expect(incident).toMatchObject({ severity: 'major', branchIds: ['huimin', 'xincheng'] });
    const leaders = (await outbox('incident_leaders')).filter((m) => JSON.parse(m.payload).incidentId === incident.id);
    expect(leaders.map((m) => [m.target, m.priority, JSON.parse(m.payload).event])).toEqual([['C0LEADER01', 0, 'declared']]);
    const cards = (await outbox('incident_card')).filter((m) => JSON.parse(m.payload).incidentId === incident.id);
    expect(cards.map((m) => m.target).sort()).toEqual(['C1HUIMINU', 'C1XINCHEU']);
  });

  it('makes one incident of two people declaring the same community at once', async () => {
    const declare = () => declareIncident(core, { communityIds: ['c006'], scope: 'community', cause: '停电', actor: 'staff:xincheng-coord' });
    const [x, y] = await Promise.all([declare(), declare()]);
    expect(x.incident.id).toBe(y.incident.id);
    expect([x.created, y.created].sort()).toEqual([false, true]);
    expect(await core.db.incidentArea.count({ where: { communityId: 'c006' } })).toBe(1);
  });

  it('makes one incident of two taps on the same proposal', async () => {
    const declare = () =>
      declareIncident(core, {
        communityIds: ['c007'],
        scope: 'community',
        cause: '报修集中',
        actor: 'staff:xincheng-coord',
        proposalKey: 'c007:2026-12-06T19:30',
      });
    const [x, y] = await Promise.all([declare(), declare()]);
    expect(x.incident.id).toBe(y.incident.id);
    expect(await core.db.incident.count({ where: { proposalKey: 'c007:2026-12-06T19:30' } })).toBe(1);
  });

  it('refuses an incident that overlaps an open one, naming it, and stores nothing', async () => {
    const before = await core.db.incident.count();
    const err = await declareIncident(core, { communityIds: ['c001', 'c008'], scope: 'community', cause: 'x', actor: 'staff:xincheng-coord' }).catch((e) => e);
    expect(err).toMatchObject({ code: 'incident_overlaps', context: { number: 'I20261207-01' } });
    expect(await core.db.incident.count()).toBe(before);
    // the same area again is the incident already open
    const again = await declareIncident(core, { communityIds: ['c005'], scope: 'station', cause: 'x', actor: 'staff:xincheng-coord' });
    expect(again).toMatchObject({ created: false, incident: { number: 'I20261207-01' } });
  });

  it('refuses an expected restoration in the past, a station no community lists, an unknown community and an empty cause', async () => {
    const past = new Date(core.clock.now().getTime() - MIN);
    const cases = [
      [{ communityIds: ['c011'], expectedAt: past }, 'expected_time_past'],
      [{ stationIds: ['HX-NOPE'] }, 'unknown_station'],
      [{ communityIds: ['c999'] }, 'unknown_community'],
      [{ communityIds: ['c011'], cause: '  ' }, 'validation_failed'],
      [{}, 'validation_failed'],
    ] as const;
    for (const [over, code] of cases) {
      const err = await declareIncident(core, { scope: 'community', cause: '故障', actor: 'staff:x', ...over }).catch((e) => e);
      expect(err?.code, code).toBe(code);
    }
    expect(await openIncidentFor(core, 'c011')).toBeNull();
  });

  it('still names a community removed from the organisation file', async () => {
    const { incident } = await declareIncident(core, { communityIds: ['c012'], scope: 'community', cause: '小区换热站故障', actor: 'staff:huimin-coord' });
    const raw = demoOrg().config;
    const smaller = new Org({ ...raw, communities: raw.communities.filter((c) => c.id !== 'c012') });
    const later = { ...core, org: smaller, stores: openStores(core.db) };
    const read = await getIncident(later, incident.number);
    expect(read.communityIds).toEqual(['c012']);
    expect(read.timeline.map((e) => e.type)).toEqual(['declared']);
  });
});
