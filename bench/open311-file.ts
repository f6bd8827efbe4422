/**
 * Open311 filing throughput (issue 18): `POST /open311/v2/requests.json`, form-encoded as
 * GeoReport v2 gives it, with the operator's API_TOKEN as `Authorization: Bearer`, to the
 * compiled service over loopback HTTP; paired in the same run, on the same service and database,
 * with the Telegram intake path (a bound resident's leak report to /telegram/webhook, as
 * bench/intake.ts sends it), so the two read as a ratio on this shared, noisy machine.
 *
 * Filings: service_code=no_heat with a description and an address_string naming a demo
 * community ("幸福家园3号楼2单元501"); one in ten a leak with attribute[water_running]=yes and a
 * lat/long 60 m from a community (found by the point, urgent). Closed loop at c=10 and c=50:
 * each connection sends its next request when the last is answered and stops sending at the
 * deadline, but every request sent is answered and counted (autocannon drops the ones in flight
 * at the end, whose tickets would then be stored yet never counted). A filing counts when it is
 * answered 200 with a service_request_id; a Telegram report counts as the ticket it stored (the
 * webhook answers 200 either way). After a warm-up of both, 3 runs of each at each concurrency,
 * alternating which path goes first; medians printed. At the end the tickets the database holds
 * from each path are printed beside the answers counted: they must match.
 *
 *   npx tsx bench/open311-file.ts
 *   BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test npx tsx bench/open311-file.ts
 *     (also on PostgreSQL, in a schema of its own, dropped after)
 *   options: --duration 8 --warmup 2 --runs 3 --concurrency 10,50 --no-build
 *
 * Builds the service first (npm run build, into the git-ignored dist/), as bench/run.ts does.
 * Writes nothing into the repository.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { DEMO_ORG } from '../src/config.js';
import { loadOrgFile } from '../src/core/org/load-org.js';
import { FakeTelegramApi } from '../tools/dev/fake-telegram-api.js';
import { bindResidents, textUpdate } from './intake.js';
import { startService } from './service.js';

const SECRET = 'bench-webhook-secret-0123456789abcdef';
const TOKEN = 'bench-api-token-0123456789abcdefghij';
const FIRST_USER = 900_000_000;
/** enough bound residents that none reports twice (a second leak would join the first as a follow-up) */
const RESIDENTS = 150_000;
const LEAKS = ['楼上跑水了，水顺着墙往下流', '家里暖气片漏水了，地上都是水', '暖气管爆管了，快来人', '卫生间暖气跑水，楼下也被淹了'];

const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '8' },
    warmup: { type: 'string', default: '2' },
    runs: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '10,50' },
    'no-build': { type: 'boolean', default: false },
  },
});
const DURATION_S = Number(args.duration);
const WARMUP_S = Number(args.warmup);
const RUNS = Number(args.runs);
const CONCURRENCY = args.concurrency.split(',').map(Number);

const communities = loadOrgFile(DEMO_ORG).communities.filter((c) => c.lat !== undefined && c.lon !== undefined);

let filing = 0;
/** One filing's form: a no-heat complaint at a community's address, or (one in ten) a running leak at a point. */
function filingForm(): string {
  const n = filing++;
  const c = communities[n % communities.length];
  const form = new URLSearchParams();
  if (n % 10 === 9) {
    form.set('service_code', 'leak');
    form.set('description', `楼道里暖气管漏水，水一直在流（${n}）`);
    form.set('attribute[water_running]', 'yes');
    // about 60 m north-east of the community: found by the point, well within 2 km
    form.set('lat', (c.lat! + 0.0004).toFixed(6));
    form.set('long', (c.lon! + 0.0005).toFixed(6));
  } else {
    form.set('service_code', 'no_heat');
    form.set('description', `家里暖气不热，只有十四度（${n}）`);
    form.set('address_string', `${c.name}3号楼2单元501`);
  }
  return form.toString();
}

let updateId = 1;
function leakUpdate(): string {
  const id = updateId++;
  return textUpdate(id, FIRST_USER + (id % RESIDENTS), LEAKS[id % LEAKS.length]);
}

