/**
 * Request limits per client address (req.ip: the client's own when TRUST_PROXY names the proxy
 * in front, otherwise the proxy's, and then every client shares one budget: set TRUST_PROXY).
 *
 * Two layers:
 * - volume, with @fastify/rate-limit: requests per minute and address for each group of routes.
 *   Generous for the platforms: Telegram and Slack deliver from a few addresses, and a cold snap's
 *   thousands of reports in minutes must pass; the API and the dashboard pages have room for BI
 *   tools and busy leaders; sign-in is for people. Health checks and static assets are not counted.
 * - refused credentials (401, 403) on the API and the webhooks: after `failures` within
 *   `failureWindowMs` from one address, its further refusals are answered 429 with Retry-After
 *   until the window passes. Only refusals: a right token (or a genuine platform delivery) from
 *   the same address still passes, so nobody can lock the operator or the platforms out by
 *   guessing wrong, while a wrong-token flood sees 429 after a few dozen tries.
 *
 * Counts are kept in memory per instance, on the injected clock.
 */
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import { WindowCounter } from '../core/limits/window-counter.js';

export interface RateLimits {
  /** requests per minute and address to /telegram/* and /slack/* (0: no limit) */
  webhooksPerMinute: number;
  /** requests per minute and address to /api/*, /docs and the dashboard's pages (0: no limit) */
  apiPerMinute: number;
  /** sign-in requests (the login form, Sign in with Slack) per minute and address (0: no limit) */
  signInPerMinute: number;
  /** refused credentials per address within failureWindowMs before further refusals are 429 (0: no limit) */
  failures: number;
  failureWindowMs: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  // 100 a second from one address: Telegram keeps at most 40 webhook connections open, a cold
  // snap's 2,000 reports in a few minutes are well under it
  webhooksPerMinute: 6000,
  apiPerMinute: 1200,
  signInPerMinute: 30,
  failures: 30,
  failureWindowMs: 10 * 60_000,
};

type Group = 'webhooks' | 'api' | 'sign_in';

/** Which budget a route draws on; null: not counted (health, static assets, unknown routes). */
export function routeGroup(method: string, url: string | undefined): Group | null {
  if (!url) return null;
  if (url.startsWith('/telegram/') || url.startsWith('/slack/')) return 'webhooks';
  if (url.startsWith('/dashboard/auth') || (url === '/dashboard/login' && method === 'POST')) return 'sign_in';
  if (url.startsWith('/dashboard/assets')) return null;
  if (url.startsWith('/api/') || url === '/api' || url.startsWith('/docs') || url.startsWith('/dashboard') || url.startsWith('/open311/')) return 'api';
  return null;
}

const PER_GROUP: Record<Group, keyof RateLimits> = { webhooks: 'webhooksPerMinute', api: 'apiPerMinute', sign_in: 'signInPerMinute' };
/** where a refused credential counts towards the failure limit (sign-in has its own slowdown) */
const FAILURES_COUNT: ReadonlySet<Group> = new Set<Group>(['webhooks', 'api']);

const groupOf = (req: FastifyRequest) => routeGroup(req.method, req.routeOptions.url);

const retryAfterS = (resetAt: Date, clock: Clock) => Math.max(1, Math.ceil((resetAt.getTime() - clock.now().getTime()) / 1000));

export function rateLimited(retryAfterSeconds: number): AppError {
  return new AppError('rate_limited', `too many requests from this address; try again in ${retryAfterSeconds} s`, { retryAfter: retryAfterSeconds });
}

/**
 * @fastify/rate-limit's store on our clock and counter (its own LocalStore reads Date.now(), so
 * a test could only see a window pass by waiting).
 */
function clockStore(counter: WindowCounter, clock: Clock) {
  return class ClockStore {
    // the plugin passes the route's window as a third argument (its typings leave it out)
    incr(key: string, cb: (err: Error | null, res: { current: number; ttl: number }) => void, timeWindow = 60_000): void {
      const hit = counter.hit(key, timeWindow);
      cb(null, { current: hit.count, ttl: Math.max(0, hit.resetAt.getTime() - clock.now().getTime()) });
    }

    child(): ClockStore {
      return this;
    }
  };
}

/**
 * Registers both layers on the root instance: call it before any route is added (the volume
 * layer hooks into routes as they are declared).
 */
export async function installRateLimits(app: FastifyInstance, o: { clock: Clock; limits?: Partial<RateLimits> }): Promise<void> {
  const limits = { ...DEFAULT_RATE_LIMITS, ...o.limits };
  const { clock } = o;
  const volume = new WindowCounter(clock);

  await app.register(rateLimit, {
    global: true,
    timeWindow: 60_000,
    store: clockStore(volume, clock),
    keyGenerator: (req) => `${groupOf(req)}|${req.ip}`,
    allowList: (req) => {
      const g = groupOf(req);
      return g === null || limits[PER_GROUP[g]] <= 0;
    },
    max: (req) => {
      const g = groupOf(req);
      return g ? limits[PER_GROUP[g]] : 0;
    },
    errorResponseBuilder: (_req, ctx) => rateLimited(Math.max(1, Math.ceil(ctx.ttl / 1000))),
  });

  if (limits.failures <= 0) return;
  const failures = new WindowCounter(clock);
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload) => {
    if (reply.statusCode !== 401 && reply.statusCode !== 403) return payload;
    const g = groupOf(req);
    if (!g || !FAILURES_COUNT.has(g)) return payload;
    const hit = failures.hit(req.ip, limits.failureWindowMs);
    if (hit.count <= limits.failures) return payload;
    const after = retryAfterS(hit.resetAt, clock);
    const err = rateLimited(after);
    // once per window, not once per request of the flood
    if (hit.count === limits.failures + 1)
      req.log.warn({ ip: req.ip, failures: hit.count }, 'refused credentials from this address: further refusals answered 429');
    reply.code(429).header('retry-after', String(after)).header('content-type', 'application/json; charset=utf-8');
    return JSON.stringify({ code: err.code, message: err.message });
  });
}
