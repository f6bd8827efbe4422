/**
 * The outbox under the platforms' limits, for bench/urgent.ts and bench/notices.ts: the outbox
 * worker as main.ts builds it (one message a second per chat and channel, Telegram at 28 a second
 * in all), on a SQLite file, in front of the fake Slack Web API and fake Telegram Bot API with
 * their rate limits on (429 beyond them). The deliverers post one message per row through the
 * real clients: what is measured is the worker's order and pacing, not the rendering of a card.
 */
import { WebClient } from '@slack/web-api';
import { Api } from 'grammy';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toDeliveryError as slackError } from '../src/bots/slack/slack-errors.js';
import { toDeliveryError as telegramError } from '../src/bots/telegram/deliverer.js';
import { systemClock } from '../src/core/clock.js';
import type { OutboxItem, OutboxKind } from '../src/core/outbox/enqueue.js';
import { openDb, parseDatabaseUrl } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { runnerOf } from '../src/db/runner.js';
import { SqlOutboxStore } from '../src/db/stores/outbox-store.js';
import { OutboxWorker } from '../src/delivery/outbox-worker.js';
import type { Deliverer } from '../src/delivery/types.js';
import { FakeSlackApi } from '../tools/dev/fake-slack-api.js';
import { FakeTelegramApi } from '../tools/dev/fake-telegram-api.js';

import { TELEGRAM_PER_SECOND } from '../src/delivery/pacing.js';

export { TELEGRAM_PER_SECOND };

/** A SQLite file, the two fakes with their limits on, and the worker in front of them. */
export async function outboxWorld() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-outbox-'));
  const target = parseDatabaseUrl(`file:${join(dir, 'outbox.db')}`);
  await migrate(target);
  const db = await openDb(target);
  const outbox = new SqlOutboxStore(runnerOf(db));
  const slack = await FakeSlackApi.start({ rateLimits: true });
  const tg = await FakeTelegramApi.start({ rateLimits: true });
  const client = new WebClient('xoxb-bench', { slackApiUrl: slack.url, retryConfig: { retries: 0 }, rejectRateLimitedCalls: true });
  const api = new Api('123:bench', { apiRoot: tg.apiRoot });
  const slackDeliverer: Deliverer = {
    async deliver(row) {
      try {
        return { result: { ts: (await client.chat.postMessage({ channel: row.target, text: row.key })).ts } };
      } catch (e) {
        throw slackError(e);
      }
    },
  };
  const telegramDeliverer: Deliverer = {
    async deliver(row) {
      try {
        return { result: { messageId: (await api.sendMessage(row.target, row.key)).message_id } };
      } catch (e) {
        throw telegramError(e);
      }
    },
  };
  const worker = new OutboxWorker({
    outbox,
    clock: systemClock,
    deliverers: { slack: slackDeliverer, telegram: telegramDeliverer },
    perTargetGapMs: 1000,
    perSecond: { telegram: TELEGRAM_PER_SECOND },
  });
  const owe = async (items: OutboxItem[]) => {
    for (let i = 0; i < items.length; i += 1000) await outbox.owe(items.slice(i, i + 1000), new Date());
  };
  return {
    slack,
    tg,
    worker,
    owe,
    async close() {
      await worker.stop();
      await slack.close();
      await tg.close();
      await db.$disconnect();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const item = (key: string, platform: 'slack' | 'telegram', target: string, kind: OutboxKind): OutboxItem => ({
  key,
  platform,
  target,
  kind,
  payload: {},
});

/** Resolves when `done` holds, checking every 10 ms; rejects after `ms`. */
export async function until(done: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error('bench: not done in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
