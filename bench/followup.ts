/**
 * A follow-up costs no more than a report (issue 15, Speed): residents who each have an open
 * leak ticket write again on it ("水还在流…"), through POST /telegram/webhook to the compiled
 * service, as the intake bench sends reports, and both are measured in the same run on the same
 * service: first the reports (fresh bound residents, c=50 closed loop: each files a leak), then the
 * follow-ups of those same residents (c=50 closed loop). A follow-up is a note on the open ticket
 * (core/residents/add-follow-up.ts), its thread line owed to the card, the on-duty staff paged at
 * most once per ticket per 10 minutes, and the bot's "已补充到工单 …" reply.
 *
 * Counted from the database: tickets stored during the report run, residents' notes stored during
 * the follow-up run (a request that stored nothing is not counted), and the replies the fake Bot
 * API received (so a follow-up taken for a new report or a question would show).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeTelegramApi } from '../tools/dev/fake-telegram-api.js';
import { t } from '../src/i18n/index.js';
import { bindResidents, textUpdate } from './intake.js';
import { load, type LoadResult } from './load.js';
import { startService } from './service.js';

const SECRET = 'bench-webhook-secret-0123456789abcdef';
const FIRST_USER = 900_000_000;
const LEAKS = ['楼上跑水了，水顺着墙往下流', '家里暖气片漏水了，地上都是水', '暖气管爆管了，快来人', '卫生间暖气跑水，楼下也被淹了'];
/** More words on the same leak: the trained classifier reads each as a leak, so it joins the open leak ticket. */
const FOLLOW_UPS = ['水还在流，地上全是水', '楼下邻居说他家天花板也在滴水', '水已经流到楼道里了', '阀门我关了，还在滴'];
/** The bot's answer to a follow-up, up to its placeholder. */
const ADDED = t('zh-CN', 'telegram.followup.added').split('{')[0];

export interface FollowupRun extends LoadResult {
  /** what the run stored per second: tickets (reports) or residents' notes (follow-ups) */
  perS: number;
  cpuMsPerRequest: number;
  /** bot replies that read "已补充到工单 …" during the run, per note stored (1: every follow-up was told it was added) */
  addedShare?: number;
}

export interface FollowupResult {
  report: FollowupRun;
  followup: FollowupRun;
  /** residents who had an open ticket for the follow-up run */
  openTickets: number;
}

export async function followupBench(opts: { connections: number; durationS: number; residents?: number }): Promise<FollowupResult> {
  const residents = opts.residents ?? 20_000;
  const dir = mkdtempSync(join(tmpdir(), 'bench-followup-'));
  const file = join(dir, 'followup.db');
  const fake = await FakeTelegramApi.start();
  const svc = await startService({
    DATABASE_URL: `file:${file}`,
    API_TOKEN: 'bench-api-token-0123456789abcdefghij',
    TELEGRAM_BOT_TOKEN: '123456:bench-token',
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    RATE_LIMIT_WEBHOOKS_PER_MINUTE: '0',
    RATE_LIMIT_API_PER_MINUTE: '0',
  });
  const db = () => new Database(file, { readonly: true });
  const count = (sql: string) => {
    const c = db();
    try {
      return c.prepare(sql).pluck().get() as number;
    } finally {
      c.close();
    }
  };
  let updateId = 1;
  try {
    bindResidents(file, residents);
    const headers = { 'x-telegram-bot-api-secret-token': SECRET };
    const url = `${svc.url}/telegram/webhook`;

    // 1. reports: each fresh resident files a leak (one update, one ticket)
    let next = 0;
    const tickets0 = count('SELECT COUNT(*) FROM "Ticket"');
    let cpu0 = svc.cpuMs();
    const r1 = await load({
      url,
      connections: opts.connections,
      durationS: opts.durationS,
      headers,
      body: () => {
        const k = next++ % residents;
        return textUpdate(updateId++, FIRST_USER + k, LEAKS[k % LEAKS.length]);
      },
    });
    const report: FollowupRun = {
      ...r1,
      perS: (count('SELECT COUNT(*) FROM "Ticket"') - tickets0) / opts.durationS,
      cpuMsPerRequest: (svc.cpuMs() - cpu0) / Math.max(r1.requests, 1),
    };

    // 2. follow-ups: the residents with an open ticket write on it again, in turn
    const c = db();
    const users = (
      c
        .prepare(
          `SELECT r."telegramUserId" FROM "Resident" r WHERE EXISTS (SELECT 1 FROM "Ticket" t WHERE t."residentId" = r.id AND t.status NOT IN ('closed','cancelled','duplicate')) ORDER BY r.id`,
        )
        .pluck()
        .all() as string[]
    ).map(Number);
    c.close();
    if (!users.length) throw new Error('no resident has an open ticket: the reports were not filed');
    const notes0 = count(`SELECT COUNT(*) FROM "TicketEvent" WHERE type = 'note' AND actor LIKE 'resident:%'`);
    const calls0 = fake.calls.length;
    cpu0 = svc.cpuMs();
    let k = 0;
    const r2 = await load({
      url,
      connections: opts.connections,
      durationS: opts.durationS,
      headers,
      body: () => {
        const i = k++;
        return textUpdate(updateId++, users[i % users.length], FOLLOW_UPS[Math.floor(i / users.length) % FOLLOW_UPS.length]);
      },
    });
    const added = fake.calls
      .slice(calls0)
      .filter((x) => x.method === 'sendMessage' && x.status === 200 && String(x.params.text ?? '').startsWith(ADDED)).length;
    const notes = count(`SELECT COUNT(*) FROM "TicketEvent" WHERE type = 'note' AND actor LIKE 'resident:%'`) - notes0;
    const followup: FollowupRun = {
      ...r2,
      perS: notes / opts.durationS,
      cpuMsPerRequest: (svc.cpuMs() - cpu0) / Math.max(r2.requests, 1),
      addedShare: added / Math.max(notes, 1),
    };
    return { report, followup, openTickets: users.length };
  } finally {
    await svc.stop();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
