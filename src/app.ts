/**
 * Builds the HTTP service from its dependencies and never listens: main.ts listens, tests
 * call app.inject(). Bots plug in as Fastify plugins when their credentials are configured.
 */
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import swagger from '@fastify/swagger';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import swaggerUi from '@fastify/swagger-ui';
import type { Classifier } from './core/classify/index.js';
import type { Core } from './core/context.js';
import { apiAuth, ApiClients, logChange, refuseQueryTokens } from './http/auth.js';
import { apiClientKeys } from './config.js';
import type { ApiClientKey } from './core/org/types.js';
import { LogScrubber } from './log/scrub.js';
import { installErrorHandler } from './http/error-handler.js';
import { clientErrorHandler } from './http/client-error.js';
import { classifyRoutes } from './http/routes/classify.js';
import { customerRoutes } from './http/routes/customers.js';
import { healthRoutes } from './http/routes/health.js';
import { orgRoutes } from './http/routes/org.js';
import { outboxRoutes } from './http/routes/outbox.js';
import { ticketRoutes } from './http/routes/tickets.js';
import { incidentRoutes } from './http/routes/incidents.js';
import { quoteRoutes } from './http/routes/quotes.js';
import { formRoutes } from './http/routes/forms.js';
import { kpiRoutes } from './http/routes/kpi.js';
import { kpiPeriodRoutes } from './http/routes/kpi-periods.js';
import { trainingRoutes } from './http/routes/training.js';
import { conductRoutes } from './http/routes/conduct.js';
import { suggestionRoutes } from './http/routes/suggestions.js';
import { dashboardRoutes, type DashboardOptions } from './http/dashboard/dashboard-routes.js';
import { open311Routes } from './http/open311/open311-routes.js';
import { open311DiscoveryRoutes } from './http/open311/discovery-routes.js';
import type { TrustProxy } from './config.js';
import { installRateLimits, type RateLimits } from './http/rate-limit.js';
import { DEFAULT_TIMEOUTS, installBodyDeadline, serverTimeouts, type HttpTimeouts } from './http/timeouts.js';

export interface AppOptions {
  core: Core;
  apiToken: string;
  /** every API client with its token's hash (apiClientKeys); unset: the operator's API_TOKEN alone */
  apiClients?: ApiClientKey[];
  /** /docs open to anyone (DOCS_PUBLIC); otherwise it needs an API client with the read scope */
  docsPublic?: boolean;
  /** the trained classifier (POST /api/classify); the route is off without one */
  classifier?: Classifier;
  /** behind a reverse proxy (TRUST_PROXY): whose X-Forwarded-* to believe for the client's address and https; default none */
  trustProxy?: TrustProxy;
  /** the dashboard's sign-in: PUBLIC_URL (https makes its cookies Secure), Sign in with Slack, how a wrong answer waits */
  dashboard?: Pick<DashboardOptions, 'publicUrl' | 'slackSignIn' | 'sleep'>;
  logger?: FastifyServerOptions['logger'];
  /** transports and extra route sets (Telegram webhook, Slack events, dashboard) */
  plugins?: { plugin: FastifyPluginAsync<any>; options?: Record<string, unknown> }[];
  /** requests per address (rate-limit.ts) and how long a client may take (timeouts.ts); unset: the defaults */
  limits?: { rate?: Partial<RateLimits>; timeouts?: Partial<HttpTimeouts> };
}

/**
 * Log settings: headers that carry secrets never reach the log, and every line passes the
 * scrubber (log/scrub.ts), which main.ts shares between its own log and Fastify's and tells every
 * secret the settings hold once they are read.
 */
export function loggerOptions(level = process.env.LOG_LEVEL ?? 'info', scrubber: LogScrubber = new LogScrubber()): FastifyServerOptions['logger'] & object {
  return {
    level,
    hooks: {
      streamWrite: scrubber.scrub,
    },
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-telegram-bot-api-secret-token"]', 'req.headers["x-slack-signature"]', 'headers.authorization'],
      censor: '[redacted]',
    },
  };
}

