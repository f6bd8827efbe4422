/**
 * npm run bench:import — a 20 MB customer register (200,000 rows) imported over loopback HTTP into
 * the service as `npm start` runs it (compiled, 160 MB heap), then imported again (every row an
 * update), while bound residents send /status to the Telegram webhook at a steady rate. Prints,
 * for the import and the re-import: seconds, the service's peak RSS, and the updates' p50/p99
 * (each counted from when it was due, so time queued behind the import counts). Writes
 * bench/results/import-<timestamp>.json.
 *
 *   npm run bench:import                       SQLite, one run
 *   npm run bench:import -- --runs 3           medians of three runs (a fresh database each)
 *   BENCH_DATABASE_URL=postgresql://... npm run bench:import -- --db postgresql
 *   npm run bench:import -- --root /tmp/oldmain   another checkout's built service (before/after)
 *
 * All load goes to 127.0.0.1; every run is bounded in time.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { FakeTelegramApi } from '../tools/dev/fake-telegram-api.js';
import { startService, type RunningService } from './service.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '1' },
    rows: { type: 'string', default: '200000' },
    rate: { type: 'string', default: '20' },
    db: { type: 'string', default: 'sqlite' },
    root: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
});
const ROOT = resolve(args.root ?? resolve(import.meta.dirname, '..'));
const ROWS = Number(args.rows);
const RATE = Number(args.rate);
const RUNS = Number(args.runs);
const RESIDENTS = 2_000;
// long enough for services that refuse short secrets
const API_TOKEN = 'bench-import-api-token-0123456789abcdef';
const SECRET = 'bench-import-webhook-secret-0123456789';
const LIMIT_BYTES = 20 * 1024 * 1024;

if (!args['no-build']) execFileSync('npm', ['run', '-s', 'build'], { stdio: 'inherit', cwd: ROOT });

/** The register file: valid customers spread over the demo organisation's communities, at most 20 MB. */
function writeRegister(file: string): number {
  const { communities } = parseYaml(readFileSync(join(ROOT, 'config/demo-org.yaml'), 'utf8')) as { communities: { id: string; name: string }[] };
  const lines = ['account,name,phone,address,community,building,unit,room,area_m2'];
  for (let i = 0; i < ROWS; i++) {
    const [b, u, r] = [1 + (i % 30), 1 + (i % 6), 101 + (i % 1800)];
    const c = communities[i % communities.length];
    lines.push(
      `BI${String(i).padStart(8, '0')},住户${i},139${String(i).padStart(8, '0')},${c.name}${b}号楼${u}单元${r}室,${c.id},${b},${u},${r},${60 + (i % 90)}.5`,
    );
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
  const size = statSync(file).size;
  if (size > LIMIT_BYTES) throw new Error(`the register is ${size} bytes, over the 20 MB the service takes`);
  return size;
}

/** Residents bound to the demo customers, written straight into the database. */
async function bindResidents(url: string): Promise<void> {
  if (url.startsWith('file:')) {
    const db = new Database(url.slice(5));
    const customers = db.prepare('SELECT id FROM "Customer" ORDER BY id LIMIT 2000').pluck().all() as number[];
    const insert = db.prepare(
      'INSERT INTO "Resident" ("telegramUserId","chatId","locale","customerId","bindFailures","createdAt","updatedAt") VALUES (?,?,?,?,0,?,?)',
    );
    const now = Date.now();
    db.transaction(() => {
      for (let i = 0; i < RESIDENTS; i++) insert.run(String(910_000_000 + i), String(910_000_000 + i), 'zh-CN', customers[i % customers.length], now, now);
    })();
    db.close();
    return;
  }
  const c = await pgClient(url);
  await c.query(
    `INSERT INTO "Resident" ("telegramUserId","chatId","locale","customerId","bindFailures","createdAt","updatedAt")
     SELECT (910000000 + g)::text, (910000000 + g)::text, 'zh-CN', (SELECT id FROM "Customer" ORDER BY id OFFSET (g % 2000) LIMIT 1), 0, now(), now()
     FROM generate_series(0, $1 - 1) g`,
    [RESIDENTS],
  );
  await c.end();
}

async function pgClient(url: string): Promise<pg.Client> {
  const u = new URL(url);
  const schema = u.searchParams.get('schema') ?? 'public';
  u.searchParams.delete('schema');
  const c = new pg.Client({ connectionString: u.toString() });
  await c.connect();
  await c.query(`SET search_path TO "${schema}"`);
  return c;
}

async function freshDatabase(dir: string): Promise<{ url: string; drop: () => Promise<void> }> {
  if (args.db === 'sqlite') return { url: `file:${join(dir, 'import.db')}`, drop: async () => {} };
  const base = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('--db postgresql needs BENCH_DATABASE_URL');
  const schema = `bench_import_${Date.now().toString(36)}`;
  const c = new pg.Client({ connectionString: base });
  await c.connect();
  await c.query(`CREATE SCHEMA "${schema}"`);
  await c.end();
  const u = new URL(base);
  u.searchParams.set('schema', schema);
  return {
    url: u.toString(),
    drop: async () => {
      const d = new pg.Client({ connectionString: base });
      await d.connect();
      await d.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await d.end();
    },
  };
}

/** /status from bound residents at a fixed rate until stopped; each latency counts from when it was due. */
function statusStream(url: string): { stop: () => Promise<{ latencies: number[]; failed: number }> } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 50 });
  const target = new URL(`${url}/telegram/webhook`);
  const latencies: number[] = [];
  let failed = 0;
  let id = 1;
  let running = true;
  const pending = new Set<Promise<void>>();
  const send = (due: number) => {
    const n = id++;
    const user = 910_000_000 + (n % RESIDENTS);
    const body = JSON.stringify({
      update_id: n,
      message: {
        message_id: n,
        date: Math.floor(Date.now() / 1000),
        chat: { id: user, type: 'private' },
        from: { id: user, is_bot: false, first_name: 'Bench' },
        text: '/status',
        entities: [{ type: 'bot_command', offset: 0, length: 7 }],
      },
    });
    const p = new Promise<void>((done) => {
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - due);
            if ((res.statusCode ?? 0) >= 300) failed++;
            done();
          });
        },
      );
      req.setTimeout(60_000, () => req.destroy());
      req.on('error', () => {
        failed++;
        done();
      });
      req.end(body);
    });
    pending.add(p);
    p.then(() => pending.delete(p));
  };
  const t0 = performance.now();
  let i = 0;
  const loop = (async () => {
    while (running) {
      for (; t0 + (i * 1000) / RATE <= performance.now(); i++) send(t0 + (i * 1000) / RATE);
      await new Promise((r) => setTimeout(r, Math.max(0, t0 + (i * 1000) / RATE - performance.now())));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      await Promise.all(pending);
      agent.destroy();
      return { latencies, failed };
    },
  };
}

