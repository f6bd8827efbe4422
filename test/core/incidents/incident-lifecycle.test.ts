import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declareIncident } from '../../../src/core/incidents/declare-incident.js';
import { linkTicket } from '../../../src/core/incidents/link-ticket.js';
import { listIncidents } from '../../../src/core/incidents/list-incidents.js';
import { restoreIncident } from '../../../src/core/incidents/restore-incident.js';
import { updateIncident } from '../../../src/core/incidents/update-incident.js';
import { computeKpis } from '../../../src/core/kpi/compute-kpis.js';
import type { Incident } from '../../../src/core/model.js';
import { fileResidentReport } from '../../../src/core/residents/file-resident-report.js';
import { createTicket } from '../../../src/core/tickets/create-ticket.js';
import { recordCallback } from '../../../src/core/tickets/record-callback.js';
import { transitionTicket } from '../../../src/core/tickets/transition-ticket.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';
import { hotlineComplaint } from '../../helpers/builders.js';

let core: TestCore;
const MIN = 60_000;
let station: Incident;

async function boundResident(communityId: string, n: number) {
  const customer = await core.db.customer.create({
    data: {
      account: `88${communityId}${String(n).padStart(4, '0')}`,
      name: `住户${n}`,
      phone: `1380000${String(n).padStart(4, '0')}`,
      address: `${communityId} ${n}号`,
      communityId,
    },
  });
  return core.db.resident.create({ data: { telegramUserId: `${communityId}-${n}`, chatId: `${communityId}-${n}`, customerId: customer.id } });
}

const report = (residentId: number, category: 'no_heat' | 'leak' = 'no_heat') =>
  fileResidentReport(core, {
    residentId,
    kind: 'complaint',
    category,
    description: category === 'leak' ? '暖气片漏水了' : '暖气不热',
    confirmation: { locale: 'zh-CN', replyTo: 5 },
  });
const rowsOf = (ticketId: number) => core.db.outboxMessage.findMany({ where: { payload: { contains: `"ticketId":${ticketId},` } }, orderBy: { id: 'asc' } });

beforeAll(async () => {
  core = await makeTestCore({ start: '2026-12-06T19:00:00Z' });
  station = (await declareIncident(core, { stationIds: ['HX-XI02'], scope: 'station', cause: '换热站循环泵故障', actor: 'staff:xincheng-coord' })).incident;
});
afterAll(async () => core?.close());

describe('a report while an incident is open', () => {
  it('links a no-heat report from an affected community: no dispatch card, no one-hour clock, the incident answers (R27)', async () => {
    const resident = await boundResident('c001', 1);
    const t = await report(resident.id);
    expect(t).toMatchObject({
      incidentId: station.id,
      status: 'accepted',
      scope: 'primary',
      ackDueAt: null,
      arriveDueAt: null,
      resolveDueAt: station.resolveDueAt,
    });
    const owed = await rowsOf(t.id);
    expect(owed.map((m) => m.kind)).toEqual(['incident_reply']);
    expect(JSON.parse(owed[0].payload)).toMatchObject({ incidentId: station.id, ticketId: t.id, replyTo: 5, locale: 'zh-CN' });
    expect(await core.db.deadline.findMany({ where: { ticketId: t.id }, select: { name: true, dueAt: true } })).toEqual([
      { name: 'resolve', dueAt: station.resolveDueAt },
    ]);
    expect(await core.db.scheduledAlert.count({ where: { ticketId: t.id } })).toBe(0);
    expect((await core.db.ticketEvent.findMany({ where: { ticketId: t.id }, orderBy: { id: 'asc' } })).map((e) => e.type)).toEqual([
      'created',
      'dispatched',
      'linked',
    ]);
    expect((await core.db.incident.findUniqueOrThrow({ where: { id: station.id } })).linkedCount).toBe(1);
  });

  it("refreshes the incident's card once per ten seconds however many reports come", async () => {
    const before = await core.db.outboxMessage.count({ where: { kind: 'incident_card' } });
    for (let i = 2; i < 6; i++) await report((await boundResident('c005', i)).id);
    core.clock.advance(10_000);
    await report((await boundResident('c005', 6)).id);
    expect((await core.db.outboxMessage.count({ where: { kind: 'incident_card' } })) - before).toBeLessThanOrEqual(2);
    expect((await core.db.incident.findUniqueOrThrow({ where: { id: station.id } })).linkedCount).toBe(6);
  });

  it('files and dispatches a leak in an affected community as usual', async () => {
    const t = await report((await boundResident('c009', 1)).id, 'leak');
    expect(t).toMatchObject({ incidentId: null, status: 'dispatched', severity: 'urgent' });
    expect((await rowsOf(t.id)).map((m) => m.kind).sort()).toEqual(['ticket_card', 'ticket_filed', 'urgent_alert']);
  });

  it('files a no-heat report from an unaffected community as usual', async () => {
    const t = await report((await boundResident('c002', 1)).id);
    expect(t).toMatchObject({ incidentId: null, status: 'dispatched' });
    expect((await rowsOf(t.id)).map((m) => m.kind).sort()).toEqual(['ticket_card', 'ticket_filed']);
    expect(t.arriveDueAt).not.toBeNull();
  });

  it('lets staff link a report intake could not place, with a reason, and counts it', async () => {
    const t = await createTicket(core, hotlineComplaint({ customerAccount: undefined, communityId: 'c009', description: '整栋楼不热' }));
    const { incident, ticket } = await linkTicket(core, { ticketId: t.id, incidentId: station.number, actor: 'staff:xincheng-coord', reason: '同一换热站' });
    expect(ticket).toMatchObject({ incidentId: station.id, status: 'accepted' });
    expect(incident.linkedCount).toBe(7);
    const ev = await core.db.ticketEvent.findFirstOrThrow({ where: { ticketId: t.id, type: 'linked' } });
    expect(ev.note).toBe('同一换热站');
    await expect(linkTicket(core, { ticketId: t.id, incidentId: station.id, actor: 'staff:x', reason: ' ' })).rejects.toMatchObject({
      code: 'validation_failed',
    });
  });
});

