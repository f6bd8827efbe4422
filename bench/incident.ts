/**
 * A report linked to an open incident costs no more than an ordinary one (issue 16, Speed).
 *
 * One compiled service on a temporary SQLite file (the intake bench's harness), an incident
 * declared over one station's communities through POST /api/incidents, then two groups of
 * freshly bound residents (bound after the declaration, so the run owes none of its notices):
 * one in the incident's communities, one elsewhere. Each resident reports a cold flat the way a
 * resident does: the words ("暖气不热…", answered with the proposal), then the tap on ✅ 提交
 * (ro:complaint:no_heat, which files the ticket). In an affected community that ticket is linked
 * (no dispatch card, no 1-hour clock, the incident's answer instead of the filed message);
 * elsewhere it is an ordinary ticket with its card and clocks.
 *
 * Closed loop, `connections` residents at once, each reporting after the last one's tap was
 * answered. The groups run ABBA (ordinary, linked, linked, ordinary; half of each group per leg)
 * after a warm-up, so a drift of this shared machine falls on both alike. Measured per group:
 * reports/s (tickets stored over the legs' wall time), the service's CPU per report, and the
 * p50/p99 of each request (words and tap alike) and of the whole report (both requests).
 */
import Database from 'better-sqlite3';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openCore } from '../src/bootstrap.js';
import { DEMO_ORG } from '../src/config.js';
import { declareIncident } from '../src/core/incidents/declare-incident.js';
import { FakeTelegramApi } from '../tools/dev/fake-telegram-api.js';
import { textUpdate } from './intake.js';
import { startService, type RunningService } from './service.js';

const SECRET = 'bench-webhook-secret-0123456789abcdef';
const API_TOKEN = 'bench-api-token-0123456789abcdefghij';
/** The demo organisation's station and its communities (config/demo-org.yaml). */
export const BENCH_STATION = 'HX-XI02';
/** Ordinary reports come from communities of other stations (and branches). */
const ELSEWHERE = ['c002', 'c003', 'c010', 'c011', 'c018', 'c019', 'c026', 'c027', 'c035', 'c036'];
const COLD = ['暖气不热，室温只有15度', '家里暖气不热', '暖气片一直是凉的', '屋里太冷了，暖气不热', '暖气温度太低了', '卧室暖气不热，只有16度'];
const GROUP_BASE = { warm: 930_000_000, ordinary: 910_000_000, linked: 920_000_000 } as const;
type Group = keyof typeof GROUP_BASE;

export interface IncidentGroupRun {
  reports: number;
  /** tickets stored per second of the group's legs */
  reportsPerS: number;
  cpuMsPerReport: number;
  /** each request (the words, the tap) */
  p50: number;
  p99: number;
  /** the whole report, words sent to tap answered */
  reportP50: number;
  reportP99: number;
  non2xx: number;
  errors: number;
  /** tickets of this group stored with the incident (1 for the linked group, 0 for the other) */
  linkedShare: number;
}

export interface IncidentBenchResult {
  connections: number;
  ordinary: IncidentGroupRun;
  linked: IncidentGroupRun;
  /** linked CPU per report / ordinary CPU per report */
  cpuRatio: number;
  incidentNumber: string;
}

/** A tap on the proposal's ✅ 提交: the proposal replies to the resident's words, which the tap reads back. */
export function submitTap(id: number, user: number, wordsMessageId: number, words: string): string {
  const chat = { id: user, type: 'private' };
  const from = { id: user, is_bot: false, first_name: 'Bench', language_code: 'zh-hans' };
  const date = Math.floor(Date.now() / 1000);
  return JSON.stringify({
    update_id: id,
    callback_query: {
      id: `bench-cq-${id}`,
      from,
      chat_instance: `ci-${user}`,
      data: 'ro:complaint:no_heat',
      message: {
        message_id: wordsMessageId + 1,
        date,
        chat,
        from: { id: 123456, is_bot: true, first_name: 'Heating' },
        text: '确认提交',
        reply_to_message: { message_id: wordsMessageId, date, chat, from, text: words },
      },
    },
  });
}

