/** Reads settings, opens the database, starts HTTP (and the bots when configured); closes on SIGTERM. */
import pino from 'pino';
import { buildApp, loggerOptions } from './app.js';
import { openCore } from './bootstrap.js';
import { readSettings } from './config.js';
import { createClassifier } from './core/classify/index.js';
import { isAppError } from './core/errors.js';
import { seedDemoCustomers } from './db/seed-demo.js';
import { Checkpointer } from './db/checkpointer.js';
import { sqliteDirect } from './db/sqlite-direct.js';
import { OutboxWorker } from './delivery/outbox-worker.js';
import { DeadlineScheduler } from './scheduler/deadline-scheduler.js';
import { createSlackApp } from './bots/slack/index.js';
import { createTelegramBot, setupTelegram, startTelegramPolling, telegramWebhookPlugin, TelegramDeliverer } from './bots/telegram/index.js';
import { kpiBlocks } from './bots/slack-kpi/kpi-blocks.js';
import { asLocale } from './i18n/index.js';

const log = pino(loggerOptions() as pino.LoggerOptions);

async function main() {
  const settings = readSettings();
  const core = await openCore({ databaseUrl: settings.databaseUrl, orgConfig: settings.orgConfig });
  if (core.applied.length) log.info({ migrations: core.applied }, 'database migrated');
  const direct = sqliteDirect(core.db);
  const checkpointer = direct
    ? Checkpointer.start(direct, { onError: (err) => log.warn({ err }, 'SQLite checkpoint failed') })
    : undefined;
  log.info({ provider: core.provider, org: settings.orgConfig, branches: core.org.branches.size, communities: core.org.communities.size }, 'organisation loaded');
  if (settings.isDemoOrg) {
    const n = await seedDemoCustomers(core);
    if (n) log.info({ customers: n }, 'demo customers loaded');
  }
  if (settings.apiTokenSource === 'file') log.info({ file: settings.apiTokenFile }, 'API_TOKEN not set: using the token kept in this file');

  const classifier = createClassifier();
  const env = process.env;
  let outbox: OutboxWorker | undefined;
  const kick = () => void outbox?.kick();

  const slack =
    env.SLACK_BOT_TOKEN && env.SLACK_SIGNING_SECRET
      ? createSlackApp({
          core,
          token: env.SLACK_BOT_TOKEN,
          signingSecret: env.SLACK_SIGNING_SECRET,
          apiUrl: env.SLACK_API_URL || undefined,
          appToken: env.SLACK_APP_TOKEN || undefined,
          locale: env.SLACK_LOCALE,
          log: log.child({ mod: 'slack' }),
          kick,
          kpiBlocks: (args) => kpiBlocks(core, { ...args, locale: asLocale(env.SLACK_LOCALE) }),
        })
      : undefined;

  const tgToken = env.TELEGRAM_BOT_TOKEN;
  const tgApiRoot = env.TELEGRAM_API_ROOT || undefined;
  const polling = env.TELEGRAM_MODE === 'polling';
  const bot = tgToken ? createTelegramBot({ core, token: tgToken, apiRoot: tgApiRoot, classifier, log: log.child({ mod: 'telegram' }), kick }) : null;
  if (bot && !polling && !env.TELEGRAM_WEBHOOK_SECRET) {
    throw new Error('TELEGRAM_WEBHOOK_SECRET is required in webhook mode (or set TELEGRAM_MODE=polling)');
  }

  const app = await buildApp({
    core,
    apiToken: settings.apiToken,
    classifier,
    logger: loggerOptions(),
    plugins: [
      ...(bot && !polling ? [{ plugin: telegramWebhookPlugin, options: { bot, secret: env.TELEGRAM_WEBHOOK_SECRET } }] : []),
      ...(slack ? [{ plugin: slack.plugin }] : []),
    ],
  });
  if (bot) log.info({ mode: polling ? 'polling' : 'webhook', webhook: polling ? undefined : '/telegram/webhook' }, 'Telegram bot on');
  else log.info('Telegram bot off: set TELEGRAM_BOT_TOKEN (and TELEGRAM_WEBHOOK_SECRET) to turn it on');
  if (slack) log.info({ mode: env.SLACK_APP_TOKEN ? 'socket' : 'http', events: '/slack/events' }, 'Slack app on');
  else log.info('Slack app off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on');
  await app.listen({ port: settings.port, host: settings.host });
  await slack?.app.start();
  let runner: Awaited<ReturnType<typeof startTelegramPolling>> | undefined;
  if (bot) {
    // Telegram not answering at start-up must not keep the service (Slack, the API, the outbox) down:
    // the webhook takes updates anyway, and the commands and webhook are registered at the next start.
    const setup = setupTelegram({ bot, publicUrl: polling ? undefined : settings.publicUrl, secret: env.TELEGRAM_WEBHOOK_SECRET }).catch((e: unknown) =>
      log.error({ err: (e as Error).message }, 'Telegram set-up failed: commands or webhook not registered'),
    );
    if (polling) {
      await setup;
      runner = await startTelegramPolling(bot);
    }
  }

  const scheduler = new DeadlineScheduler({ core, log, onFired: kick });
  await scheduler.start();
  outbox = new OutboxWorker({ db: core.db, clock: core.clock, deliverers: {
      ...(slack ? { slack: slack.deliverer } : {}),
      ...(tgToken ? { telegram: new TelegramDeliverer({ core, token: tgToken, apiRoot: tgApiRoot }) } : {}),
    }, log, perTargetGapMs: 1000, maxAttempts: positive(env.OUTBOX_MAX_ATTEMPTS), maxBackoffMs: positive(env.OUTBOX_MAX_BACKOFF_MS) });
  outbox.start();

  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000).unref();
    await runner?.stop();
    await app.close();
    await slack?.app.stop();
    await scheduler.stop();
    await outbox?.stop();
    await checkpointer?.stop();
    await core.db.$disconnect();
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGTERM', () => void close('SIGTERM'));
  process.on('SIGINT', () => void close('SIGINT'));
}

/** A positive number from the environment, or undefined (the default applies). */
function positive(v: string | undefined): number | undefined {
  const n = Number(v);
  return v && Number.isFinite(n) && n > 0 ? n : undefined;
}

main().catch((e) => {
  if (isAppError(e, 'org_config_invalid')) log.fatal(e.message);
  else log.fatal({ err: e }, 'cannot start');
  process.exit(1);
});
