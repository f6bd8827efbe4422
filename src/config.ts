/**
 * Settings from the environment, declared once: every variable the service reads, with its type,
 * default and meaning (.env.example lists the same, a test keeps the two together). Secrets are
 * read here and nowhere else. A bad value stops the start with the variable's name and what is
 * wrong with it, never the value itself: the value may be a token.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import envSchema from 'env-schema';
import { AppError } from './core/errors.js';
import { API_SCOPES, OPERATOR_CLIENT, type ApiClient, type ApiClientKey } from './core/org/types.js';
import { LOCALES, type Locale } from './i18n/index.js';
import { SIGN_IN_CALLBACK_PATH } from './http/dashboard/paths.js';

export const DEMO_ORG = resolve(import.meta.dirname, '../config/demo-org.yaml');

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const URL_PATTERN = '^https?://\\S+$';

/**
 * The settings as JSON Schema (env-schema validates and coerces with Ajv). Developer and benchmark
 * switches (TEST_DATABASE_URL, BENCH_DATABASE_URL, FAULTS_LONG, DB_TRACE_QUERIES) are not here:
 * the service never reads them for an operator. HEAP_MB is read by `npm start` itself, before Node.
 */
export const SETTINGS_SCHEMA = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 1, maximum: 65535, default: 3000, description: 'HTTP port' },
    HOST: { type: 'string', default: '0.0.0.0', description: 'address the HTTP server listens on' },
    TZ: { type: 'string', description: 'company time zone (IANA name) for display, office hours and daily ticket numbers; unset: Asia/Shanghai' },
    LOG_LEVEL: { type: 'string', enum: LOG_LEVELS, default: 'info', description: 'pino log level' },
    PUBLIC_URL: {
      type: 'string',
      pattern: URL_PATTERN,
      description: 'where the service is reachable from the internet (Telegram webhook, Slack URLs, Open311 discovery)',
    },
    API_TOKEN: {
      type: 'string',
      description:
        "the operator's bearer token for /api/* (every scope) and the dashboard, at least 32 characters; unset: one is generated into API_TOKEN_FILE",
    },
    API_TOKEN_FILE: { type: 'string', default: 'data/api-token', description: 'where the generated API token is kept (mode 600)' },
    DATABASE_URL: {
      type: 'string',
      pattern: '^(file:|postgres(ql)?://)',
      description: 'file:path for SQLite (default file:./data/heating.db) or postgresql://user@host/db',
    },
    PG_POOL_SIZE: { type: 'integer', minimum: 1, maximum: 1000, default: 10, description: 'PostgreSQL connections per instance' },
    ORG_CONFIG: { type: 'string', description: 'the organisation file (YAML or JSON); unset: the shipped demo' },
    DOCS_PUBLIC: {
      type: 'boolean',
      default: false,
      description: 'true: the API documentation (/docs) is open to anyone; otherwise it needs an API client with the read scope',
    },
    DEMO_HISTORY: {
      type: 'string',
      enum: ['0', '1', 'false', 'true'],
      description:
        'a season of made-up tickets and incidents in an empty database, so the dashboard shows trends: 0 off; unset: on with the demo organisation only',
    },
    TELEGRAM_BOT_TOKEN: { type: 'string', pattern: '^[0-9]+:[A-Za-z0-9_-]+$', description: "the residents' bot token from @BotFather; unset: bot off" },
    TELEGRAM_WEBHOOK_SECRET: {
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{1,256}$',
      description: 'secret Telegram sends with each webhook call (32-256 of A-Z a-z 0-9 _ -); required in webhook mode',
    },
    TELEGRAM_MODE: { type: 'string', enum: ['webhook', 'polling'], default: 'webhook', description: 'how updates arrive' },
    TELEGRAM_API_ROOT: { type: 'string', pattern: URL_PATTERN, description: 'another Bot API server (a local one, or a fake in tests)' },
    HANDBOOK_DIR: {
      type: 'string',
      minLength: 1,
      description: "the bot's /handbook texts (<lang>/handbook.md, commitments.md, regulations.md); unset: config/handbook",
    },
    SLACK_BOT_TOKEN: { type: 'string', pattern: '^xoxb-', description: 'the staff app bot token (xoxb-...); unset: Slack app off' },
    SLACK_SIGNING_SECRET: { type: 'string', description: 'the staff app signing secret; required with SLACK_BOT_TOKEN' },
    SLACK_APP_TOKEN: { type: 'string', pattern: '^xapp-', description: 'app-level token (xapp-...) for Socket Mode instead of public HTTP URLs' },
    SLACK_API_URL: { type: 'string', pattern: URL_PATTERN, description: 'another Web API root (Enterprise/Gov installs, or a fake in tests)' },
    SLACK_LOCALE: { type: 'string', enum: LOCALES, default: 'zh-CN', description: 'language of the staff app' },
    SLACK_CLIENT_ID: {
      type: 'string',
      minLength: 1,
      description: 'the Slack app\'s client id for "Sign in with Slack" on the dashboard; unset: token sign-in only',
    },
    SLACK_CLIENT_SECRET: { type: 'string', minLength: 1, description: "the Slack app's client secret; required with SLACK_CLIENT_ID" },
    SLACK_OIDC_ISSUER: {
      type: 'string',
      pattern: URL_PATTERN,
      default: 'https://slack.com',
      description: 'the OpenID Connect issuer of Sign in with Slack (https; http only on this machine, for a test provider)',
    },
    SLACK_TEAM_ID: { type: 'string', pattern: '^[TE][A-Z0-9]{2,}$', description: 'only members of this Slack workspace (T...) may sign in to the dashboard' },
    TRUST_PROXY: {
      type: 'string',
      default: 'false',
      description:
        'behind a reverse proxy: true, the number of proxies in front, or their addresses/CIDRs (comma-separated); sets the client address and https from X-Forwarded-*',
    },
    OUTBOX_MAX_ATTEMPTS: { type: 'integer', minimum: 1, description: 'delivery attempts before a message is dead-lettered (default 20)' },
    OUTBOX_MAX_BACKOFF_MS: { type: 'integer', minimum: 1, description: 'longest wait between two attempts, in ms (default 300000)' },
    OUTBOX_TELEGRAM_PER_SECOND: {
      type: 'integer',
      minimum: 1,
      description: "messages a second the bot sends in all, its replies and the outbox together (default 28, under Telegram's 30)",
    },
    HTTP_REQUEST_TIMEOUT_S: {
      type: 'integer',
      minimum: 1,
      default: 300,
      description: 'seconds a whole request may take to arrive (the 20 MB customer import over a slow link); then 408',
    },
    HTTP_BODY_TIMEOUT_S: {
      type: 'integer',
      minimum: 1,
      default: 15,
      description: 'seconds the body of a small request (webhooks, API JSON, sign-in) may take to arrive; then 408',
    },
    RATE_LIMIT_WEBHOOKS_PER_MINUTE: {
      type: 'integer',
      minimum: 0,
      default: 6000,
      description: 'requests per minute from one address to the Telegram and Slack webhooks (0: no limit)',
    },
    RATE_LIMIT_API_PER_MINUTE: {
      type: 'integer',
      minimum: 0,
      default: 1200,
      description: 'requests per minute from one address to /api, /docs and the dashboard (0: no limit)',
    },
  },
} as const;