/** `n` customers per group in the given communities, and a resident bound to each (as bindResidents does). */
function seedGroup(file: string, group: Group, communities: string[], n: number): void {
  const db = new Database(file);
  const now = Date.now();
  const customer = db.prepare('INSERT INTO "Customer" ("account","name","phone","address","communityId","createdAt","updatedAt") VALUES (?,?,?,?,?,?,?)');
  const resident = db.prepare(
    'INSERT INTO "Resident" ("telegramUserId","chatId","locale","customerId","bindFailures","menuShownAt","createdAt","updatedAt") VALUES (?,?,?,?,0,?,?,?)',
  );
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const user = GROUP_BASE[group] + i;
      const c = communities[i % communities.length];
      const id = customer.run(
        `B${user}`,
        `住户${i}`,
        `139${String(user).slice(-8)}`,
        `${c} ${1 + (i % 30)}号楼${1 + (i % 6)}单元${101 + (i % 17)}室`,
        c,
        now,
        now,
      ).lastInsertRowid as number;
      resident.run(String(user), String(user), 'zh-CN', id, now, now, now);
    }
  })();
  db.close();
}

function count(file: string, sql: string, ...args: unknown[]): number {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare(sql)
      .pluck()
      .get(...args) as number;
  } finally {
    db.close();
  }
}

interface Leg {
  requestMs: number[];
  reportMs: number[];
  non2xx: number;
  errors: number;
  cpuMs: number;
  wallS: number;
  reports: number;
}

/** One leg: residents `from`..`to` of a group each report (words, then tap), `connections` at once. */
async function leg(svc: RunningService, group: Group, from: number, to: number, connections: number, ids: { next: number }): Promise<Leg> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const url = new URL(`${svc.url}/telegram/webhook`);
  const out: Leg = { requestMs: [], reportMs: [], non2xx: 0, errors: 0, cpuMs: 0, wallS: 0, reports: to - from };
  const post = (body: string) =>
    new Promise<void>((resolve) => {
      const t0 = performance.now();
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            out.requestMs.push(performance.now() - t0);
            if ((res.statusCode ?? 0) >= 300) out.non2xx++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        out.errors++;
        resolve();
      });
      req.end(body);
    });
  let next = from;
  const cpu0 = svc.cpuMs();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < to) {
        const i = next++;
        const user = GROUP_BASE[group] + i;
        const words = COLD[i % COLD.length];
        const messageId = ids.next++;
        const r0 = performance.now();
        await post(textUpdate(messageId, user, words));
        await post(submitTap(ids.next++, user, messageId, words));
        out.reportMs.push(performance.now() - r0);
      }
    }),
  );
  out.wallS = (performance.now() - t0) / 1000;
  out.cpuMs = svc.cpuMs() - cpu0;
  agent.destroy();
  return out;
}

function summarise(legs: Leg[], file: string, group: Group, reports: number): IncidentGroupRun {
  const pct = (xs: number[], q: number) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(s.length * q))]) : Number.NaN;
  };
  const requestMs = legs.flatMap((l) => l.requestMs);
  const reportMs = legs.flatMap((l) => l.reportMs);
  const lo = String(GROUP_BASE[group]);
  const hi = String(GROUP_BASE[group] + reports);
  const of = `FROM "Ticket" t JOIN "Resident" r ON r.id = t."residentId" WHERE r."telegramUserId" >= ? AND r."telegramUserId" < ?`;
  const tickets = count(file, `SELECT COUNT(*) ${of}`, lo, hi);
  const linked = count(file, `SELECT COUNT(*) ${of} AND t."incidentId" IS NOT NULL`, lo, hi);
  const wallS = legs.reduce((n, l) => n + l.wallS, 0);
  return {
    reports: tickets,
    reportsPerS: tickets / wallS,
    cpuMsPerReport: legs.reduce((n, l) => n + l.cpuMs, 0) / Math.max(tickets, 1),
    p50: pct(requestMs, 0.5),
    p99: pct(requestMs, 0.99),
    reportP50: pct(reportMs, 0.5),
    reportP99: pct(reportMs, 0.99),
    non2xx: legs.reduce((n, l) => n + l.non2xx, 0),
    errors: legs.reduce((n, l) => n + l.errors, 0),
    linkedShare: linked / Math.max(tickets, 1),
  };
}