/** The service's RSS polled every 50 ms while a phase runs: its highest value. */
function rssPeak(svc: RunningService): { stop: () => number } {
  let peak = svc.rssMb();
  const t = setInterval(() => {
    try {
      peak = Math.max(peak, svc.rssMb());
    } catch {
      /* the process is gone: the phase reports its failure */
    }
  }, 50);
  return {
    stop: () => {
      clearInterval(t);
      return peak;
    },
  };
}

function postFile(url: string, file: string, size: number): Promise<{ status: number; body: string }> {
  return new Promise((done, fail) => {
    const req = http.request(
      `${url}/api/customers/import`,
      { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'text/csv', 'content-length': String(size) } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => done({ status: res.statusCode ?? 0, body }));
      },
    );
    req.setTimeout(15 * 60_000, () => req.destroy(new Error('the import took over 15 minutes')));
    req.on('error', fail);
    createReadStream(file).pipe(req);
  });
}

interface Phase {
  seconds: number;
  peakRssMb: number;
  status: number;
  created?: number;
  updated?: number;
  refused?: number;
  updates: number;
  failedUpdates: number;
  p50: number;
  p99: number;
  max: number;
  /** CPU time the service used during the phase (user + system) */
  serviceCpuS: number;
  /** how busy all the machine's cores were (a shared machine stretches every latency) */
  machineBusyPct: number;
  loadavg1: number;
  /** the service died during the phase */
  died?: boolean;
  answer?: string;
}

const pct = (xs: number[], q: number) => (xs.length ? Math.round([...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]) : NaN);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** All CPUs' busy and total time so far (/proc/stat), to tell a saturated machine. */
function machineTicks(): { busy: number; total: number } {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - f[3] - f[4], total };
}

/** The updates while the file is imported, or with nothing else going on for `idleS` seconds (no file). */
async function phase(svc: RunningService, file: string | null, size: number, idleS = 10): Promise<Phase> {
  const rss = rssPeak(svc);
  const [cpu0, m0] = [svc.cpuMs(), machineTicks()];
  const stream = statusStream(svc.url);
  const t0 = performance.now();
  const res = file
    ? await postFile(svc.url, file, size).catch((e: Error) => ({ status: 0, body: e.message }))
    : await new Promise<{ status: number; body: string }>((r) => setTimeout(() => r({ status: 200, body: '{}' }), idleS * 1000));
  const seconds = (performance.now() - t0) / 1000;
  const { latencies, failed } = await stream.stop();
  const peakRssMb = rss.stop();
  const [cpu1, m1] = [svc.cpuMs(), machineTicks()];
  let counts: { created?: number; updated?: number; refused?: number } = {};
  try {
    counts = JSON.parse(res.body);
  } catch {
    /* not JSON: kept as the answer below */
  }
  return {
    seconds,
    peakRssMb,
    status: res.status,
    created: counts.created,
    updated: counts.updated,
    refused: counts.refused,
    updates: latencies.length,
    failedUpdates: failed,
    p50: pct(latencies, 0.5),
    p99: pct(latencies, 0.99),
    max: pct(latencies, 1),
    serviceCpuS: (cpu1 - cpu0) / 1000,
    machineBusyPct: Math.round((100 * (m1.busy - m0.busy)) / Math.max(m1.total - m0.total, 1)),
    loadavg1: loadavg()[0],
    ...(svc.child.exitCode !== null || svc.child.signalCode ? { died: true } : {}),
    ...(res.status === 200 ? {} : { answer: res.body.slice(0, 300) }),
  };
}

