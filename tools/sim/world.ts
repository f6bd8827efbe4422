/**
 * The world the simulator (and the fault drills) run in: the fake Telegram Bot API and the fake
 * Slack Web API on 127.0.0.1, the real service as a child process on a temporary SQLite database
 * (or a database given), configured through its environment to talk to the fakes, and a read-only
 * connection to that database to see what the service stored.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ORG } from '../../src/config.js';
import { DEMO_CUSTOMERS } from '../../src/db/seed-demo.js';
import { loadOrgFile } from '../../src/core/org/load-org.js';
import { Org } from '../../src/core/org/org.js';
import { openDb, parseDatabaseUrl, type Db } from '../../src/db/client.js';
import { FakeSlackApi } from '../dev/fake-slack-api.js';
import { FakeTelegramApi } from '../dev/fake-telegram-api.js';
import { LatencyLog } from './latency.js';
import { Probe } from './probe.js';
import { seeded, type Random } from './random.js';
import { freePort, ServiceProcess } from './service-process.js';
import { SlackSide } from './slack-side.js';
import { TelegramSide } from './telegram-side.js';

export interface WorldOptions {
  seed?: number;
  /** another database than a fresh temporary SQLite file (e.g. a PostgreSQL schema) */
  databaseUrl?: string;
  /** the service's OUTBOX_MAX_BACKOFF_MS and OUTBOX_MAX_ATTEMPTS */
  outboxMaxBackoffMs?: number;
  outboxMaxAttempts?: number;
  logLevel?: string;
  /** keep the temporary directory */
  keep?: boolean;
  /** more environment for the service */
  env?: Record<string, string>;
  /**
   * How long after a heating repair the resident is asked whether the radiators are warm (the
   * organisation's escalation.warmCheck, 2h in the demo). The simulator plays minutes, not hours:
   * default '0m', asked at the next sweep after the resolve.
   */
  warmCheck?: string;
  /** more households for the register (CSV with its columns), imported after the demo customers */
  extraCustomersCsv?: string;
  /** the fakes answer 429 beyond the platforms' limits (Telegram about 30 a second and 1 a second per chat, Slack 1 a second per channel) */
  rateLimits?: boolean;
}

export interface World {
  org: Org;
  tg: TelegramSide;
  slack: SlackSide;
  service: ServiceProcess;
  /** read-only view of the service's database */
  db: Db;
  probe: Probe;
  /** webhook latency of Telegram updates and Slack requests, as the simulator measured it */
  latency: LatencyLog;
  /** the same, per platform */
  latencyOf: { telegram: LatencyLog; slack: LatencyLog };
  dir: string;
  databaseUrl: string;
  /** Answer this share of platform calls with 500 or 429 (+ retry after 1 s), half each. */
  setFaults(o: { slack?: number; telegram?: number }): void;
  /** Secrets the service was given (so that a test can look for them in its log). */
  secrets: { telegramToken: string; webhookSecret: string; slackToken: string; signingSecret: string; apiToken: string };
  /** The service's log file (JSON lines). */
  logFile: string;
  close(): Promise<void>;
}