/** What env-schema hands back: the declared variables only, coerced, defaults filled in. */
interface Env {
  PORT: number;
  HOST: string;
  TZ?: string;
  LOG_LEVEL: LogLevel;
  PUBLIC_URL?: string;
  API_TOKEN?: string;
  API_TOKEN_FILE: string;
  DATABASE_URL?: string;
  PG_POOL_SIZE: number;
  ORG_CONFIG?: string;
  DOCS_PUBLIC: boolean;
  DEMO_HISTORY?: '0' | '1' | 'false' | 'true';
  TELEGRAM_BOT_TOKEN?: string;
  TELEGRAM_WEBHOOK_SECRET?: string;
  TELEGRAM_MODE: 'webhook' | 'polling';
  TELEGRAM_API_ROOT?: string;
  HANDBOOK_DIR?: string;
  SLACK_BOT_TOKEN?: string;
  SLACK_SIGNING_SECRET?: string;
  SLACK_APP_TOKEN?: string;
  SLACK_API_URL?: string;
  SLACK_LOCALE: Locale;
  SLACK_CLIENT_ID?: string;
  SLACK_CLIENT_SECRET?: string;
  SLACK_OIDC_ISSUER: string;
  SLACK_TEAM_ID?: string;
  TRUST_PROXY: string;
  OUTBOX_MAX_ATTEMPTS?: number;
  OUTBOX_MAX_BACKOFF_MS?: number;
  OUTBOX_TELEGRAM_PER_SECOND?: number;
  HTTP_REQUEST_TIMEOUT_S: number;
  HTTP_BODY_TIMEOUT_S: number;
  RATE_LIMIT_WEBHOOKS_PER_MINUTE: number;
  RATE_LIMIT_API_PER_MINUTE: number;
}

