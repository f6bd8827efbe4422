/**
 * The whole HTTP surface in one app for fuzzing (issue 8, bad input): the API, the Telegram
 * webhook and the Slack events route over a real test database, the bots talking to the fake
 * platform APIs on 127.0.0.1. Requests go through app.inject; rows are counted before and after.
 */
import type { FastifyInstance } from 'fastify';
import { createSlackApp, type SlackApp } from '../../src/bots/slack/index.js';
import { createTelegramBot } from '../../src/bots/telegram/bot.js';
import { telegramWebhookPlugin } from '../../src/bots/telegram/webhook.js';
import type { Db } from '../../src/db/client.js';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { FakeSlackApi } from '../../tools/dev/fake-slack-api.js';
import { FakeTelegramApi } from '../../tools/dev/fake-telegram-api.js';
import { makeTestApp } from '../helpers/app.js';
import { makeTestCore, type TestCore } from '../helpers/core.js';
import { signed } from '../helpers/slack.js';

export const TG_SECRET = 'fuzz_webhook_secret-0123';
export const SIGNING_SECRET = 'fuzz-signing-secret-0123456789';

export interface FuzzApp {
  app: FastifyInstance;
  core: TestCore;
  slack: SlackApp;
  /** errors the bots logged: a handler that threw on some input (a refusal of the core is not one) */
  errors: string[];
  slackFake: FakeSlackApi;
  close(): Promise<void>;
}

export async function startFuzzApp(): Promise<FuzzApp> {
  const tg = await FakeTelegramApi.start();
  const slackFake = await FakeSlackApi.start();
  const core = await makeTestCore();
  await seedDemoCustomers(core);
  const errors: string[] = [];
  const log = { info() {}, warn() {}, error: (obj: object, msg?: string) => void errors.push(`${msg ?? ''} ${JSON.stringify(obj).slice(0, 400)}`) };
  const bot = createTelegramBot({ core, token: '123456:FUZZ-token', apiRoot: tg.apiRoot, retry: false, log });
  const slack = createSlackApp({ core, token: 'xoxb-fuzz', signingSecret: SIGNING_SECRET, apiUrl: slackFake.url, log });
  const { app } = await makeTestApp({ plugins: [{ plugin: telegramWebhookPlugin, options: { bot, secret: TG_SECRET } }, { plugin: slack.plugin }] }, core);
  return {
    app,
    core,
    slack,
    errors,
    slackFake,
    close: async () => {
      await slack.idle();
      await app.close();
      await tg.close();
      await slackFake.close();
      await core.close();
    },
  };
}

const TABLES = [
  'customer',
  'resident',
  'ticket',
  'ticketEvent',
  'ticketPhoto',
  'serviceForm',
  'callback',
  'dutyLogEntry',
  'handover',
  'scheduledAlert',
  'outboxMessage',
  'inboundReceipt',
  'slackCard',
] as const;

export type Counts = Record<(typeof TABLES)[number], number>;

/** Rows in every table (one statement: it runs twice per generated request). */
export async function counts(db: Db): Promise<Counts> {
  const table = (t: string) => `"${t[0].toUpperCase()}${t.slice(1)}"`;
  const [row] = await db.$queryRawUnsafe<Record<string, number | bigint>[]>(
    `SELECT ${TABLES.map((t) => `(SELECT COUNT(*) FROM ${table(t)}) AS "${t}"`).join(', ')}`,
  );
  return Object.fromEntries(TABLES.map((t) => [t, Number(row[t])])) as Counts;
}

/** The tables whose row count changed between two snapshots. */
export function changed(a: Counts, b: Counts): string[] {
  return TABLES.filter((t) => a[t] !== b[t]).map((t) => `${t}: ${a[t]} → ${b[t]}`);
}

/** Seconds on the app's clock (Slack signatures are checked against it). */
export const slackNow = (f: FuzzApp) => Math.floor(f.core.clock.now().getTime() / 1000);

/** POST a Slack request, signed with the signing secret unless other headers are given. */
export function slackPost(f: FuzzApp, payload: string, contentType: string, headers?: Record<string, string>) {
  return f.app.inject({
    method: 'POST',
    url: '/slack/events',
    headers: { 'content-type': contentType, ...(headers ?? signed(payload, SIGNING_SECRET, slackNow(f))) },
    payload,
  });
}

export function telegramPost(
  f: FuzzApp,
  payload: string | object,
  headers: Record<string, string> = { 'x-telegram-bot-api-secret-token': TG_SECRET },
  contentType = 'application/json',
) {
  return f.app.inject({
    method: 'POST',
    url: '/telegram/webhook',
    headers: { 'content-type': contentType, ...headers },
    payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
  });
}