async function oneRun(file: string, size: number): Promise<{ startRssMb: number; idle: Phase; import: Phase; reimport: Phase }> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  const db = await freshDatabase(dir);
  const fake = await FakeTelegramApi.start();
  const env = { DATABASE_URL: db.url, API_TOKEN, TELEGRAM_BOT_TOKEN: '123456:bench-token', TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: fake.apiRoot };
  let svc: RunningService | null = null;
  try {
    svc = await startService(env, { script: join(ROOT, 'dist/main.js') });
    await bindResidents(db.url);
    const startRssMb = svc.rssMb();
    // the same updates with nothing else going on: what the machine gives them now
    const idle = await phase(svc, null, 0);
    const first = await phase(svc, file, size);
    const again = first.died ? first : await phase(svc, file, size);
    return { startRssMb, idle, import: first, reimport: again };
  } finally {
    await svc?.stop();
    await fake.close();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const work = mkdtempSync(join(tmpdir(), 'bench-register-'));
const file = join(work, 'register.csv');
const size = writeRegister(file);
console.log(`register: ${ROWS.toLocaleString('en')} rows, ${(size / 1024 / 1024).toFixed(1)} MB; ${RATE} /status per second; ${args.db}; service from ${ROOT}`);
const runs: Awaited<ReturnType<typeof oneRun>>[] = [];
try {
  for (let r = 0; r < RUNS; r++) {
    const res = await oneRun(file, size);
    runs.push(res);
    for (const [name, p] of [
      ['idle', res.idle],
      ['import', res.import],
      ['re-import', res.reimport],
    ] as const) {
      console.log(
        `run ${r + 1} ${name.padEnd(9)}: HTTP ${p.status}${p.died ? ' (service died)' : ''}, ${p.seconds.toFixed(1)} s (service CPU ${p.serviceCpuS.toFixed(1)} s), peak RSS ${p.peakRssMb.toFixed(0)} MB, ` +
          `created ${p.created ?? '-'} updated ${p.updated ?? '-'}, updates ${p.updates} (failed ${p.failedUpdates}) p50/p99/max ${p.p50}/${p.p99}/${p.max} ms; ` +
          `machine ${p.machineBusyPct} % busy, load ${p.loadavg1.toFixed(1)}${p.answer ? `; answer: ${p.answer}` : ''}`,
      );
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const summary = Object.fromEntries(
  (['idle', 'import', 'reimport'] as const).map((k) => [
    k,
    {
      seconds: median(runs.map((r) => r[k].seconds)),
      serviceCpuS: median(runs.map((r) => r[k].serviceCpuS)),
      machineBusyPct: median(runs.map((r) => r[k].machineBusyPct)),
      peakRssMb: median(runs.map((r) => r[k].peakRssMb)),
      p50: median(runs.map((r) => r[k].p50)),
      p99: median(runs.map((r) => r[k].p99)),
    },
  ]),
);
console.log(`\nmedians of ${RUNS} run(s) (targets: RSS < 300 MB, update p99 < 200 ms)`);
for (const [k, s] of Object.entries(summary)) {
  const ok = s.peakRssMb < 300 && s.p99 < 200;
  console.log(
    `${k.padEnd(9)}: ${s.seconds.toFixed(1)} s (service CPU ${s.serviceCpuS.toFixed(1)} s), peak RSS ${s.peakRssMb.toFixed(0)} MB, update p50/p99 ${s.p50}/${s.p99} ms, ` +
      `machine ${s.machineBusyPct} % busy  ${k === 'idle' ? '' : ok ? 'met' : 'MISSED'}`,
  );
}
const at = new Date().toISOString();
mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
const out = resolve(import.meta.dirname, `results/import-${at.replace(/[:.]/g, '-')}-${args.db}.json`);
writeFileSync(
  out,
  `${JSON.stringify({ at, cores: availableParallelism(), loadavg: loadavg(), db: args.db, root: ROOT, rows: ROWS, bytes: size, rate: RATE, runs, summary }, null, 2)}\n`,
);
console.log(`written to ${out}`);