interface Run {
  path: 'open311' | 'telegram';
  connections: number;
  /** seconds from the first request sent to the last answer received */
  elapsedS: number;
  /** answers received */
  answers: number;
  /** Open311: 200 answers holding a service_request_id; Telegram: 200 answers */
  counted: number;
  /** tickets of this path the database gained during the run */
  tickets: number;
  /** what the run achieved per second: counted filings (Open311), tickets stored (Telegram) */
  perS: number;
  p50: number;
  p99: number;
  errors: number;
  /** the first answer not counted, for the report */
  sample?: string;
}

/**
 * A closed loop over keep-alive sockets: `connections` senders, each sending its next request when
 * the last is answered, until the deadline; every request sent is awaited, so none is in flight
 * (stored but uncounted) when the run ends.
 */
async function closedLoop(o: {
  url: string;
  connections: number;
  durationS: number;
  headers: Record<string, string>;
  body: () => string;
  counts: (status: number, body: string) => boolean;
}): Promise<Omit<Run, 'path' | 'tickets' | 'perS'>> {
  const u = new URL(o.url);
  if (!/^(127\.0\.0\.1|localhost|\[::1\])$/.test(u.hostname)) throw new Error('load tests go to loopback only');
  const agent = new http.Agent({ keepAlive: true, maxSockets: o.connections });
  const latencies: number[] = [];
  let [answers, counted, errors] = [0, 0, 0];
  let sample: string | undefined;
  const send = (body: string) =>
    new Promise<{ status: number; text: string } | null>((res) => {
      const req = http.request(
        { host: u.hostname, port: u.port, path: u.pathname, method: 'POST', agent, headers: { ...o.headers, 'content-length': Buffer.byteLength(body) } },
        (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => res({ status: r.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          r.on('error', () => res(null));
        },
      );
      req.on('error', () => res(null));
      req.end(body);
    });
  const t0 = performance.now();
  const end = t0 + o.durationS * 1000;
  const sender = async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const r = await send(o.body());
      if (!r) {
        errors++;
        await new Promise((w) => setTimeout(w, 50));
        continue;
      }
      latencies.push(performance.now() - t);
      answers++;
      if (o.counts(r.status, r.text)) counted++;
      else sample ??= `${r.status} ${r.text.slice(0, 300)}`;
    }
  };
  await Promise.all(Array.from({ length: o.connections }, sender));
  const elapsedS = (performance.now() - t0) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (q: number) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] : NaN);
  return { connections: o.connections, elapsedS, answers, counted, p50: pct(0.5), p99: pct(0.99), errors, sample };
}

/** Counts (a query answering one column `n`) in the service's database, read beside it (SQLite read-only; PostgreSQL in the bench's schema). */
interface Counter {
  count(sql: string): Promise<number>;
  close(): Promise<void>;
}

function sqliteCounter(file: string): Counter {
  const db = new Database(file, { readonly: true });
  return {
    count: async (q) => Number(db.prepare(q).pluck().get()),
    close: async () => {
      db.close();
    },
  };
}

async function pgCounter(url: string, schema: string): Promise<Counter> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`SET search_path TO "${schema}"`);
  return {
    count: async (q) => Number((await c.query(q)).rows[0].n),
    close: () => c.end(),
  };
}

const TICKETS = {
  open311: `SELECT COUNT(*) AS n FROM "Ticket" WHERE "source" = 'city_platform'`,
  telegram: `SELECT COUNT(*) AS n FROM "Ticket" WHERE "source" = 'telegram'`,
};

/** Residents bound to the seeded customers, in PostgreSQL (bindResidents does it in SQLite). */
async function bindResidentsPg(url: string, schema: string, n: number): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`SET search_path TO "${schema}"`);
  const ids = (await c.query('SELECT id FROM "Customer" ORDER BY id')).rows.map((r) => Number(r.id));
  await c.query(
    `INSERT INTO "Resident" ("telegramUserId","chatId","locale","customerId","bindFailures","menuShownAt","createdAt","updatedAt")
     SELECT ($1::bigint + g)::text, ($1::bigint + g)::text, 'zh-CN', ($3::int[])[1 + g % cardinality($3::int[])], 0, now(), now(), now()
     FROM generate_series(0, $2::int - 1) g`,
    [FIRST_USER, n, ids],
  );
  await c.end();
}