export async function startWorld(o: WorldOptions = {}): Promise<World> {
  const random = seeded(o.seed ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'heating-sim-'));
  const tgFake = await FakeTelegramApi.start({ rateLimits: o.rateLimits });
  // message ts in real time, like Slack's: the service reads channel history back from its own clock
  const slackFake = await FakeSlackApi.start({ now: Date.now, rateLimits: o.rateLimits });
  const latency = new LatencyLog();
  const latencyOf = { telegram: new LatencyLog(latency), slack: new LatencyLog(latency) };
  const secrets = {
    telegramToken: `7000000001:${randomBytes(12).toString('base64url')}`,
    webhookSecret: randomBytes(16).toString('hex'),
    slackToken: `xoxb-sim-${randomBytes(8).toString('hex')}`,
    signingSecret: randomBytes(16).toString('hex'),
    apiToken: randomBytes(24).toString('base64url'),
  };
  const databaseUrl = o.databaseUrl ?? `file:${join(dir, 'heating.db')}`;
  const logFile = join(dir, 'service.log');
  // the demo organisation with the simulator's warm check, given as an operator gives theirs (ORG_CONFIG)
  const orgFile = join(dir, 'org.yaml');
  writeFileSync(orgFile, readFileSync(DEMO_ORG, 'utf8').replace(/^(\s*warmCheck:).*$/m, `$1 ${o.warmCheck ?? '0m'}`));
  const service = new ServiceProcess({
    port: await freePort(),
    logFile,
    env: {
      DATABASE_URL: databaseUrl,
      API_TOKEN: secrets.apiToken,
      TELEGRAM_BOT_TOKEN: secrets.telegramToken,
      TELEGRAM_WEBHOOK_SECRET: secrets.webhookSecret,
      TELEGRAM_API_ROOT: tgFake.apiRoot,
      SLACK_BOT_TOKEN: secrets.slackToken,
      SLACK_SIGNING_SECRET: secrets.signingSecret,
      SLACK_API_URL: slackFake.url,
      LOG_LEVEL: o.logLevel ?? 'warn',
      OUTBOX_MAX_BACKOFF_MS: String(o.outboxMaxBackoffMs ?? 1000),
      OUTBOX_MAX_ATTEMPTS: String(o.outboxMaxAttempts ?? 50),
      ORG_CONFIG: orgFile,
      // the run starts from an empty database: no season of demo history to audit
      DEMO_HISTORY: '0',
      ...o.env,
    },
  });
  let db: Db | undefined;
  const close = async () => {
    await service.close();
    await db?.$disconnect();
    await tgFake.close();
    await slackFake.close();
    if (!o.keep) rmSync(dir, { recursive: true, force: true });
  };
  try {
    await service.start();
    // an organisation file of one's own gets no demo customers: the register is imported, as an operator would
    await importCustomers(service.url, secrets.apiToken, readFileSync(DEMO_CUSTOMERS));
    if (o.extraCustomersCsv) await importCustomers(service.url, secrets.apiToken, Buffer.from(o.extraCustomersCsv));
    db = await openDb(parseDatabaseUrl(databaseUrl));
  } catch (e) {
    await close();
    throw e;
  }
  const url = () => service.url;
  // update ids above anything a previous run over the same database used
  const firstUpdateId = 1_000_000 + random.int(1_000_000) * 1000;
  const tg = new TelegramSide(tgFake, { url, secret: secrets.webhookSecret, latency: latencyOf.telegram, firstUpdateId });
  const slack = new SlackSide(slackFake, { url, signingSecret: secrets.signingSecret, latency: latencyOf.slack });
  const faultRandom = random.fork('faults');
  return {
    org: new Org(loadOrgFile(orgFile)),
    tg,
    slack,
    service,
    db: db!,
    probe: new Probe(db!),
    latency,
    latencyOf,
    dir,
    databaseUrl,
    secrets,
    logFile,
    setFaults: (f) => {
      if (f.slack !== undefined) slackFake.faults = slackFaults(f.slack, faultRandom);
      if (f.telegram !== undefined) tgFake.faults = telegramFaults(f.telegram, faultRandom);
    },
    close,
  };
}

/** POST /api/customers/import with a register (the demo's; importing it again only updates the rows). */
async function importCustomers(url: string, token: string, csv: Buffer): Promise<void> {
  const res = await fetch(`${url}/api/customers/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' },
    body: csv,
    signal: AbortSignal.timeout(60_000),
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`importing customers: ${res.status} ${body.slice(0, 300)}`);
  const r = JSON.parse(body) as { errors?: unknown[] };
  if (r.errors?.length) throw new Error(`importing customers: ${r.errors.length} bad rows, first ${JSON.stringify(r.errors[0])}`);
}

/** Half 429 + Retry-After, half 500 (the fake draws one number for both). */
function slackFaults(share: number, random: Random) {
  return share > 0 ? { rateLimitRate: share / 2, error500Rate: share / 2, retryAfterSec: 1, random: () => random.next() } : {};
}

/** Half 500, half 429 + retry_after (the fake draws twice: 500 first, then 429 among the rest). */
function telegramFaults(share: number, random: Random) {
  if (share <= 0) return {};
  const e500 = share / 2;
  return { error500Rate: e500, rateLimitRate: share / 2 / (1 - e500), retryAfterSec: 1, random: () => random.next() };
}