/**
 * The bench's incident over BENCH_STATION, through POST /api/incidents as an operator's system
 * would; where the service has no such route, through the core on the same database (the
 * service reads the open incident from the database at each report).
 */
async function declare(url: string, file: string): Promise<{ number: string; communityIds: string[] }> {
  const expectedAt = new Date(Date.now() + 3 * 3600_000);
  const decl = { stationIds: [BENCH_STATION], scope: 'station' as const, cause: '换热站循环泵故障' };
  const res = await fetch(`${url}/api/incidents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ...decl, expectedAt: expectedAt.toISOString() }),
  });
  if (res.status !== 404) {
    const body = (await res.json()) as { incident?: { number: string; communityIds: string[] } } & { number: string; communityIds: string[] };
    if (!res.ok) throw new Error(`declaring the bench's incident: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
    return body.incident ?? body;
  }
  const core = await openCore({ databaseUrl: `file:${file}`, orgConfig: DEMO_ORG });
  try {
    const { incident } = await declareIncident(core, { ...decl, expectedAt, actor: 'system' });
    return { number: incident.number, communityIds: [...incident.communityIds] };
  } finally {
    await core.close();
  }
}

export async function incidentBench(opts: { reports?: number; connections?: number; warmup?: number } = {}): Promise<IncidentBenchResult> {
  const reports = opts.reports ?? 2000;
  const connections = opts.connections ?? 50;
  const warmup = opts.warmup ?? 300;
  const dir = mkdtempSync(join(tmpdir(), 'bench-incident-'));
  const file = join(dir, 'incident.db');
  const fake = await FakeTelegramApi.start();
  const svc = await startService({
    DATABASE_URL: `file:${file}`,
    API_TOKEN,
    TELEGRAM_BOT_TOKEN: '123456:bench-token',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    RATE_LIMIT_WEBHOOKS_PER_MINUTE: '0',
    RATE_LIMIT_API_PER_MINUTE: '0',
    // no season of demo history: the incident is the only one over these communities
    DEMO_HISTORY: '0',
  });
  try {
    const incident = await declare(svc.url, file);
    const affected = incident.communityIds;
    if (!affected.length) throw new Error(`the declared incident names no community: ${JSON.stringify(incident).slice(0, 300)}`);
    // bound after the declaration: the run owes none of the declaration's notices
    seedGroup(file, 'warm', ELSEWHERE, warmup);
    seedGroup(file, 'ordinary', ELSEWHERE, reports);
    seedGroup(file, 'linked', affected, reports);
    const ids = { next: 1 };
    await leg(svc, 'warm', 0, warmup, connections, ids);
    const half = Math.floor(reports / 2);
    const o1 = await leg(svc, 'ordinary', 0, half, connections, ids);
    const l1 = await leg(svc, 'linked', 0, half, connections, ids);
    const l2 = await leg(svc, 'linked', half, reports, connections, ids);
    const o2 = await leg(svc, 'ordinary', half, reports, connections, ids);
    const ordinary = summarise([o1, o2], file, 'ordinary', reports);
    const linked = summarise([l1, l2], file, 'linked', reports);
    return {
      connections,
      ordinary,
      linked,
      cpuRatio: linked.cpuMsPerReport / Math.max(ordinary.cpuMsPerReport, 1e-9),
      incidentNumber: String(incident.number ?? ''),
    };
  } finally {
    await svc.stop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
