/**
 * The staff Slack app (issue 4): Bolt on the service's Fastify server (POST /slack/events), or on
 * Socket Mode when an app-level token is given, plus the outbox deliverer that posts and updates
 * the cards. main.ts builds it when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set.
 */
import { App, SocketModeReceiver, webApi } from '@slack/bolt';
import type { FastifyPluginAsync } from 'fastify';
import type { Clock } from '../../core/clock.js';
import type { Core } from '../../core/context.js';
import { asLocale, type Locale } from '../../i18n/index.js';
import { SlackDeliverer } from './deliverer.js';
import { FastifyReceiver } from './fastify-receiver.js';
import { registerCallbacks } from './handlers/callbacks.js';
import { registerCommands } from './handlers/commands.js';
import { registerDedupe } from './handlers/dedupe.js';
import { registerDuty } from './handlers/duty.js';
import { registerEscalation } from './handlers/escalation.js';
import { registerEvents } from './handlers/events.js';
import { registerHandover } from './handlers/handover.js';
import { registerIncidents } from './handlers/incidents.js';
import { registerConduct } from './handlers/conduct.js';
import { registerForms } from './handlers/forms.js';
import { registerPrices } from './handlers/prices.js';
import { registerQuotes } from './handlers/quotes.js';
import { registerThreadReplies } from './handlers/thread-replies.js';
import { registerSuggestions } from './handlers/suggestions.js';
import { registerTicketSteps } from './handlers/ticket-steps.js';
import { registerTicketTools } from './handlers/ticket-tools.js';
import { registerTraining } from './handlers/training.js';
import type { KpiBlocks, SlackDeps } from './kit.js';
import type { ScopeReader } from './modals/intake-modal.js';
import { boltLogger, silentLog, type SlackLog } from './logger.js';
import type { ResidentFiles } from '../../delivery/resident-files.js';

export interface SlackAppOptions {
  core: Core;
  /** SLACK_BOT_TOKEN (xoxb-...) */
  token: string;
  /** SLACK_SIGNING_SECRET: verifies every request to POST /slack/events */
  signingSecret: string;
  /** SLACK_API_URL: another Web API root (Enterprise/Gov, or a fake in tests) */
  apiUrl?: string;
  /** SLACK_APP_TOKEN (xapp-...): Socket Mode instead of public HTTP URLs */
  appToken?: string;
  log?: SlackLog;
  /** the clock signatures are checked against (default: the core's) */
  clock?: Clock;
  /** staff language: SLACK_LOCALE, default zh-CN */
  locale?: string;
  /** called after a change that owes messages, so the outbox delivers at once (e.g. worker.kick()) */
  kick?: () => void;
  /** answers /kpi when the KPI module is plugged in */
  kpiBlocks?: KpiBlocks;
  /** reads the scope of an /intake description left without one (main.ts: the trained classifier) */
  classifier?: ScopeReader;
  /** answer Slack this long after a request at the latest (default 2.5 s; Slack waits 3 s) */
  ackTimeoutMs?: number;
  /** the residents' photos and voice messages for the cards' threads (the Telegram bot's files) */
  files?: ResidentFiles;
}

export interface SlackApp {
  app: App;
  receiver: FastifyReceiver | SocketModeReceiver;
  /** POST /slack/events on the service's Fastify server (nothing in Socket Mode) */
  plugin: FastifyPluginAsync;
  deliverer: SlackDeliverer;
  locale: Locale;
  /** resolves when every request received so far has been processed */
  idle(): Promise<void>;
}

export function createSlackApp(o: SlackAppOptions): SlackApp {
  const log = o.log ?? silentLog;
  const logger = boltLogger(log);
  const locale = asLocale(o.locale);
  const slackApiUrl = o.apiUrl ? o.apiUrl.replace(/\/?$/, '/') : undefined;
  // listeners answer people: a couple of quick retries, then the error shows (the step is stored or refused already)
  const clientOptions: webApi.WebClientOptions = {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    retryConfig: { retries: 2, factor: 2, minTimeout: 300, maxTimeout: 2000 },
  };

  // auth.test once, when the first request needs it (Bolt's ignoreSelf wants the bot's ids)
  const identity = new webApi.WebClient(o.token, { ...clientOptions, logger });
  let who: Promise<{ botUserId?: string; botId?: string }> | undefined;
  const authorize = async () => {
    who ??= identity.auth
      .test()
      .then((r) => ({ botUserId: r.user_id as string | undefined, botId: r.bot_id as string | undefined }))
      .catch((e: unknown) => {
        who = undefined;
        throw e;
      });
    return { botToken: o.token, ...(await who) };
  };

  const receiver = o.appToken
    ? new SocketModeReceiver({ appToken: o.appToken, logger })
    : new FastifyReceiver({ signingSecret: o.signingSecret, clock: o.clock ?? o.core.clock, log, ackTimeoutMs: o.ackTimeoutMs });
  const app = new App({ receiver, authorize, logger, clientOptions, convoStore: false });
  app.error(async (e) => log.error({ err: e.message, code: e.code }, 'slack listener error'));

  const deps: SlackDeps = { core: o.core, locale, log, kick: o.kick, kpiBlocks: o.kpiBlocks, classifier: o.classifier };
  registerDedupe(app, deps);
  registerTicketSteps(app, deps);
  registerTicketTools(app, deps);
  registerEscalation(app, deps);
  registerCallbacks(app, deps);
  registerCommands(app, deps);
  registerHandover(app, deps);
  registerDuty(app, deps);
  registerIncidents(app, deps);
  registerConduct(app, deps);
  registerForms(app, deps);
  registerPrices(app, deps);
  registerQuotes(app, deps);
  registerTraining(app, deps);
  registerEvents(app, deps);
  registerThreadReplies(app, deps);
  registerSuggestions(app, deps);

  // the outbox retries failed deliveries itself (obeying Retry-After), so this client fails fast
  const deliveryClient = new webApi.WebClient(o.token, {
    ...(slackApiUrl ? { slackApiUrl } : {}),
    logger,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
  });
  const deliverer = new SlackDeliverer({ core: o.core, client: deliveryClient, locale, files: o.files });

  const plugin: FastifyPluginAsync = receiver instanceof FastifyReceiver ? receiver.plugin : async () => {};
  return {
    app,
    receiver,
    plugin,
    deliverer,
    locale,
    idle: () => (receiver instanceof FastifyReceiver ? receiver.idle() : Promise.resolve()),
  };
}

export type { KpiBlocks } from './kit.js';
export { SlackDeliverer } from './deliverer.js';
export { FastifyReceiver } from './fastify-receiver.js';
export type { ResidentFile, ResidentFiles } from '../../delivery/resident-files.js';
