import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCore, type OpenedCore } from '../../src/bootstrap.js';
import { DEMO_ORG, readSettings } from '../../src/config.js';
import { ManualClock } from '../../src/core/clock.js';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { seedHistory, seedHistoryAtStart } from '../../src/db/seed-history.js';
import { auth, makeTestApp, TEST_TOKEN } from '../helpers/app.js';
import { freshDatabaseUrl, makeTestCore, type TestCore } from '../helpers/core.js';
import { runnerOf } from '../../src/db/runner.js';
import { sql } from '../../src/db/statement.js';
import type { FastifyInstance } from 'fastify';

/** A newcomer's first start on 3 December: the season so far is 15 October to 2 December. */
const FIRST_START = '2026-12-03T02:00:00Z';

let core: TestCore;
let app: FastifyInstance;
let seeded: Awaited<ReturnType<typeof seedHistory>>;
let seedMs = 0;

beforeAll(async () => {
  core = await makeTestCore({ start: FIRST_START });
  await seedDemoCustomers(core);
  const started = performance.now();
  seeded = await seedHistory(core, runnerOf(core.db));
  seedMs = performance.now() - started;
  ({ app } = await makeTestApp({}, core));
}, 60_000);
afterAll(async () => {
  await app?.close();
  await core?.close();
});

describe('the demo history', () => {
  it('fills an empty database with the season so far, every ticket finished, in a few seconds', async () => {
    expect(seeded).toMatchObject({ from: new Date('2026-10-14T16:00:00Z'), to: new Date('2026-12-02T16:00:00Z') });
    expect(seeded!.tickets).toBeGreaterThan(500);
    expect(await core.db.ticket.count()).toBe(seeded!.tickets);
    expect(await core.db.ticket.count({ where: { status: { not: 'closed' } } })).toBe(0);
    expect(await core.db.ticket.count({ where: { createdAt: { gte: seeded!.to } } })).toBe(0);
    // every branch, several kinds, some late, some reopened, service forms and paid services
    const byBranch = await core.db.ticket.groupBy({ by: ['branchId'], _count: true });
    expect(byBranch.map((b) => b.branchId).sort()).toEqual(['huimin', 'jinqiao', 'saihan', 'xincheng', 'yuquan']);
    expect((await core.db.ticket.groupBy({ by: ['kind'], _count: true })).length).toBe(4);
    expect(await core.db.ticket.count({ where: { overdueAt: { not: null } } })).toBeGreaterThan(0);
    expect(await core.db.ticket.count({ where: { reopenCount: { gt: 0 } } })).toBeGreaterThan(0);
    expect(await core.db.serviceForm.count({ where: { feesCents: { gt: 0 } } })).toBeGreaterThan(0);
    expect(await core.db.serviceForm.count({ where: { hqReturnedAt: null } })).toBe(0);
    expect(seedMs).toBeLessThan(core.provider === 'sqlite' ? 3000 : 10_000);
  });

  it('holds two or three restored station incidents, each with dozens of linked no-heat reports', async () => {
    const incidents = await core.db.incident.findMany({ orderBy: { declaredAt: 'asc' } });
    expect(incidents.length).toBeGreaterThanOrEqual(2);
    expect(incidents.length).toBeLessThanOrEqual(3);
    for (const i of incidents) {
      expect(i.status).toBe('restored');
      const linked = await core.db.ticket.findMany({ where: { incidentId: i.id } });
      expect(linked.length).toBe(i.linkedCount);
      expect(i.linkedCount).toBeGreaterThanOrEqual(24);
      expect(new Set(linked.map((t) => t.category))).toEqual(new Set(['no_heat']));
      expect(linked.every((t) => JSON.parse(i.communityIds).includes(t.communityId))).toBe(true);
      expect(linked.every((t) => t.resolvedAt?.getTime() === i.restoredAt?.getTime())).toBe(true);
      const resolved = await core.db.ticketEvent.findFirstOrThrow({ where: { ticketId: linked[0].id, type: 'resolved' } });
      expect(JSON.parse(resolved.data!)).toEqual({ incidentId: i.id });
      const areas = await core.db.incidentArea.findMany({ where: { incidentId: i.id } });
      expect(areas.map((a) => a.communityId).sort()).toEqual([...JSON.parse(i.communityIds)].sort());
      expect(areas.every((a) => a.openCommunity === null)).toBe(true);
      const timeline = await core.db.incidentEvent.findMany({ where: { incidentId: i.id }, orderBy: { at: 'asc' } });
      expect(timeline.map((e) => e.type)).toEqual(['declared', 'updated', 'restored']);
    }
  });

  it('owes no message: no outbox row, no scheduled alert, no callback or deadline left open', async () => {
    expect(await core.db.outboxMessage.count()).toBe(0);
    expect(await core.db.scheduledAlert.count()).toBe(0);
    expect(await core.db.callback.count({ where: { status: 'pending' } })).toBe(0);
    expect(await core.db.deadline.count({ where: { metAt: null, missedAt: null, supersededAt: null } })).toBe(0);
  });

  it('gives a KPI report over the seeded November with rates between 80 and 100 % for every branch', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/kpi?period=2026-11', headers: auth });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.branches).toHaveLength(5);
    for (const b of [...body.branches, body.company]) {
      for (const rate of ['repairTimeliness', 'satisfaction', 'complaintTimeliness', 'complaintCompletion', 'complaintSatisfaction']) {
        expect(b[rate].denominator, `${b.branchId} ${rate}`).toBeGreaterThan(0);
        expect(b[rate].percent, `${b.branchId} ${rate}`).toBeGreaterThanOrEqual(80);
        expect(b[rate].percent, `${b.branchId} ${rate}`).toBeLessThanOrEqual(100);
      }
    }
    expect(body.company.reopened).toBeGreaterThan(0);
  });

  it('shows the newcomer’s dashboard the season’s restored incidents, and none open', async () => {
    const login = await app.inject({
      method: 'POST',
      url: '/dashboard/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: `token=${encodeURIComponent(TEST_TOKEN)}`,
    });
    const cookie = String(login.headers['set-cookie']).split(';')[0];
    const body = (await app.inject({ method: 'GET', url: '/dashboard/incidents', headers: { cookie } })).body;
    expect(body).toContain('当前没有进行中的事件。');
    for (const i of await core.db.incident.findMany()) expect(body).toContain(`<tr data-number="${i.number}">`);
  });

  it('adds nothing on a second run, and plans the same season from the same seed', async () => {
    const before = await core.db.ticketEvent.count();
    expect(await seedHistory(core, runnerOf(core.db))).toBeNull();
    expect(await core.db.ticketEvent.count()).toBe(before);
    const first = await core.db.ticket.findFirstOrThrow({ orderBy: { id: 'asc' } });
    const again = await makeTestCore({ start: FIRST_START });
    try {
      await seedDemoCustomers(again);
      const h = await seedHistory(again, runnerOf(again.db));
      expect(h?.tickets).toBe(seeded!.tickets);
      const same = await again.db.ticket.findFirstOrThrow({ orderBy: { id: 'asc' } });
      expect({ ...same, id: 0 }).toEqual({ ...first, id: 0 });
    } finally {
      await again.close();
    }
  });

  it('leaves a database with tickets in it alone', async () => {
    const other = await makeTestCore({ start: FIRST_START });
    try {
      await other.db.ticketCounter.create({ data: { key: 'x', value: 1 } });
      await other.db.ticket.create({
        data: {
          number: 'T20261202-0001',
          kind: 'complaint',
          category: 'no_heat',
          source: 'hotline',
          status: 'received',
          description: '暖气不热',
          firstResponder: 'staff:agent01',
        },
      });
      expect(await seedHistory(other, runnerOf(other.db))).toBeNull();
      expect(await other.db.ticket.count()).toBe(1);
    } finally {
      await other.close();
    }
  });
});

