/**
 * Intake throughput (issue 9, item 1): Telegram webhook updates that each create a ticket and
 * queue its dispatch, over loopback HTTP at rising concurrency, against the baseline of a bare
 * Fastify route doing one better-sqlite3 insert per request, in the same run.
 *
 * Each update is a leak report from a resident already bound to a demo customer: the bot files a
 * leak at once (no confirmation step), so one update is one ticket, its events, its alerts and
 * its outgoing messages (dispatch card, urgent alert) in one transaction, plus the bot's reply.
 */
import { fork } from 'node:child_process';
import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FakeTelegramApi } from '../tools/dev/fake-telegram-api.js';
import { load, type LoadResult } from './load.js';
import { startService } from './service.js';

const SECRET = 'bench-webhook-secret-0123456789abcdef';
const LEAKS = ['楼上跑水了，水顺着墙往下流', '家里暖气片漏水了，地上都是水', '暖气管爆管了，快来人', '卫生间暖气跑水，楼下也被淹了'];

export interface IntakeResult {
  label: string;
  /** ticketsPerS: tickets stored during the run over its duration (a request that stored none is not counted) */
  runs: (LoadResult & { cpuMsPerRequest?: number; ticketsPerS?: number; postgresCpuMsPerRequest?: number; machineBusyPct?: number })[];
  tickets?: number;
  rssMb?: number;
}

/** A private text message from `user`, as Telegram posts it to the webhook. */
export function textUpdate(id: number, user: number, text: string): string {
  return JSON.stringify({
    update_id: id,
    message: {
      message_id: id,
      date: Math.floor(Date.now() / 1000),
      chat: { id: user, type: 'private' },
      from: { id: user, is_bot: false, first_name: 'Bench', language_code: 'zh-hans' },
      text,
    },
  });
}

let updateId = 1;
function leakUpdate(residents: number): string {
  const id = updateId++;
  return textUpdate(id, 900_000_000 + (id % residents), LEAKS[id % LEAKS.length]);
}

/** Residents bound to demo customers, written straight into the database before the run. */
export function bindResidents(file: string, n: number): void {
  const db = new Database(file);
  const customers = db.prepare('SELECT id FROM "Customer" ORDER BY id').pluck().all() as number[];
  const insert = db.prepare(
    'INSERT INTO "Resident" ("telegramUserId","chatId","locale","customerId","bindFailures","menuShownAt","createdAt","updatedAt") VALUES (?,?,?,?,0,?,?,?)',
  );
  const now = Date.now();
  // bound through the bot, they have had its menu keyboard (the bind answer brings it)
  db.transaction(() => {
    for (let i = 0; i < n; i++) insert.run(String(900_000_000 + i), String(900_000_000 + i), 'zh-CN', customers[i % customers.length], now, now, now);
  })();
  db.close();
}

export async function intakeBench(opts: {
  concurrency: number[];
  /** open-loop runs after the closed-loop ones: this many requests/s offered over this many connections */
  paced?: { connections: number; rate: number }[];
  durationS: number;
  residents?: number;
  databaseUrl?: string;
  instances?: number;
  /** several instances: the load generator deals connections round-robin (default), or a Node proxy does */
  balance?: 'client' | 'proxy';
}): Promise<IntakeResult> {
  // enough residents that no one reports twice over all the runs: a second leak from a resident
  // with an open leak ticket now joins it as a follow-up (issue 15), and would store no ticket
  const residents = opts.residents ?? 60_000;
  const dir = mkdtempSync(join(tmpdir(), 'bench-intake-'));
  const file = join(dir, 'intake.db');
  const fake = await FakeTelegramApi.start();
  const env = {
    DATABASE_URL: opts.databaseUrl ?? `file:${file}`,
    API_TOKEN: 'bench-api-token-0123456789abcdefghij',
    TELEGRAM_BOT_TOKEN: '123456:bench-token',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    // the load comes from one address: the bench measures the service, not its per-address flood limit
    RATE_LIMIT_WEBHOOKS_PER_MINUTE: '0',
    RATE_LIMIT_API_PER_MINUTE: '0',
  };
  const services = [];
  try {
    services.push(await startService(env));
    if (!opts.databaseUrl) bindResidents(file, residents);
    else await bindResidentsPg(opts.databaseUrl, residents);
    for (let i = 1; i < (opts.instances ?? 1); i++) services.push(await startService(env));
    const runs: IntakeResult['runs'] = [];
    const plan = [...opts.concurrency.map((connections) => ({ connections, rate: undefined as number | undefined })), ...(opts.paced ?? [])];
    for (const { connections, rate } of plan) {
      const proxy = opts.balance === 'proxy' && services.length > 1 ? await roundRobin(services.map((s) => s.url)) : null;
      const cpu0 = services.reduce((n, s) => n + s.cpuMs(), 0);
      const tickets0 = await countTickets(env.DATABASE_URL, file);
      const [pg0, m0] = [postgresCpuMs(), machineTicks()];
      const run = (url: string, share: number) =>
        load({
          url: `${url}/telegram/webhook`,
          connections: share,
          rate: rate && (rate * share) / connections,
          durationS: opts.durationS,
          headers: { 'x-telegram-bot-api-secret-token': SECRET },
          body: () => leakUpdate(residents),
        });
      // several instances: the connections dealt round-robin among them by the load generator
      // (as DNS round-robin would), or through a loopback proxy in Node (balance: 'proxy')
      const r = proxy
        ? await run(proxy.url, connections)
        : combine(
            await Promise.all(services.map((s, i) => run(s.url, Math.floor(connections / services.length) + (i < connections % services.length ? 1 : 0)))),
          );
      await proxy?.close();
      const cpuMsPerRequest = (services.reduce((n, s) => n + s.cpuMs(), 0) - cpu0) / Math.max(r.requests, 1);
      const [pg1, m1] = [postgresCpuMs(), machineTicks()];
      runs.push({
        ...r,
        cpuMsPerRequest,
        ticketsPerS: ((await countTickets(env.DATABASE_URL, file)) - tickets0) / opts.durationS,
        ...(opts.databaseUrl ? { postgresCpuMsPerRequest: (pg1 - pg0) / Math.max(r.requests, 1) } : {}),
        machineBusyPct: (100 * (m1.busy - m0.busy)) / Math.max(m1.total - m0.total, 1),
      });
    }
    const rssMb = Math.max(...services.map((s) => s.rssMb()));
    const tickets = await countTickets(env.DATABASE_URL, file);
    return {
      label: `service${opts.databaseUrl ? ' (PostgreSQL' : ' (SQLite'}${services.length > 1 ? `, ${services.length} instances)` : ')'}`,
      runs,
      tickets,
      rssMb,
    };
  } finally {
    await Promise.all(services.map((s) => s.stop()));
    fake.faults = {};
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU time used so far by the PostgreSQL server's processes on this machine (ms). */
function postgresCpuMs(): number {
  let ms = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!stat.includes('(postgres)')) continue;
      const f = stat.split(') ')[1].split(' ');
      ms += ((Number(f[11]) + Number(f[12])) * 1000) / 100;
    } catch {
      /* the process ended meanwhile */
    }
  }
  return ms;
}

