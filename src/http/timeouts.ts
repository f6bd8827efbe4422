/**
 * How long the HTTP server waits for a client. Without limits (Fastify's requestTimeout is 0 by
 * default) a client that sends its headers and a few bytes, then stalls, holds a socket and a
 * request for as long as it likes: to the unauthenticated /slack/events that costs nothing to do
 * by the thousand.
 *
 * - headers must arrive within `headersTimeoutMs`;
 * - a whole request within `requestTimeoutMs` (Node answers 408 and closes): long enough for the
 *   20 MB customer import over a slow link (20 MB in 300 s is about 0.55 Mbit/s);
 * - the body of a route that takes small bodies (at most the app's 1 MB: webhooks, the API's
 *   JSON, sign-in) within `bodyTimeoutMs`: such a body arrives in well under a second, so a
 *   stalled one is cut long before the server-wide limit (408, connection closed);
 * - an idle kept-alive connection is closed after `keepAliveTimeoutMs` (above the 60 s idle time
 *   of common load balancers, so that they close first and never reuse a socket we closed);
 * - a socket on which nothing moves either way for `connectionTimeoutMs` is closed (a client that
 *   stopped reading its answer).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';

export interface HttpTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  bodyTimeoutMs: number;
  keepAliveTimeoutMs: number;
  connectionTimeoutMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = {
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 300_000,
  bodyTimeoutMs: 15_000,
  keepAliveTimeoutMs: 72_000,
  connectionTimeoutMs: 600_000,
};

/** Routes whose bodyLimit is at most this take small bodies and get the short body deadline. */
export const SMALL_BODY_LIMIT = 1024 * 1024;

/** The server options for Fastify(). */
export function serverTimeouts(t: HttpTimeouts): Pick<FastifyServerOptions, 'requestTimeout' | 'connectionTimeout' | 'keepAliveTimeout'> & {
  http: { headersTimeout: number; connectionsCheckingInterval: number };
} {
  const headersTimeout = Math.min(t.headersTimeoutMs, t.requestTimeoutMs);
  return {
    requestTimeout: t.requestTimeoutMs,
    connectionTimeout: t.connectionTimeoutMs,
    keepAliveTimeout: t.keepAliveTimeoutMs,
    // Node checks the header and request deadlines on this interval (30 s by default, which would
    // let a 20 s deadline run to 50 s)
    http: { headersTimeout, connectionsCheckingInterval: Math.max(50, Math.min(5_000, Math.floor(headersTimeout / 4))) },
  };
}

const hasBody = (req: FastifyRequest) => Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;

/**
 * The short body deadline on routes that take small bodies: the timer starts when the headers
 * are in and stops once the body is parsed (preValidation) or the answer has gone.
 */
export function installBodyDeadline(app: FastifyInstance, t: Pick<HttpTimeouts, 'bodyTimeoutMs'>): void {
  if (t.bodyTimeoutMs <= 0) return;
  const timers = new WeakMap<FastifyRequest, NodeJS.Timeout>();
  const stop = async (req: FastifyRequest) => {
    const timer = timers.get(req);
    if (timer) clearTimeout(timer);
  };
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!hasBody(req) || (req.routeOptions.bodyLimit ?? SMALL_BODY_LIMIT) > SMALL_BODY_LIMIT) return;
    const timer = setTimeout(() => cutOff(req, reply), t.bodyTimeoutMs);
    timer.unref();
    timers.set(req, timer);
    reply.raw.once('close', () => clearTimeout(timer));
  });
  app.addHook('preValidation', stop);
  app.addHook('onResponse', stop);
}

/** 408 and the connection closed, as Node itself does when a request's time is up. */
function cutOff(req: FastifyRequest, reply: FastifyReply): void {
  const res = reply.raw;
  req.log.warn({ url: req.url, ip: req.ip }, 'request body too slow: connection closed');
  if (!res.headersSent && !res.writableEnded) {
    res.writeHead(408, { 'content-type': 'application/json; charset=utf-8', connection: 'close' });
    res.end(JSON.stringify({ code: 'request_timeout', message: 'the request body did not arrive in time' }));
  }
  // the rest of the body is not waited for: the socket goes, and the request with it
  res.once('finish', () => req.raw.socket?.destroy());
  if (res.writableFinished) req.raw.socket?.destroy();
}
