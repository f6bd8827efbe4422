/**
 * The incident store on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): a declaration, its race, the open-incident read, the residents to
 * tell and the card behave the same on both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Declaration } from '../../../src/core/ports/incident-store.js';
import { outboxRow } from '../../../src/core/outbox/enqueue.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore({ start: '2026-12-06T19:00:00Z' });
});
afterAll(() => core?.close());

function declaration(communityIds: string[], over: Partial<Declaration['incident']> = {}): Declaration {
  const at = core.clock.now();
  return {
    counter: 'I20261207',
    incident: {
      scope: 'community',
      cause: '主管道破裂',
      severity: 'normal',
      branchIds: ['xincheng'],
      communityIds,
      stationIds: [],
      expectedAt: null,
      resolveDueAt: new Date(at.getTime() + 86_400_000),
      declaredBy: 'staff:xincheng-coord',
      declaredAt: at,
      proposalKey: null,
      ...over,
    },
    event: { at, type: 'declared', actor: 'staff:xincheng-coord', note: null, data: null },
    link: { since: new Date(at.getTime() - 30 * 60_000) },
    owes: (incident) => [
      outboxRow({ key: `inc:${incident.id}:test`, platform: 'slack', target: 'C1', kind: 'incident_card', payload: { incidentId: incident.id } }, at),
    ],
  };
}

describe('the incident store', () => {
  it('stores a declaration with its number, lists, areas, timeline line and owed rows, and reads it back', async () => {
    const s = core.stores.incidents;
    const { incident, created } = await s.declare(declaration(['c001', 'c005']));
    expect(created).toBe(true);
    expect(incident).toMatchObject({
      number: 'I20261207-01',
      status: 'open',
      communityIds: ['c001', 'c005'],
      branchIds: ['xincheng'],
      linkedCount: 0,
      version: 0,
    });
    expect(await s.openFor('c005')).toEqual(incident);
    expect(await s.byNumber('I20261207-01')).toEqual(incident);
    expect((await s.events(incident.id)).map((e) => e.type)).toEqual(['declared']);
    expect(await core.db.outboxMessage.count({ where: { key: `inc:${incident.id}:test` } })).toBe(1);
  });

  it('lets one of two simultaneous declarations of a community win; the other stores nothing and gets the winner', async () => {
    const s = core.stores.incidents;
    const before = await core.db.incident.count();
    const [a, b] = await Promise.all([s.declare(declaration(['c002'])), s.declare(declaration(['c002', 'c003']))]);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    expect(a.incident.id).toBe(b.incident.id);
    expect(await core.db.incident.count()).toBe(before + 1);
    // the loser's number was given back with its transaction: no gap
    expect(a.incident.number).toBe('I20261207-02');
  });

  it('answers the same proposal key with the incident already declared', async () => {
    const s = core.stores.incidents;
    const first = await s.declare(declaration(['c004'], { proposalKey: 'c004:1' }));
    const second = await s.declare(declaration(['c008'], { proposalKey: 'c004:1' }));
    expect(second).toMatchObject({ created: false, incident: { id: first.incident.id } });
    expect(await s.openFor('c008')).toBeNull();
  });

  it('names the reachable residents of the communities, bound or placed by hand, once each', async () => {
    const customer = await core.db.customer.create({
      data: { account: '9900000001', name: '甲', phone: '13900000001', address: 'c006 1号', communityId: 'c006' },
    });
    const bound = await core.db.resident.create({ data: { telegramUserId: 'r1', chatId: 'r1', locale: 'en', customerId: customer.id } });
    const byHand = await core.db.resident.create({ data: { telegramUserId: 'r2', chatId: 'r2', communityId: 'c006' } });
    await core.db.resident.create({ data: { telegramUserId: 'r3', chatId: 'r3', communityId: 'c006', unreachableAt: core.clock.now() } });
    await core.db.resident.create({ data: { telegramUserId: 'r4', chatId: 'r4', communityId: 'c007' } });
    expect(await core.stores.incidents.residentsToNotify(['c006'], 0)).toEqual([
      { residentId: bound.id, chatId: 'r1', locale: 'en', ticketId: null },
      { residentId: byHand.id, chatId: 'r2', locale: 'zh-CN', ticketId: null },
    ]);
  });

  it('keeps one card per incident and channel, its ts replaced by a later post', async () => {
    const s = core.stores.incidents;
    expect(await s.cardOf(1, 'C1XINCHEU')).toBeNull();
    await s.saveCard({ incidentId: 1, channel: 'C1XINCHEU', ts: '1.1' });
    await s.saveCard({ incidentId: 1, channel: 'C1XINCHEU', ts: '1.2' });
    expect(await s.cardOf(1, 'C1XINCHEU')).toBe('1.2');
  });

  it('refuses a change decided on a stale version', async () => {
    const s = core.stores.incidents;
    const inc = (await s.openFor('c001'))!;
    const at = core.clock.now();
    const change = {
      id: inc.id,
      version: inc.version,
      patch: { cause: '泵故障', updatedAt: at },
      event: { at, type: 'updated' as const, actor: 'x', note: null, data: null },
      messages: [],
    };
    expect((await s.update(change)).version).toBe(inc.version + 1);
    await expect(s.update(change)).rejects.toMatchObject({ code: 'concurrent_update' });
  });
});