interface DbResult {
  label: string;
  runs: Run[];
  totals: { open311Answers: number; open311Tickets: number; cityRequests: number; telegramAnswers: number; telegramTickets: number };
  /** what the filings became: urgent leaks, and tickets left in the centre's triage queue (no community found) */
  filed: { urgentLeaks: number; triage: number; building3: number };
  rssMb: number;
  uncounted: string[];
}

async function benchOn(label: string, target: { sqlite: string } | { pg: string; schema: string }): Promise<DbResult> {
  const databaseUrl = 'sqlite' in target ? `file:${target.sqlite}` : serviceUrl(target.pg, target.schema);
  const fake = await FakeTelegramApi.start();
  const svc = await startService({
    DATABASE_URL: databaseUrl,
    API_TOKEN: TOKEN,
    TELEGRAM_BOT_TOKEN: '123456:bench-token',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    // the load comes from one address: the bench measures the service, not its per-address limits
    RATE_LIMIT_WEBHOOKS_PER_MINUTE: '0',
    RATE_LIMIT_API_PER_MINUTE: '0',
  });
  let counter: Counter | undefined;
  try {
    // the service has migrated and seeded the demo customers by now
    if ('sqlite' in target) bindResidents(target.sqlite, RESIDENTS);
    else await bindResidentsPg(target.pg, target.schema, RESIDENTS);
    counter = 'sqlite' in target ? sqliteCounter(target.sqlite) : await pgCounter(target.pg, target.schema);
    const db = counter;
    const totals = { open311Answers: 0, telegramAnswers: 0 };
    const uncounted: string[] = [];
    const one = async (path: Run['path'], connections: number, durationS: number): Promise<Run> => {
      const before = await db.count(TICKETS[path]);
      const r =
        path === 'open311'
          ? await closedLoop({
              url: `${svc.url}/open311/v2/requests.json`,
              connections,
              durationS,
              headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${TOKEN}` },
              body: filingForm,
              counts: (status, text) => status === 200 && hasRequestId(text),
            })
          : await closedLoop({
              url: `${svc.url}/telegram/webhook`,
              connections,
              durationS,
              headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
              body: leakUpdate,
              counts: (status) => status === 200,
            });
      const tickets = (await db.count(TICKETS[path])) - before;
      if (path === 'open311') totals.open311Answers += r.counted;
      else totals.telegramAnswers += r.counted;
      if (r.sample) uncounted.push(`${path} c=${connections}: ${r.answers - r.counted} not counted, e.g. ${r.sample}`);
      return { ...r, path, tickets, perS: (path === 'open311' ? r.counted : tickets) / r.elapsedS };
    };
    // warm-up: statements prepared, code optimised, pools filled (counted in the totals, not in the runs)
    for (const c of CONCURRENCY) {
      await one('open311', c, WARMUP_S);
      await one('telegram', c, WARMUP_S);
    }
    const runs: Run[] = [];
    for (let i = 0; i < RUNS; i++) {
      for (const c of CONCURRENCY) {
        // alternate which path goes first, so a drift of the machine's load falls on both
        const order: Run['path'][] = i % 2 === 0 ? ['open311', 'telegram'] : ['telegram', 'open311'];
        for (const path of order) {
          const r = await one(path, c, DURATION_S);
          runs.push(r);
          console.error(
            `  ${label} run ${i + 1} c=${c} ${path.padEnd(8)} ${r.perS.toFixed(0).padStart(5)}/s  p50 ${r.p50.toFixed(1)} ms  p99 ${r.p99.toFixed(1)} ms  (answers ${r.answers}, counted ${r.counted}, tickets ${r.tickets}, errors ${r.errors})`,
          );
        }
      }
    }
    const rssMb = svc.rssMb();
    return {
      label,
      runs,
      totals: {
        ...totals,
        open311Tickets: await db.count(TICKETS.open311),
        cityRequests: await db.count('SELECT COUNT(*) AS n FROM "CityRequest"'),
        telegramTickets: await db.count(TICKETS.telegram),
      },
      filed: {
        urgentLeaks: await db.count(`${TICKETS.open311} AND "category" = 'leak' AND "severity" = 'urgent'`),
        triage: await db.count(`${TICKETS.open311} AND "branchId" IS NULL`),
        building3: await db.count(`${TICKETS.open311} AND "category" = 'no_heat' AND "communityId" IS NOT NULL AND "building" = '3'`),
      },
      rssMb,
      uncounted,
    };
  } finally {
    await counter?.close();
    await svc.stop();
    await fake.close();
  }
}

function hasRequestId(text: string): boolean {
  try {
    const body = JSON.parse(text);
    return Array.isArray(body) && typeof body[0]?.service_request_id === 'string' && body[0].service_request_id !== '';
  } catch {
    return false;
  }
}

function serviceUrl(url: string, schema: string): string {
  const u = new URL(url);
  u.searchParams.set('schema', schema);
  return u.toString();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f0 = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 0 });
const f1 = (n: number) => n.toFixed(1);

function report(r: DbResult): void {
  console.log(`\n${r.label}: closed loop, ${DURATION_S} s runs after a ${WARMUP_S} s warm-up, median of ${RUNS} (per-run figures in brackets)`);
  const head = ['c', 'Open311 filings/s', 'p50/p99 ms', 'Telegram tickets/s', 'p50/p99 ms', 'Open311 / Telegram'];
  const rows = CONCURRENCY.map((c) => {
    const o = r.runs.filter((x) => x.path === 'open311' && x.connections === c);
    const t = r.runs.filter((x) => x.path === 'telegram' && x.connections === c);
    const [mo, mt] = [median(o.map((x) => x.perS)), median(t.map((x) => x.perS))];
    return [
      String(c),
      `${f0(mo)} (${o.map((x) => f0(x.perS)).join(', ')})`,
      `${f1(median(o.map((x) => x.p50)))}/${f1(median(o.map((x) => x.p99)))}`,
      `${f0(mt)} (${t.map((x) => f0(x.perS)).join(', ')})`,
      `${f1(median(t.map((x) => x.p50)))}/${f1(median(t.map((x) => x.p99)))}`,
      `${(mo / mt).toFixed(2)} (runs ${o.map((x, i) => (x.perS / t[i].perS).toFixed(2)).join(', ')})`,
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i])).join('  ');
  for (const row of [head, widths.map((w) => '-'.repeat(w)), ...rows]) console.log(`  ${line(row).trimEnd()}`);
  const t = r.totals;
  const ok = (a: number, b: number) => (a === b ? 'match' : `MISMATCH (${b - a > 0 ? '+' : ''}${b - a})`);
  console.log(
    `  Open311: ${f0(t.open311Answers)} answers counted (warm-up included); database: ${f0(t.open311Tickets)} city_platform tickets, ${f0(t.cityRequests)} CityRequest rows: ${ok(t.open311Answers, t.open311Tickets)}`,
  );
  console.log(
    `  Telegram: ${f0(t.telegramAnswers)} answers 200 (warm-up included); database: ${f0(t.telegramTickets)} telegram tickets: ${ok(t.telegramAnswers, t.telegramTickets)}`,
  );
  console.log(
    `  filed: ${f0(r.filed.urgentLeaks)} urgent leaks (one in ten sent), ${f0(r.filed.building3)} no-heat tickets placed in their community's building 3, ${f0(r.filed.triage)} left in triage`,
  );
  console.log(`  service RSS at the end: ${f0(r.rssMb)} MB`);
  for (const u of r.uncounted) console.log(`  ${u}`);
}

if (!args['no-build']) execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit', cwd: resolve(import.meta.dirname, '..') });
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(', ');
console.log(`machine: ${availableParallelism()} CPUs; load average at the start ${load()}`);

const dir = mkdtempSync(join(tmpdir(), 'bench-open311-file-'));
try {
  report(await benchOn('SQLite', { sqlite: join(dir, 'open311.db') }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const PG_URL = process.env.BENCH_DATABASE_URL;
if (PG_URL) {
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const admin = async (q: string) => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(q);
    await c.end();
  };
  await admin(`CREATE SCHEMA "${schema}"`);
  try {
    report(await benchOn(`PostgreSQL (schema ${schema})`, { pg: PG_URL, schema }));
  } finally {
    await admin(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  }
}
console.log(`\nload average at the end ${load()}`);
