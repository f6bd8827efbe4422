/**
 * A staff member's reply in a card's Slack thread, relayed to the resident's Telegram chat (issue
 * 15, Speed). The compiled service runs with both fakes (tools/dev/fake-telegram-api.ts,
 * fake-slack-api.ts); bound residents file leaks through the webhook and the outbox posts their
 * cards to the branches' dispatch channels (the fake Slack gives each its ts). Then the branch
 * coordinators answer in the cards' threads: signed Events API `message` events (thread_ts = the
 * card's ts) POSTed to /slack/events at a fixed rate, each ticket in turn, so that no resident's
 * chat is asked for more than the outbox's one message per second per chat.
 *
 * Measured per reply: the ack (the POST's answer, which Slack wants within 3 s) and the relay, from
 * the POST until the fake Bot API receives the sendMessage that carries it. Bounded in count and
 * time; everything on 127.0.0.1.
 */
import Database from 'better-sqlite3';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_ORG } from '../src/config.js';
import { loadOrgFile } from '../src/core/org/load-org.js';
import { Org } from '../src/core/org/org.js';
import { FakeSlackApi } from '../tools/dev/fake-slack-api.js';
import { FakeTelegramApi, type FakeTelegramCall } from '../tools/dev/fake-telegram-api.js';
import { bindResidents } from './intake.js';
import { startService } from './service.js';

const TG_SECRET = 'bench-webhook-secret-0123456789abcdef';
const SIGNING_SECRET = 'bench-signing-secret';
const FIRST_USER = 900_000_000;
const LEAKS = ['楼上跑水了，水顺着墙往下流', '家里暖气片漏水了，地上都是水', '暖气管爆管了，快来人', '卫生间暖气跑水，楼下也被淹了'];
const REPLY = '师傅已经出发，二十分钟左右到，请家里留人，先把暖气阀门关上。';
/** Each reply ends with its number, so that the message the resident receives names the reply it carries. */
const MARK = /#(\d+)\s*$/;

export interface StaffReplyResult {
  tickets: number;
  replies: number;
  /** replies/s offered */
  rate: number;
  /** replies the fake Bot API received as sendMessage */
  relayed: number;
  ack: { p50: number; p99: number; max: number };
  relay: { p50: number; p99: number; max: number };
  non2xx: number;
  /** seconds the outbox took to post the cards before the replies began */
  seedS: number;
}

const pct = (xs: number[], q: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? Math.round(s[Math.min(s.length - 1, Math.floor(s.length * q))]) : NaN;
};

