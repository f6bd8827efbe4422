/** Reads settings, opens the database, starts HTTP (and the bots when configured); closes on SIGTERM. */
import { RateGate, TELEGRAM_PER_SECOND } from './delivery/pacing.js';
import pino from 'pino';
import { buildApp, loggerOptions } from './app.js';
import { openCore } from './bootstrap.js';
import { apiClientKeys, apiClientTokens, apiClientWebhooks, readSettings } from './config.js';
import { LogScrubber, secretsIn } from './log/scrub.js';
import { createClassifier } from './core/classify/index.js';
import { isAppError } from './core/errors.js';
import { seedDemoCustomers } from './db/seed-demo.js';
import { seedHistoryAtStart } from './db/seed-history.js';
import { OutboxWorker } from './delivery/outbox-worker.js';
import { WebhookDeliverer } from './delivery/webhook-deliverer.js';
import { DeadlineScheduler } from './scheduler/deadline-scheduler.js';
import { createSlackApp } from './bots/slack/index.js';
import { createTelegramBot, setupTelegram, startTelegramPolling, telegramWebhookPlugin, TelegramDeliverer, TelegramFiles } from './bots/telegram/index.js';
import { kpiBlocks } from './bots/slack-kpi/kpi-blocks.js';

// one scrubber for every logger; told each secret as it becomes known (reading the settings logs no value)
const scrubber = new LogScrubber();
const log = pino(loggerOptions('info', scrubber) as pino.LoggerOptions);

