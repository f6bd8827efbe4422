/**
 * Who calls the API, and whether they may. Each client (the organisation file's apiClients, and
 * the operator, whose token is API_TOKEN) is known by its token's SHA-256; a request names itself
 * with `Authorization: Bearer <token>`, is refused 401 unauthorized without a known one and 403
 * insufficient_scope without the scope its route needs. A token in the query string is refused
 * before anything else: URLs end up in logs, proxies and browser histories.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ClientActor } from '../core/tickets/event-actor.js';
import type { ApiClientKey, ApiScope } from '../core/org/types.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the client the bearer token belongs to, set by apiAuth */
    apiClient?: ApiClientKey;
  }
  interface FastifyContextConfig {
    /** the scope a route needs when its method does not say (a POST that changes nothing: read) */
    scope?: ApiScope;
  }
}

const digest = (token: string) => createHash('sha256').update(token).digest();

/** The known clients, looked up by token. */
export class ApiClients {
  private readonly keys: { client: ApiClientKey; digest: Buffer }[];

  constructor(clients: readonly ApiClientKey[]) {
    this.keys = clients.map((client) => ({ client, digest: Buffer.from(client.sha256, 'hex') }));
  }

  /**
   * The client whose token this is. Hashes are compared, each in constant time and all of them
   * every time, so how long the answer takes tells nothing about any token.
   */
  find(token: string): ApiClientKey | undefined {
    const got = digest(token);
    let found: ApiClientKey | undefined;
    for (const k of this.keys) {
      if (timingSafeEqual(got, k.digest) && !found) found = k.client;
    }
    return found;
  }
}

/** The scope a request needs: the route's own say, else reading for GET and HEAD, writing for the rest. */
export function scopeOf(req: FastifyRequest): ApiScope {
  return req.routeOptions.config?.scope ?? (req.method === 'GET' || req.method === 'HEAD' ? 'read' : 'write');
}

function bearer(req: FastifyRequest): string | undefined {
  const m = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

/**
 * An onRequest hook: the caller must be a known client with the scope the route needs (or
 * `scope`, for routes that are not the API's own, such as the documentation).
 */
export function apiAuth(clients: ApiClients, scope?: ApiScope) {
  return async (req: FastifyRequest, reply: FastifyReply) => {
    const token = bearer(req);
    const client = token ? clients.find(token) : undefined;
    if (!client) {
      return reply.status(401).send({ code: 'unauthorized', message: 'missing or wrong Authorization: Bearer token' });
    }
    const needed = scope ?? scopeOf(req);
    if (!client.scopes.includes(needed)) {
      return reply.status(403).send({ code: 'insufficient_scope', message: `the API client "${client.id}" has no ${needed} scope`, scope: needed });
    }
    req.apiClient = client;
  };
}

/** Who made a change through the API: the client, `api:<id>` (`api:operator` for API_TOKEN). */
export function clientActor(req: FastifyRequest): ClientActor {
  if (!req.apiClient) throw new Error('clientActor outside the API: no client was authenticated');
  return `api:${req.apiClient.id}`;
}

/** Query parameters that would carry a credential in the URL (compared without case). */
export const QUERY_TOKEN_NAMES = ['token', 'access_token', 'api_key', 'apikey'] as const;

/** The query parameters of a request that would carry a credential (none: an empty list). */
export function queryTokenNames(query: unknown): string[] {
  if (!query || typeof query !== 'object') return [];
  return Object.keys(query).filter((k) => (QUERY_TOKEN_NAMES as readonly string[]).includes(k.toLowerCase()));
}

/**
 * An onRequest hook for every route: a credential in the query string is refused, whatever its
 * value. The Open311 API (/open311/) makes the same check itself, to refuse in its own format.
 */
export async function refuseQueryTokens(req: FastifyRequest, reply: FastifyReply) {
  if (req.url.startsWith('/open311/')) return;
  const names = queryTokenNames(req.query);
  if (names.length) {
    return reply.status(400).send({
      code: 'token_in_query',
      message: 'credentials are not accepted in the URL; send them as an Authorization: Bearer header',
      parameters: names,
    });
  }
}

/**
 * An onResponse hook: one log line per change an API client asked for, with the client, the
 * route (its pattern, never the query) and the outcome. Ticket steps also keep the client in their
 * event; this line covers the changes that have no event of their own (the customer import, an
 * outbox resend).
 */
export async function logChange(req: FastifyRequest, reply: FastifyReply) {
  if (!req.apiClient || scopeOf(req) !== 'write') return;
  req.log.info({ apiClient: req.apiClient.id, method: req.method, route: req.routeOptions.url, statusCode: reply.statusCode }, 'API change');
}