export async function staffReplyBench(opts: { tickets: number; replies: number; rate: number; timeoutS?: number }): Promise<StaffReplyResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-staffreply-'));
  const file = join(dir, 'staffreply.db');
  const tg = await FakeTelegramApi.start();
  const slack = await FakeSlackApi.start({ now: Date.now });
  const svc = await startService({
    DATABASE_URL: `file:${file}`,
    API_TOKEN: 'bench-api-token-0123456789abcdefghij',
    TELEGRAM_BOT_TOKEN: '123456:bench-token',
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    TELEGRAM_API_ROOT: tg.apiRoot,
    SLACK_BOT_TOKEN: 'xoxb-bench',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.url,
    RATE_LIMIT_WEBHOOKS_PER_MINUTE: '0',
    RATE_LIMIT_API_PER_MINUTE: '0',
  });
  const deadline = Date.now() + (opts.timeoutS ?? 300) * 1000;
  try {
    bindResidents(file, opts.tickets);
    // 1. the leaks, one update each; their cards go out through the outbox
    const seed0 = performance.now();
    for (let i = 0; i < opts.tickets; i++) {
      const user = FIRST_USER + i;
      const body = JSON.stringify({
        update_id: i + 1,
        message: {
          message_id: 1,
          date: Math.floor(Date.now() / 1000),
          chat: { id: user, type: 'private' },
          from: { id: user, is_bot: false, first_name: 'Bench', language_code: 'zh-hans' },
          text: LEAKS[i % LEAKS.length],
        },
      });
      const r = await fetch(`${svc.url}/telegram/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET },
        body,
      });
      if (!r.ok) throw new Error(`webhook answered ${r.status}: ${await r.text()}`);
    }
    const org = new Org(loadOrgFile(DEMO_ORG));
    // who answers: each branch's coordinator (anyone of the branch with Slack when it has none)
    const coordinator = new Map<string, string>();
    for (const s of org.staff.values())
      if (s.branchId && s.slackUserId && (s.role === 'branch_coordinator' || !coordinator.has(s.branchId))) coordinator.set(s.branchId, s.slackUserId);
    type Card = { ticketId: number; channel: string; ts: string; chatId: string; branchId: string };
    let cards: Card[] = [];
    for (;;) {
      const db = new Database(file, { readonly: true });
      cards = db
        .prepare(
          `SELECT t.id AS ticketId, c.channel, c.ts, r."chatId" AS chatId, t."branchId" AS branchId
           FROM "Ticket" t JOIN "SlackCard" c ON c."ticketId" = t.id AND c.purpose = 'dispatch' JOIN "Resident" r ON r.id = t."residentId"
           ORDER BY t.id`,
        )
        .all() as Card[];
      db.close();
      if (cards.length >= opts.tickets) break;
      if (Date.now() > deadline) throw new Error(`only ${cards.length} of ${opts.tickets} cards were posted in time`);
      await new Promise((r) => setTimeout(r, 250));
    }
    const seedS = (performance.now() - seed0) / 1000;

    // 2. the replies: sent at a fixed rate, each one timed until its sendMessage reaches the fake
    const sentAt = new Map<number, number>();
    const relayMs: number[] = [];
    const calls = tg.calls;
    const push = calls.push.bind(calls);
    calls.push = (...xs: FakeTelegramCall[]) => {
      const now = performance.now();
      for (const c of xs) {
        if (c.method !== 'sendMessage' || c.status !== 200) continue;
        const m = MARK.exec(String(c.params.text ?? ''));
        const at = m ? sentAt.get(Number(m[1])) : undefined;
        if (at !== undefined) {
          relayMs.push(now - at);
          sentAt.delete(Number(m![1]));
        }
      }
      return push(...xs);
    };
    const ackMs: number[] = [];
    let non2xx = 0;
    const send = async (k: number) => {
      const card = cards[k % cards.length];
      const ts = `${Math.floor(Date.now() / 1000)}.${String(k).padStart(6, '0')}`;
      const payload = JSON.stringify({
        token: 'legacy',
        team_id: 'TBENCH',
        api_app_id: 'ABENCH',
        type: 'event_callback',
        event_id: `EvBENCH${k}`,
        event_time: Math.floor(Date.now() / 1000),
        event: {
          type: 'message',
          channel: card.channel,
          channel_type: 'channel',
          user: coordinator.get(card.branchId),
          text: `${REPLY} #${k}`,
          ts,
          thread_ts: card.ts,
          event_ts: ts,
        },
        authorizations: [{ team_id: 'TBENCH', user_id: 'UBENCHBOT', is_bot: true, is_enterprise_install: false }],
      });
      const stamp = Math.floor(Date.now() / 1000);
      const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${stamp}:${payload}`).digest('hex')}`;
      const t0 = performance.now();
      sentAt.set(k, t0);
      try {
        const r = await fetch(`${svc.url}/slack/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-slack-request-timestamp': String(stamp), 'x-slack-signature': signature },
          body: payload,
          signal: AbortSignal.timeout(10_000),
        });
        await r.arrayBuffer();
        ackMs.push(performance.now() - t0);
        if (!r.ok) non2xx++;
      } catch {
        non2xx++;
      }
    };
    const pending: Promise<void>[] = [];
    const t0 = performance.now() + 10;
    for (let k = 0; k < opts.replies; ) {
      for (; k < opts.replies && t0 + (k * 1000) / opts.rate <= performance.now(); k++) pending.push(send(k));
      if (k < opts.replies) await new Promise((r) => setTimeout(r, Math.max(0, t0 + (k * 1000) / opts.rate - performance.now())));
    }
    await Promise.all(pending);
    const end = Math.min(deadline, Date.now() + 30_000);
    while (sentAt.size && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
    calls.push = push;
    return {
      tickets: cards.length,
      replies: opts.replies,
      rate: opts.rate,
      relayed: relayMs.length,
      ack: { p50: pct(ackMs, 0.5), p99: pct(ackMs, 0.99), max: Math.round(Math.max(...ackMs)) },
      relay: { p50: pct(relayMs, 0.5), p99: pct(relayMs, 0.99), max: Math.round(Math.max(...relayMs, 0)) },
      non2xx,
      seedS,
    };
  } finally {
    await svc.stop();
    await tg.close();
    await slack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