describe('changing and restoring an incident', () => {
  it('tells every resident again when the expected time changes, and refuses a time in the past', async () => {
    const expectedAt = new Date(core.clock.now().getTime() + 4 * 60 * MIN);
    const updated = await updateIncident(core, { id: station.id, actor: 'staff:xincheng-coord', expectedAt, note: '配件已到' });
    expect(updated.expectedAt).toEqual(expectedAt);
    const notices = await core.db.outboxMessage.findMany({ where: { kind: 'incident_notice', key: { contains: `inc:${station.id}:notice:updated:` } } });
    expect(notices).toHaveLength(7);
    const withTicket = notices.map((n) => JSON.parse(n.payload)).filter((p) => p.ticketId);
    expect(withTicket).toHaveLength(6);
    await expect(updateIncident(core, { id: station.id, actor: 'staff:x', expectedAt: new Date(core.clock.now().getTime() - MIN) })).rejects.toMatchObject({
      code: 'expected_time_past',
    });
    // a note alone is a line on the timeline and tells nobody
    await updateIncident(core, { id: station.id, actor: 'staff:x', note: '抢修队已到场' });
    expect(await core.db.outboxMessage.count({ where: { kind: 'incident_notice', key: { contains: `inc:${station.id}:notice:updated:` } } })).toBe(7);
  });

  it('resolves every linked report, opens their callbacks and tells each resident once (R8h)', async () => {
    core.clock.advance(3 * 60 * MIN);
    const restored = await restoreIncident(core, { id: station.id, actor: 'staff:xincheng-coord', note: '循环泵已更换，供热恢复' });
    expect(restored).toMatchObject({ status: 'restored', restoredBy: 'staff:xincheng-coord' });
    const linked = await core.db.ticket.findMany({ where: { incidentId: station.id } });
    expect(linked).toHaveLength(7);
    for (const t of linked) expect(t.status).toBe('callback');
    const resolved = await core.db.ticketEvent.findMany({ where: { ticketId: { in: linked.map((t) => t.id) }, type: 'resolved' } });
    expect(resolved.map((e) => JSON.parse(e.data!).incidentId)).toEqual(linked.map(() => station.id));
    expect(await core.db.callback.count({ where: { ticketId: { in: linked.map((t) => t.id) } } })).toBe(7);
    // the resident is not told twice: no ticket update of its own, the heat-back notice instead
    expect(await core.db.outboxMessage.count({ where: { kind: 'resident_update', payload: { contains: '"event":"resolved"' } } })).toBe(0);
    const notices = await core.db.outboxMessage.findMany({ where: { kind: 'incident_notice', key: { contains: `inc:${station.id}:notice:restored:` } } });
    expect(notices).toHaveLength(7);
    expect(new Set(notices.map((n) => n.target)).size).toBe(7);
    // its communities are free: the next failure there is a new incident
    const next = await declareIncident(core, { communityIds: ['c001'], scope: 'community', cause: '又停了', actor: 'staff:xincheng-coord' });
    expect(next.created).toBe(true);
  });

  it('files a report as an ordinary one when the incident intake read was restored before the filing', async () => {
    const resident = await boundResident('c009', 2);
    // the incident as intake read it a moment before the restoration
    const { account } = await core.db.customer.findUniqueOrThrow({ where: { id: resident.customerId! } });
    const t = await createTicket(core, {
      kind: 'complaint',
      category: 'no_heat',
      source: 'telegram',
      description: '暖气不热',
      firstResponder: 'telegram',
      residentId: resident.id,
      customerAccount: account,
      incident: station,
      onceKeys: ['tg:late:1'],
    });
    expect(t).toMatchObject({ incidentId: null, status: 'dispatched' });
    expect((await rowsOf(t.id)).map((m) => m.kind)).toEqual(['ticket_card']);
    expect((await core.db.incident.findUniqueOrThrow({ where: { id: station.id } })).linkedCount).toBe(7);
  });

  it('leaves a restoration undone when a report joined after its plans were read', async () => {
    const { incident } = await declareIncident(core, { communityIds: ['c008'], scope: 'community', cause: '阀门故障', actor: 'staff:xincheng-coord' });
    await report((await boundResident('c008', 1)).id);
    const at = core.clock.now();
    const change = {
      id: incident.id,
      version: incident.version,
      patch: { status: 'restored' as const, restoredAt: at, updatedAt: at },
      event: { at, type: 'restored' as const, actor: 'x', note: null, data: null },
      messages: [],
    };
    await expect(core.stores.incidents.restore({ ...change, tickets: [] })).rejects.toMatchObject({ code: 'concurrent_update', context: { lateLinks: 1 } });
    expect((await core.db.incident.findUniqueOrThrow({ where: { id: incident.id } })).status).toBe('open');
    await restoreIncident(core, { id: incident.id, actor: 'staff:xincheng-coord' });
  });

  it('refuses to restore an incident twice', async () => {
    await expect(restoreIncident(core, { id: station.id, actor: 'staff:x' })).rejects.toMatchObject({
      code: 'invalid_transition',
      context: { from: 'restored', action: 'restore' },
    });
    await expect(updateIncident(core, { id: station.id, actor: 'staff:x', note: 'x' })).rejects.toMatchObject({ code: 'invalid_transition' });
  });

  it('still counts each linked report as a repair request for R27, timely when heat came back within 24 hours', async () => {
    const from = new Date('2026-12-06T00:00:00Z');
    const report = await computeKpis(core, { from, to: new Date(core.clock.now().getTime() + MIN) });
    const xincheng = report.branches.find((b) => b.branchId === 'xincheng')!;
    // 7 linked (timely: repaired 3 h after) + the leak, the unaffected report and the one filed after the restoration
    // (nobody on site yet: pending), and the one linked to the second incident (restored at once: timely)
    expect(xincheng.repairTimeliness.denominator).toBe(11);
    expect(xincheng.repairTimeliness.numerator).toBe(8);
  });

  it("closes a linked report after the resident's rating without a dispatch card of its own", async () => {
    const t = (await core.db.ticket.findFirstOrThrow({ where: { incidentId: station.id, status: 'callback' }, orderBy: { id: 'asc' } }))!;
    // the resident's rating answers the callback, which closes the ticket (a bare close with a satisfaction is refused: R28)
    const cb = await core.db.callback.findFirstOrThrow({ where: { ticketId: t.id, status: 'pending' } });
    const actor = t.residentId ? `resident:${t.residentId}` : 'staff:agent01';
    await recordCallback(core, { callbackId: cb.id, actor, reached: true, satisfaction: 'satisfied' });
    expect((await core.db.ticket.findUniqueOrThrow({ where: { id: t.id } })).status).toBe('closed');
    expect((await rowsOf(t.id)).filter((m) => m.kind === 'ticket_card')).toEqual([]);
    // still cold after all: reopened, it is the branch's own job again, with its card
    await transitionTicket(core, { number: t.number, action: 'reopen', actor: 'system', note: '还是不热' });
    expect((await rowsOf(t.id)).filter((m) => m.kind === 'ticket_card')).toHaveLength(1);
  });

  it('lists incidents newest first with their counts, by status', async () => {
    const open = await listIncidents(core, { status: 'open' });
    expect(open.incidents.map((i) => i.communityIds)).toEqual([['c001']]);
    const restored = await listIncidents(core, { status: 'restored' });
    expect(restored.incidents.map((i) => [i.number, i.linkedCount])).toEqual([
      ['I20261207-03', 1],
      [station.number, 7],
    ]);
    await expect(listIncidents(core, { status: 'closed' as never })).rejects.toMatchObject({ code: 'validation_failed' });
  });
});