export interface TelegramSettings {
  token: string;
  mode: 'webhook' | 'polling';
  /** present in webhook mode (readSettings refuses webhook mode without it) */
  webhookSecret?: string;
  apiRoot?: string;
  /** HANDBOOK_DIR: the /handbook texts (R20, R22); unset: the shipped config/handbook */
  handbookDir?: string;
}

export interface SlackSettings {
  botToken: string;
  signingSecret: string;
  /** Socket Mode when set */
  appToken?: string;
  apiUrl?: string;
  locale: Locale;
}

/** "Sign in with Slack" on the dashboard (OpenID Connect). */
export interface SlackSignInSettings {
  clientId: string;
  clientSecret: string;
  /** https://slack.com, or a test provider on this machine */
  issuer: string;
  /** <PUBLIC_URL>/dashboard/auth/slack/callback, as registered with the Slack app */
  redirectUri: string;
  /** when set, only this workspace's members */
  teamId?: string;
}

/** Fastify's trustProxy: false, true, the number of proxies in front, or their addresses/CIDRs. */
export type TrustProxy = boolean | number | string[];

export interface Settings {
  port: number;
  host: string;
  logLevel: LogLevel;
  /** TZ as set; core/local-time.ts reads it from the process, where Node itself also reads it */
  timeZone?: string;
  databaseUrl: string | undefined;
  /** PostgreSQL pool size */
  pgPoolSize: number;
  orgConfig: string;
  isDemoOrg: boolean;
  /** seed a season of demo history into an empty database at start-up (db/seed-history.ts) */
  demoHistory: boolean;
  apiToken: string;
  apiTokenSource: 'env' | 'file';
  apiTokenFile?: string;
  /** /docs without a token */
  docsPublic: boolean;
  publicUrl?: string;
  /** the residents' bot; undefined when TELEGRAM_BOT_TOKEN is unset */
  telegram?: TelegramSettings;
  /** the staff app; undefined when SLACK_BOT_TOKEN is unset */
  slack?: SlackSettings;
  /** undefined: the outbox worker's own defaults */
  outbox: { maxAttempts?: number; maxBackoffMs?: number; telegramPerSecond?: number };
  /** requests per address and how long a client may take (src/http/rate-limit.ts, timeouts.ts) */
  limits: { rate: { webhooksPerMinute: number; apiPerMinute: number }; timeouts: { requestTimeoutMs: number; bodyTimeoutMs: number } };
  /** the dashboard's Sign in with Slack; undefined when SLACK_CLIENT_ID is unset */
  slackSignIn?: SlackSignInSettings;
  trustProxy: TrustProxy;
}

interface Problem {
  variable: string;
  message: string;
}

function settingsError(problems: Problem[]): AppError {
  const lines = problems.map((p) => `${p.variable} ${p.message}`);
  return new AppError('validation_failed', `Invalid settings: ${lines.join('; ')}`, { variables: problems.map((p) => p.variable) });
}