/**
 * Query strings and path parameters arrive as text and are coerced to their schema types;
 * JSON bodies are not: {"text": 42} is a wrong type, not the string "42".
 */
function installValidators(app: FastifyInstance): void {
  const base = { removeAdditional: false, useDefaults: true, allErrors: false, strict: false } as const;
  const coercing = addFormats.default(new Ajv({ ...base, coerceTypes: 'array' }));
  const strictTypes = addFormats.default(new Ajv({ ...base, coerceTypes: false }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? strictTypes : coercing).compile(schema));
}

/** Believes X-Forwarded-For for the `n` proxies nearest to this server. */
const trustHops = (n: number) => (_address: string, hop: number) => hop < n;

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
    // a request Node cannot read: Fastify's answers, Open311-shaped on /open311 (client-error.ts)
    clientErrorHandler,
    // a hop count as a function: Fastify takes a number at run time, but its types list none
    trustProxy: typeof opts.trustProxy === 'number' ? trustHops(opts.trustProxy) : (opts.trustProxy ?? false),
    ...serverTimeouts({ ...DEFAULT_TIMEOUTS, ...opts.limits?.timeouts }),
  });
  installValidators(app);
  installErrorHandler(app);
  // before any route: the volume limit hooks into routes as they are declared
  await installRateLimits(app, { clock: opts.core.clock, limits: opts.limits?.rate });
  installBodyDeadline(app, { ...DEFAULT_TIMEOUTS, ...opts.limits?.timeouts });
  app.addHook('onRequest', refuseQueryTokens);
  const clients = new ApiClients(opts.apiClients ?? apiClientKeys([], opts.apiToken));
  await app.register(swagger, {
    openapi: {
      info: { title: 'District-heating customer service API', version: '0.1.0' },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              "An API client's token (the organisation file's apiClients, or API_TOKEN for the operator). GET routes and POST /api/classify need the read scope, changes the write scope (403 insufficient_scope); never in the query string (400 token_in_query).",
          },
        },
      },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', uiHooks: opts.docsPublic ? undefined : { onRequest: apiAuth(clients, 'read') } });

  const { core } = opts;
  await app.register(healthRoutes, { core });
  await app.register(async (api) => {
    // GET needs the read scope, a change the write scope (a route may say otherwise: auth.ts)
    api.addHook('onRequest', apiAuth(clients));
    api.addHook('onResponse', logChange);
    await api.register(orgRoutes, { core });
    await api.register(kpiRoutes, { core });
    await api.register(kpiPeriodRoutes, { core });
    await api.register(ticketRoutes, { core });
    await api.register(incidentRoutes, { core });
    await api.register(quoteRoutes, { core });
    await api.register(formRoutes, { core });
    await api.register(customerRoutes, { core });
    await api.register(trainingRoutes, { core });
    await api.register(conductRoutes, { core });
    await api.register(suggestionRoutes, { core });
    await api.register(outboxRoutes, { core });
    if (opts.classifier) await api.register(classifyRoutes, { core, classifier: opts.classifier });
  });
  // Open311 GeoReport v2 for city platforms: outside /api's bearer hook, its own keys and error format
  await app.register(open311Routes, { prefix: '/open311/v2', core, clients });
  // Open311 Service Discovery: the address a platform keeps, naming the v2 endpoint at PUBLIC_URL (else the request's host)
  await app.register(open311DiscoveryRoutes, { prefix: '/open311', core, publicUrl: opts.dashboard?.publicUrl });
  // the dashboard: its own cookie login, helmet and CSP
  await app.register(dashboardRoutes, { core, apiToken: opts.apiToken, ...opts.dashboard });
  for (const p of opts.plugins ?? []) await app.register(p.plugin, p.options ?? {});
  return app;
}