async function main() {
  const settings = readSettings();
  scrubber.add(secretsIn(settings));
  log.level = settings.logLevel;
  const core = await openCore({ databaseUrl: settings.databaseUrl, orgConfig: settings.orgConfig, pgPoolSize: settings.pgPoolSize });
  scrubber.add(apiClientTokens(core.org.config.apiClients));
  // each API client's token, from the environment where the organisation file says so: a missing one stops the start
  const apiClients = apiClientKeys(core.org.config.apiClients, settings.apiToken);
  // Open311: the webhooks of the clients told when their requests close, each with its signing secret
  const webhooks = apiClientWebhooks(core.org.config.apiClients);
  scrubber.add(webhooks.map((h) => h.secret));
  if (core.applied.length) log.info({ migrations: core.applied }, 'database migrated');
  const checkpointer = core.startCheckpointer({ onError: (err) => log.warn({ err }, 'SQLite checkpoint failed') });
  log.info(
    { provider: core.provider, org: settings.orgConfig, branches: core.org.branches.size, communities: core.org.communities.size },
    'organisation loaded',
  );
  if (settings.isDemoOrg) {
    // under the start-up lock: a second instance starting now waits for the whole register
    const n = await core.exclusive(() => seedDemoCustomers(core));
    if (n) log.info({ customers: n }, 'demo customers loaded');
  }
  // after the customers (the history's reports are theirs)
  const history = await seedHistoryAtStart(core, settings);
  if (history)
    log.info(
      { tickets: history.tickets, incidents: history.incidents, from: history.from, to: history.to },
      'demo history loaded (DEMO_HISTORY=0 turns it off)',
    );
  log.info({ apiClients: apiClients.map((c) => `${c.id} (${c.scopes.join(', ')})`), docsPublic: settings.docsPublic }, 'API clients');
  if (settings.apiTokenSource === 'file') log.info({ file: settings.apiTokenFile }, 'API_TOKEN not set: using the token kept in this file');

  const classifier = createClassifier();
  let outbox: OutboxWorker | undefined;
  const kick = () => void outbox?.kick();

  const sl = settings.slack;
  const tgToken = settings.telegram?.token;
  const tgApiRoot = settings.telegram?.apiRoot;
  const slack = sl
    ? createSlackApp({
        core,
        token: sl.botToken,
        signingSecret: sl.signingSecret,
        apiUrl: sl.apiUrl,
        appToken: sl.appToken,
        locale: sl.locale,
        log: log.child({ mod: 'slack' }),
        kick,
        kpiBlocks: (args) => kpiBlocks(core, { ...args, locale: sl.locale }),
        classifier,
        // residents' photos and voice messages go into the cards' threads
        files: tgToken ? new TelegramFiles({ token: tgToken, apiRoot: tgApiRoot }) : undefined,
      })
    : undefined;

  const tgSecret = settings.telegram?.webhookSecret;
  const polling = settings.telegram?.mode === 'polling';
  // Telegram's limit is the bot's in all (about 30 messages a second): the bot's replies and the
  // outbox take turns in one gate, replies first
  const telegramPace = new RateGate(settings.outbox.telegramPerSecond ?? TELEGRAM_PER_SECOND);
  const bot = tgToken
    ? createTelegramBot({
        core,
        token: tgToken,
        apiRoot: tgApiRoot,
        classifier,
        log: log.child({ mod: 'telegram' }),
        kick,
        redelivered: !polling,
        pace: telegramPace,
        handbookDir: settings.telegram?.handbookDir,
      })
    : null;

  const app = await buildApp({
    core,
    apiToken: settings.apiToken,
    apiClients,
    docsPublic: settings.docsPublic,
    classifier,
    trustProxy: settings.trustProxy,
    dashboard: { publicUrl: settings.publicUrl, slackSignIn: settings.slackSignIn },
    logger: loggerOptions(settings.logLevel, scrubber),
    limits: settings.limits,
    plugins: [
      ...(bot && !polling ? [{ plugin: telegramWebhookPlugin, options: { bot, secret: tgSecret } }] : []),
      ...(slack ? [{ plugin: slack.plugin }] : []),
    ],
  });
  if (bot) log.info({ mode: polling ? 'polling' : 'webhook', webhook: polling ? undefined : '/telegram/webhook' }, 'Telegram bot on');
  else log.info('Telegram bot off: set TELEGRAM_BOT_TOKEN (and TELEGRAM_WEBHOOK_SECRET) to turn it on');
  if (slack) log.info({ mode: sl?.appToken ? 'socket' : 'http', events: '/slack/events' }, 'Slack app on');
  else log.info('Slack app off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on');
  await app.listen({ port: settings.port, host: settings.host });
  await slack?.app.start();
  let runner: Awaited<ReturnType<typeof startTelegramPolling>> | undefined;
  if (bot) {
    // Telegram not answering at start-up must not keep the service (Slack, the API, the outbox) down:
    // the webhook takes updates anyway, and the commands and webhook are registered at the next start.
    const setup = setupTelegram({ bot, publicUrl: polling ? undefined : settings.publicUrl, secret: tgSecret }).catch((e: unknown) =>
      log.error({ err: (e as Error).message }, 'Telegram set-up failed: commands or webhook not registered'),
    );
    if (polling) {
      await setup;
      runner = await startTelegramPolling(bot);
    }
  }

  const scheduler = new DeadlineScheduler({ core, log, onFired: kick });
  await scheduler.start();
  outbox = new OutboxWorker({
    outbox: core.stores.outbox,
    clock: core.clock,
    deliverers: {
      ...(slack ? { slack: slack.deliverer } : {}),
      ...(tgToken ? { telegram: new TelegramDeliverer({ core, token: tgToken, apiRoot: tgApiRoot }) } : {}),
      ...(webhooks.length ? { webhook: new WebhookDeliverer({ core, webhooks }) } : {}),
    },
    log,
    // about one message a second per chat (Telegram) and per channel (Slack's chat.postMessage);
    // a city platform's webhook takes its calls as they come
    perTargetGapMs: { telegram: 1000, slack: 1000 },
    gates: { telegram: telegramPace },
    maxAttempts: settings.outbox.maxAttempts,
    maxBackoffMs: settings.outbox.maxBackoffMs,
  });
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
    await core.close();
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGTERM', () => void close('SIGTERM'));
  process.on('SIGINT', () => void close('SIGINT'));
}

main().catch((e) => {
  if (isAppError(e, 'org_config_invalid') || isAppError(e, 'validation_failed')) log.fatal(e.message);
  else log.fatal({ err: e }, 'cannot start');
  process.exit(1);
});