/** All CPUs' busy and total time so far (/proc/stat), to tell a saturated machine. */
function machineTicks(): { busy: number; total: number } {
  const [, ...f] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - f[3] - f[4], total };
}

async function countTickets(url: string, file: string): Promise<number> {
  if (url.startsWith('file:')) {
    const db = new Database(file, { readonly: true });
    const n = db.prepare('SELECT COUNT(*) FROM "Ticket"').pluck().get() as number;
    db.close();
    return n;
  }
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: stripSchema(url) });
  await c.connect();
  await c.query(`SET search_path TO "${schemaOf(url)}"`);
  const n = Number((await c.query('SELECT COUNT(*) AS n FROM "Ticket"')).rows[0].n);
  await c.end();
  return n;
}

const schemaOf = (url: string) => new URL(url).searchParams.get('schema') ?? 'public';
const stripSchema = (url: string) => {
  const u = new URL(url);
  u.searchParams.delete('schema');
  return u.toString();
};

async function bindResidentsPg(url: string, n: number): Promise<void> {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: stripSchema(url) });
  await c.connect();
  await c.query(`SET search_path TO "${schemaOf(url)}"`);
  await c.query(
    `INSERT INTO "Resident" ("telegramUserId","chatId","locale","customerId","bindFailures","menuShownAt","createdAt","updatedAt")
     SELECT (900000000 + g)::text, (900000000 + g)::text, 'zh-CN', (SELECT id FROM "Customer" ORDER BY id OFFSET (g % 2000) LIMIT 1), 0, now(), now(), now()
     FROM generate_series(0, $1 - 1) g`,
    [n],
  );
  await c.end();
}

/** Runs side by side against several instances as one: counts summed, the worst p99, the mean p50. */
function combine(rs: LoadResult[]): LoadResult {
  if (rs.length === 1) return rs[0];
  const sum = (k: 'requests' | 'rps' | 'errors' | 'non2xx') => rs.reduce((n, r) => n + r[k], 0);
  return {
    connections: rs.reduce((n, r) => n + r.connections, 0),
    rate: rs[0].rate === undefined ? undefined : rs.reduce((n, r) => n + (r.rate ?? 0), 0),
    durationS: rs[0].durationS,
    requests: sum('requests'),
    rps: sum('rps'),
    p50: Math.round(rs.reduce((n, r) => n + r.p50, 0) / rs.length),
    p99: Math.max(...rs.map((r) => r.p99)),
    errors: sum('errors'),
    non2xx: sum('non2xx'),
  };
}

/** A loopback round-robin in front of several instances (scale-out on PostgreSQL). */
async function roundRobin(targets: string[]): Promise<{ url: string; close: () => Promise<void> }> {
  const { createServer, request } = await import('node:http');
  let i = 0;
  const agents = targets.map((t) => new URL(t));
  const server = createServer((req, res) => {
    const t = agents[i++ % agents.length];
    const up = request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.writeHead(502).end());
    req.pipe(up);
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

/** The bare baseline: Fastify + one better-sqlite3 insert per request, as a child process. */
export async function baselineBench(opts: {
  concurrency: number[];
  paced?: { connections: number; rate: number }[];
  durationS: number;
}): Promise<IntakeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-base-'));
  const child = fork(resolve(import.meta.dirname, 'baseline-server.ts'), [join(dir, 'base.db'), '0'], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    const port = await new Promise<number>((res, rej) => {
      child.once('message', (m: any) => res(m.port));
      child.once('exit', (code) => rej(new Error(`baseline exited ${code}`)));
    });
    const runs: LoadResult[] = [];
    for (const { connections, rate } of [...opts.concurrency.map((connections) => ({ connections, rate: undefined })), ...(opts.paced ?? [])]) {
      runs.push(await load({ url: `http://127.0.0.1:${port}/telegram/webhook`, connections, rate, durationS: opts.durationS, body: () => leakUpdate(1000) }));
    }
    return { label: 'baseline (Fastify + better-sqlite3 insert)', runs };
  } finally {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
