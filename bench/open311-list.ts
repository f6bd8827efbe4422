/**
 * Open311 reads benchmark: ~20,000 tickets filed over 90 days (about 5 status steps each, one in
 * ten from a city platform, one in five with a customer), then the median time of the reads a
 * city platform makes: GET requests (the default 90-day window, the 1,000 newest), GET requests
 * with 1,000 ids, and an updates poll over the last hour (by time, and by cursor), and the first page
 * of a backfill (the last day, 89 days, everything after cursor 0). On a temporary
 * SQLite file, and on PostgreSQL when TEST_DATABASE_URL is set (a schema of its own, dropped
 * after). Prints medians; writes nothing to the repo.
 *
 *   npx tsx bench/open311-list.ts [tickets]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { ManualClock } from '../src/core/clock.js';
import type { Core } from '../src/core/context.js';
import { listCityRequests } from '../src/core/open311/list-city-requests.js';
import { listRequestUpdates } from '../src/core/open311/list-request-updates.js';
import { loadOrgFile } from '../src/core/org/load-org.js';
import { Org } from '../src/core/org/org.js';
import { DEMO_ORG } from '../src/config.js';
import { openDb, parseDatabaseUrl } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { insertRowSet } from '../src/db/row-set.js';
import { runnerOf, type Runner } from '../src/db/runner.js';
import { sql } from '../src/db/statement.js';
import { openStores } from '../src/db/stores/index.js';

const NOW = new Date('2026-12-15T02:00:00Z');
const DAY = 86_400_000;
const H = 3_600_000;
const RUNS = 21;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const CATEGORIES = ['no_heat', 'no_heat', 'no_heat', 'leak', 'billing', 'noise_pressure', 'other', 'staff_conduct'] as const;
const BRANCHES = ['xincheng', 'huimin', 'saihan', 'jinqiao'];
/** The steps of a life, in order, minutes after filing. */
const LIFE: [string, string, number][] = [
  ['dispatched', 'dispatched', 0],
  ['accepted', 'accepted', 6],
  ['arrived', 'on_site', 45],
  ['resolved', 'resolved', 180],
  ['callback_requested', 'callback', 180],
  ['closed', 'closed', 600],
];

async function seed(q: Runner, count: number): Promise<void> {
  const r = rng(7);
  const from = NOW.getTime() - 90 * DAY + H;
  const customers = Array.from({ length: 2000 }, (_, i) => ({
    account: String(1010000000 + i),
    name: '住户',
    phone: '13800000000',
    address: '幸福家园1号楼1单元101室',
    communityId: 'c001',
    createdAt: new Date(from),
    updatedAt: new Date(from),
  }));
  await q.run(insertRowSet(q.dialect, 'Customer', customers));
  const customerIds = (await q.all<{ id: unknown }>(sql`SELECT "id" FROM "Customer" ORDER BY "id"`)).map((c) => Number(c.id));
  const plans: { created: number; steps: number; city: boolean }[] = [];
  const BATCH = 2000;
  for (let i0 = 0; i0 < count; i0 += BATCH) {
    const rows = [];
    for (let i = i0; i < Math.min(count, i0 + BATCH); i++) {
      const created = from + Math.floor((i / count) * (NOW.getTime() - from));
      // the older the ticket, the further along its life (the last day's are mostly still open)
      const age = NOW.getTime() - created;
      const steps = Math.min(LIFE.length, age > DAY ? LIFE.length : 1 + Math.floor(r() * LIFE.length));
      const status = LIFE[steps - 1][1];
      const branch = BRANCHES[i % BRANCHES.length];
      plans.push({ created, steps, city: r() < 0.1 });
      rows.push({
        number: `T${i}`,
        kind: 'complaint',
        category: CATEGORIES[Math.floor(r() * CATEGORIES.length)],
        source: 'hotline',
        status,
        description: '暖气不热，室温只有15度',
        firstResponder: 'staff:agent01',
        customerId: r() < 0.2 ? customerIds[Math.floor(r() * customerIds.length)] : null,
        communityId: 'c001',
        branchId: branch,
        unitId: `${branch}-field`,
        arriveDueAt: new Date(created + H),
        resolveDueAt: new Date(created + 24 * H),
        arrivedAt: steps >= 3 ? new Date(created + 45 * 60_000) : null,
        createdAt: new Date(created),
        updatedAt: new Date(created + LIFE[steps - 1][2] * 60_000),
      });
    }
    await q.run(insertRowSet(q.dialect, 'Ticket', rows));
  }
  const ids = (await q.all<{ id: unknown }>(sql`SELECT "id" FROM "Ticket" ORDER BY "id"`)).map((t) => Number(t.id));
  // events in the order they happened, as a running service stores them (ids follow time)
  const events: { ticketId: number; at: Date; type: string; actor: string; fromStatus: string | null; toStatus: string | null }[] = [];
  const city: object[] = [];
  ids.forEach((ticketId, i) => {
    const p = plans[i];
    events.push({ ticketId, at: new Date(p.created), type: 'created', actor: 'staff:agent01', fromStatus: null, toStatus: 'received' });
    let prev = 'received';
    for (const [type, to, min] of LIFE.slice(0, p.steps)) {
      events.push({ ticketId, at: new Date(p.created + min * 60_000), type, actor: 'system', fromStatus: prev, toStatus: to });
      prev = to;
    }
    // a note now and then: not a step a platform follows
    if (i % 3 === 0) events.push({ ticketId, at: new Date(p.created + 20 * 60_000), type: 'note', actor: 'system', fromStatus: null, toStatus: null });
    if (p.city)
      city.push({
        ticketId,
        clientId: 'city12345',
        serviceCode: 'no_heat',
        addressString: '幸福家园5号楼',
        lat: 40.844,
        long: 111.69,
        attributes: '{}',
        createdAt: new Date(p.created),
      });
  });
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (let i = 0; i < events.length; i += 5000) await q.run(insertRowSet(q.dialect, 'TicketEvent', events.slice(i, i + 5000)));
  for (let i = 0; i < city.length; i += 2000) await q.run(insertRowSet(q.dialect, 'CityRequest', city.slice(i, i + 2000)));
  // the planners' statistics, as a running database has them
  await q.run(sql`ANALYZE`);
}