describe('seeding at start-up', () => {
  const starts: OpenedCore[] = [];
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const c of starts) await c.close();
    for (const d of drops) await d();
  });
  const open = async () => {
    const fresh = freshDatabaseUrl();
    drops.push(fresh.drop);
    const c = await openCore({ databaseUrl: fresh.url, orgConfig: DEMO_ORG, clock: new ManualClock(FIRST_START) });
    starts.push(c);
    return { c, url: fresh.url };
  };
  const ticketCount = async (c: OpenedCore) => Number((await c.runner.get<{ n: unknown }>(sql`SELECT COUNT(*) AS n FROM "Ticket"`))?.n);
  const settings = (env: Record<string, string>) => readSettings({ API_TOKEN: 'test-api-token-0123456789-abcdefghij', ...env });

  it('is on by default with the demo organisation, off with another one unless asked for', () => {
    expect(settings({}).demoHistory).toBe(true);
    expect(settings({ DEMO_HISTORY: '0' }).demoHistory).toBe(false);
    expect(settings({ ORG_CONFIG: 'config/other-org.yaml' }).demoHistory).toBe(false);
    expect(settings({ ORG_CONFIG: 'config/other-org.yaml', DEMO_HISTORY: '1' }).demoHistory).toBe(true);
  });

  it('DEMO_HISTORY=0 seeds nothing', async () => {
    const { c } = await open();
    expect(await seedHistoryAtStart(c, settings({ DEMO_HISTORY: '0' }))).toBeNull();
    expect(await ticketCount(c)).toBe(0);
  });

  it('two instances starting together on an empty database seed it once', async () => {
    const { c, url } = await open();
    const twin = await openCore({ databaseUrl: url, orgConfig: DEMO_ORG, clock: new ManualClock(FIRST_START) });
    starts.push(twin);
    const on = settings({});
    const [a, b] = await Promise.all([seedHistoryAtStart(c, on), seedHistoryAtStart(twin, on)]);
    expect([a, b].filter(Boolean)).toHaveLength(1);
    const n = (a ?? b)!.tickets;
    expect(n).toBeGreaterThan(0);
    expect(await ticketCount(c)).toBe(n);
  });
});
