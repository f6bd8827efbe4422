/** Reads settings, opens the database, starts HTTP (and the bots when configured); closes on SIGTERM. */
import pino from 'pino';
import { buildApp, loggerOptions } from './app.js';
import { openCore } from './bootstrap.js';
import { readSettings } from './config.js';
import { createClassifier } from './core/classify/index.js';
import { isAppError } from './core/errors.js';
import { seedDemoCustomers } from './db/seed-demo.js';
import { OutboxWorker } from './delivery/outbox-worker.js';
import { DeadlineScheduler } from './scheduler/deadline-scheduler.js';

const log = pino(loggerOptions() as pino.LoggerOptions);

async function main() {
  const settings = readSettings();
  const core = await openCore({ databaseUrl: settings.databaseUrl, orgConfig: settings.orgConfig });
  if (core.applied.length) log.info({ migrations: core.applied }, 'database migrated');
  log.info({ provider: core.provider, org: settings.orgConfig, branches: core.org.branches.size, communities: core.org.communities.size }, 'organisation loaded');
  if (settings.isDemoOrg) {
    const n = await seedDemoCustomers(core);
    if (n) log.info({ customers: n }, 'demo customers loaded');
  }
  if (settings.apiTokenSource === 'file') log.info({ file: settings.apiTokenFile }, 'API_TOKEN not set: using the token kept in this file');

  const classifier = createClassifier();
  const app = await buildApp({ core, apiToken: settings.apiToken, classifier, logger: loggerOptions() });
  log.info('Telegram bot off: set TELEGRAM_BOT_TOKEN (and TELEGRAM_WEBHOOK_SECRET) to turn it on');
  log.info('Slack app off: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to turn it on');
  await app.listen({ port: settings.port, host: settings.host });

  const scheduler = new DeadlineScheduler({ core, log });
  await scheduler.start();
  const outbox = new OutboxWorker({ db: core.db, clock: core.clock, deliverers: {}, log });
  outbox.start();

  let closing = false;
  const close = async (signal: string) => {
    if (closing) return;
    closing = true;
    log.info({ signal }, 'shutting down');
    const timer = setTimeout(() => process.exit(1), 10_000).unref();
    await app.close();
    await scheduler.stop();
    await outbox.stop();
    await core.db.$disconnect();
    clearTimeout(timer);
    process.exit(0);
  };
  process.on('SIGTERM', () => void close('SIGTERM'));
  process.on('SIGINT', () => void close('SIGINT'));
}

main().catch((e) => {
  if (isAppError(e, 'org_config_invalid')) log.fatal(e.message);
  else log.fatal({ err: e }, 'cannot start');
  process.exit(1);
});