async function timed(fn: () => Promise<unknown>): Promise<{ medianMs: number; size: number }> {
  let size = 0;
  for (let i = 0; i < 3; i++) await fn(); // warm: statements prepared, pages cached
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const out = await fn();
    runs.push(performance.now() - t);
    size = Array.isArray(out) ? out.length : 0;
  }
  return { medianMs: median(runs), size };
}

async function bench(label: string, url: string, count: number): Promise<void> {
  const target = parseDatabaseUrl(url);
  await migrate(target);
  const db = await openDb(target);
  try {
    const q = runnerOf(db);
    const t0 = performance.now();
    await seed(q, count);
    const seeded = performance.now() - t0;
    const core: Core = { stores: openStores(db), org: new Org(loadOrgFile(DEMO_ORG)), clock: new ManualClock(NOW) };
    const tickets = Number((await q.get<{ n: unknown }>(sql`SELECT COUNT(*) AS n FROM "Ticket"`))?.n);
    const events = Number((await q.get<{ n: unknown }>(sql`SELECT COUNT(*) AS n FROM "TicketEvent"`))?.n);
    const hourAgo = new Date(NOW.getTime() - H);
    const cursor = Number((await q.get<{ id: unknown }>(sql`SELECT MAX("id") AS id FROM "TicketEvent" WHERE "at" < ${hourAgo}`))?.id);
    const numbers = Array.from({ length: 1000 }, (_, i) => `T${Math.floor((i * tickets) / 1000)}`);
    const results = {
      'GET requests (default window, 1,000 newest)': await timed(() => listCityRequests(core, { publicView: true })),
      'GET requests?status=open': await timed(() => listCityRequests(core, { status: ['open'], publicView: true })),
      'GET requests with 1,000 ids': await timed(() => listCityRequests(core, { numbers, publicView: false })),
      'updates: start_date = an hour ago': await timed(() => listRequestUpdates(core, { start: hourAgo, publicView: true })),
      'updates: after = the cursor of an hour ago': await timed(() => listRequestUpdates(core, { after: cursor, publicView: true })),
      'updates: the last day (default), first 1,000': await timed(() => listRequestUpdates(core, { publicView: true })),
      'updates: start_date = 89 days ago, first 1,000': await timed(() =>
        listRequestUpdates(core, { start: new Date(NOW.getTime() - 89 * DAY), publicView: true }),
      ),
      'updates: after = 0, first 1,000': await timed(() => listRequestUpdates(core, { after: 0, publicView: true })),
    };
    console.log(
      `\n${label}: ${tickets.toLocaleString('en')} tickets, ${events.toLocaleString('en')} events (seeded in ${(seeded / 1000).toFixed(1)} s); median of ${RUNS}`,
    );
    for (const [name, r] of Object.entries(results)) console.log(`  ${name.padEnd(48)} ${r.medianMs.toFixed(1).padStart(7)} ms  (${r.size} rows)`);
  } finally {
    await db.$disconnect();
  }
}

const count = Number(process.argv[2] ?? 20_000);
const dir = mkdtempSync(join(tmpdir(), 'open311-bench-'));
try {
  await bench('SQLite', `file:${join(dir, 'bench.db')}`, count);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const PG_URL = process.env.TEST_DATABASE_URL;
if (PG_URL) {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const u = new URL(PG_URL);
  u.searchParams.set('schema', schema);
  try {
    await bench('PostgreSQL', u.toString(), count);
  } finally {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await c.end();
  }
}