/** Ajv's messages name the rule broken (type, range, pattern, allowed values), never the value. */
function validate(env: NodeJS.ProcessEnv): Env {
  // `NAME=` in an env file means unset, as it did before the schema: no empty token, no port 0.
  const data = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  try {
    return envSchema<Env>({ schema: structuredClone(SETTINGS_SCHEMA) as object, data, env: false, dotenv: false });
  } catch (e) {
    const errors = (e as { errors?: { instancePath: string; message?: string }[] }).errors;
    if (!errors) throw e;
    const properties: Record<string, { description?: string }> = SETTINGS_SCHEMA.properties;
    throw settingsError(
      errors.map((err) => {
        const variable = err.instancePath.replace(/^\//, '');
        return { variable, message: `${err.message ?? 'is invalid'} (${properties[variable]?.description ?? 'see .env.example'})` };
      }),
    );
  }
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** The shortest secret accepted: a token someone can guess opens the API. */
export const MIN_SECRET_LENGTH = 32;

/** Rules between variables, and those JSON Schema cannot say. */
function crossChecks(e: Env): Problem[] {
  const problems: Problem[] = [];
  if (e.TZ && !isTimeZone(e.TZ)) problems.push({ variable: 'TZ', message: 'is not a time zone this Node.js knows (an IANA name such as Asia/Shanghai)' });
  if (e.TELEGRAM_BOT_TOKEN && e.TELEGRAM_MODE === 'webhook' && !e.TELEGRAM_WEBHOOK_SECRET) {
    problems.push({ variable: 'TELEGRAM_WEBHOOK_SECRET', message: 'is required in webhook mode (or set TELEGRAM_MODE=polling)' });
  }
  for (const variable of ['API_TOKEN', 'TELEGRAM_WEBHOOK_SECRET'] as const) {
    if ((e[variable]?.length ?? MIN_SECRET_LENGTH) < MIN_SECRET_LENGTH) problems.push({ variable, message: `is shorter than ${MIN_SECRET_LENGTH} characters` });
  }
  if (e.SLACK_BOT_TOKEN && !e.SLACK_SIGNING_SECRET) problems.push({ variable: 'SLACK_SIGNING_SECRET', message: 'is required with SLACK_BOT_TOKEN' });
  if (e.SLACK_SIGNING_SECRET && !e.SLACK_BOT_TOKEN) problems.push({ variable: 'SLACK_BOT_TOKEN', message: 'is required with SLACK_SIGNING_SECRET' });
  problems.push(...signInChecks(e));
  return problems;
}

/**
 * API_TOKEN from the environment; without it (a first `npm start`), a random token is made
 * once and kept in data/api-token (mode 600), so the operator can read it but logs never show it.
 */
function apiToken(e: Env): Pick<Settings, 'apiToken' | 'apiTokenSource' | 'apiTokenFile'> {
  if (e.API_TOKEN) return { apiToken: e.API_TOKEN, apiTokenSource: 'env' };
  const file = resolve(e.API_TOKEN_FILE);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${randomBytes(24).toString('base64url')}\n`, { mode: 0o600 });
  }
  return { apiToken: readFileSync(file, 'utf8').trim(), apiTokenSource: 'file', apiTokenFile: file };
}

/** Reads and validates every setting; throws AppError('validation_failed') naming each bad variable. */
export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const e = validate(env);
  const problems = crossChecks(e);
  if (problems.length) throw settingsError(problems);
  const token = apiToken(e);
  if (token.apiTokenSource === 'file' && token.apiToken.length < MIN_SECRET_LENGTH) {
    throw settingsError([
      { variable: 'API_TOKEN_FILE', message: `holds a token shorter than ${MIN_SECRET_LENGTH} characters (delete the file to have a new one made)` },
    ]);
  }
  const orgConfig = e.ORG_CONFIG ? resolve(e.ORG_CONFIG) : DEMO_ORG;
  return {
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    timeZone: e.TZ,
    databaseUrl: e.DATABASE_URL,
    pgPoolSize: e.PG_POOL_SIZE,
    orgConfig,
    isDemoOrg: orgConfig === DEMO_ORG,
    demoHistory: e.DEMO_HISTORY === undefined ? orgConfig === DEMO_ORG : e.DEMO_HISTORY === '1' || e.DEMO_HISTORY === 'true',
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, ''),
    telegram: e.TELEGRAM_BOT_TOKEN
      ? {
          token: e.TELEGRAM_BOT_TOKEN,
          mode: e.TELEGRAM_MODE,
          webhookSecret: e.TELEGRAM_WEBHOOK_SECRET,
          apiRoot: e.TELEGRAM_API_ROOT,
          handbookDir: e.HANDBOOK_DIR ? resolve(e.HANDBOOK_DIR) : undefined,
        }
      : undefined,
    slack:
      e.SLACK_BOT_TOKEN && e.SLACK_SIGNING_SECRET
        ? { botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET, appToken: e.SLACK_APP_TOKEN, apiUrl: e.SLACK_API_URL, locale: e.SLACK_LOCALE }
        : undefined,
    outbox: { maxAttempts: e.OUTBOX_MAX_ATTEMPTS, maxBackoffMs: e.OUTBOX_MAX_BACKOFF_MS, telegramPerSecond: e.OUTBOX_TELEGRAM_PER_SECOND },
    limits: {
      rate: { webhooksPerMinute: e.RATE_LIMIT_WEBHOOKS_PER_MINUTE, apiPerMinute: e.RATE_LIMIT_API_PER_MINUTE },
      timeouts: { requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_S * 1000, bodyTimeoutMs: e.HTTP_BODY_TIMEOUT_S * 1000 },
    },
    docsPublic: e.DOCS_PUBLIC,
    ...token,
    slackSignIn: slackSignIn(e),
    trustProxy: trustProxyOf(e.TRUST_PROXY) ?? false,
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const ADDRESS_OR_CIDR = /^(\d{1,3}(\.\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)(\/\d{1,3})?$|^(loopback|linklocal|uniquelocal)$/;

/** TRUST_PROXY as Fastify takes it; null when it is none of the accepted forms. */
export function trustProxyOf(v: string): TrustProxy | null {
  const s = v.trim().toLowerCase();
  if (s === 'false' || s === '') return false;
  if (s === 'true') return true;
  if (/^\d{1,2}$/.test(s)) return Number(s);
  const list = s.split(',').map((x) => x.trim());
  return list.every((x) => ADDRESS_OR_CIDR.test(x)) ? list : null;
}

/** The dashboard's sign-in settings: the Slack client pair together, with a public URL to come back to; a plain-http issuer only on this machine. */
function signInChecks(e: Env): Problem[] {
  const problems: Problem[] = [];
  if (trustProxyOf(e.TRUST_PROXY) === null) {
    problems.push({ variable: 'TRUST_PROXY', message: 'must be true, false, a number of proxies, or addresses/CIDRs separated by commas' });
  }
  if (e.SLACK_CLIENT_ID && !e.SLACK_CLIENT_SECRET) problems.push({ variable: 'SLACK_CLIENT_SECRET', message: 'is required with SLACK_CLIENT_ID' });
  if (e.SLACK_CLIENT_SECRET && !e.SLACK_CLIENT_ID) problems.push({ variable: 'SLACK_CLIENT_ID', message: 'is required with SLACK_CLIENT_SECRET' });
  if (e.SLACK_CLIENT_ID && !e.PUBLIC_URL) problems.push({ variable: 'PUBLIC_URL', message: 'is required with SLACK_CLIENT_ID (to come back to)' });
  const issuer = URL.canParse(e.SLACK_OIDC_ISSUER) ? new URL(e.SLACK_OIDC_ISSUER) : undefined;
  if (!issuer || (issuer.protocol !== 'https:' && !LOOPBACK.has(issuer.hostname))) {
    problems.push({ variable: 'SLACK_OIDC_ISSUER', message: 'must be https (plain http only for a provider on this machine)' });
  }
  return problems;
}

function slackSignIn(e: Env): SlackSignInSettings | undefined {
  if (!e.SLACK_CLIENT_ID || !e.SLACK_CLIENT_SECRET || !e.PUBLIC_URL) return undefined;
  return {
    clientId: e.SLACK_CLIENT_ID,
    clientSecret: e.SLACK_CLIENT_SECRET,
    issuer: e.SLACK_OIDC_ISSUER.replace(/\/$/, ''),
    redirectUri: `${e.PUBLIC_URL.replace(/\/$/, '')}${SIGN_IN_CALLBACK_PATH}`,
    teamId: e.SLACK_TEAM_ID,
  };
}

const sha256 = (token: string) => createHash('sha256').update(token).digest('hex');

/** The tokens of the API clients the organisation file keeps in environment variables, for the log scrubber to hide. */
export function apiClientTokens(clients: readonly ApiClient[], env: NodeJS.ProcessEnv = process.env): string[] {
  return clients.flatMap((c) => ('env' in c.token ? [env[c.token.env]?.trim() ?? ''] : [])).filter(Boolean);
}

/**
 * A secret of an API client, from the environment variable the organisation file names (its
 * token, its webhook's signing key). Unset or shorter than MIN_SECRET_LENGTH is a problem naming
 * the variable and what it is for, never the value.
 */
function clientSecret(env: NodeJS.ProcessEnv, variable: string, what: string, problems: Problem[]): string | undefined {
  const value = env[variable]?.trim();
  if (!value) problems.push({ variable, message: `is not set (${what} in the organisation file)` });
  else if (value.length < MIN_SECRET_LENGTH) problems.push({ variable, message: `is shorter than ${MIN_SECRET_LENGTH} characters (${what})` });
  else return value;
  return undefined;
}

/**
 * The API's clients with the SHA-256 of each one's token: the operator (API_TOKEN, every scope)
 * and the organisation file's apiClients, whose tokenEnv variables are read here. A variable unset
 * or shorter than 32 characters, or one token for two clients, stops the start naming the variable
 * or the client, never the token.
 */
export function apiClientKeys(clients: readonly ApiClient[], apiToken: string, env: NodeJS.ProcessEnv = process.env): ApiClientKey[] {
  const keys: ApiClientKey[] = [{ id: OPERATOR_CLIENT, name: OPERATOR_CLIENT, scopes: API_SCOPES, sha256: sha256(apiToken) }];
  const problems: Problem[] = [];
  for (const c of clients) {
    let hash: string;
    if ('sha256' in c.token) hash = c.token.sha256;
    else {
      const token = clientSecret(env, c.token.env, `the token of API client "${c.id}"`, problems);
      if (token === undefined) continue;
      hash = sha256(token);
    }
    const same = keys.find((k) => k.sha256 === hash);
    if (same) problems.push({ variable: `apiClients ${c.id}`, message: `has the same token as the client "${same.id}"` });
    else keys.push({ id: c.id, name: c.name, scopes: c.scopes, sha256: hash });
  }
  if (problems.length) throw settingsError(problems);
  return keys;
}

/** An API client's webhook as the outbox calls it: where, and the secret it signs with. */
export interface ClientWebhook {
  clientId: string;
  url: string;
  /** HMAC-SHA256 key of X-Open311-Signature (at least MIN_SECRET_LENGTH characters) */
  secret: string;
}

/**
 * The webhooks of the organisation file's API clients (Open311: told when a request they filed
 * closes), each with its signing secret read from the variable `secretEnv` here. A variable unset
 * or shorter than 32 characters stops the start naming the variable, never the value; so does a
 * URL that is not https (the body names a resident's address and phone), except plain http to
 * this machine (a receiver beside the service, or a test's).
 */
export function apiClientWebhooks(clients: readonly ApiClient[], env: NodeJS.ProcessEnv = process.env): ClientWebhook[] {
  const hooks: ClientWebhook[] = [];
  const problems: Problem[] = [];
  for (const c of clients) {
    if (!c.webhook) continue;
    const { url, secretEnv: variable } = c.webhook;
    const target = URL.canParse(url) ? new URL(url) : undefined;
    if (!target || (target.protocol !== 'https:' && !(target.protocol === 'http:' && LOOPBACK.has(target.hostname)))) {
      problems.push({
        variable: `apiClients ${c.id} webhook.url`,
        message: 'must be https (plain http only for a receiver on this machine: 127.0.0.1, localhost, [::1])',
      });
    }
    const secret = clientSecret(env, variable, `the webhook signing secret of API client "${c.id}"`, problems);
    if (secret !== undefined && target) hooks.push({ clientId: c.id, url, secret });
  }
  if (problems.length) throw settingsError(problems);
  return hooks;
}
