/**
 * Who may use the Open311 API. Filing needs an API client with the write scope (the operator's
 * API_TOKEN included), named by the form's api_key as GeoReport v2 says, or by an
 * `Authorization: Bearer` header. Reading requests and updates: a Bearer token with the read
 * scope sees the full view; a caller without credentials sees the public view when the
 * organisation allows it (open311.publicReads). The service list needs nothing. A credential in
 * the query string is refused, as everywhere (URLs end up in logs). Missing, wrong and
 * read-only keys are 403, as the specification gives them.
 */
import type { FastifyRequest } from 'fastify';
import type { Org } from '../../core/org/org.js';
import type { ApiClientKey } from '../../core/org/types.js';
import { type ApiClients, queryTokenNames } from '../auth.js';
import { Open311Refusal } from './errors.js';

function bearer(req: FastifyRequest): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];
}

/** An onRequest hook: api_key, token ... in the query string are refused before anything else. */
export async function refuseQueryCredentials(req: FastifyRequest): Promise<void> {
  const names = queryTokenNames(req.query);
  if (names.length) throw new Open311Refusal(400, 'token_in_query');
}

/** The client filing: api_key from the form, else the Bearer header; it needs the write scope. */
export function writer(clients: ApiClients, req: FastifyRequest, apiKey: string | undefined): ApiClientKey {
  const token = apiKey || bearer(req);
  if (!token) throw new Open311Refusal(403, 'api_key_required');
  const client = clients.find(token);
  if (!client) throw new Open311Refusal(403, 'api_key_invalid');
  if (!client.scopes.includes('write')) throw new Open311Refusal(403, 'insufficient_scope', { scope: 'write' });
  return client;
}

/** Whether a reader gets the public view: no credentials (and publicReads on); a Bearer token must be right and may read. */
export function readerView(clients: ApiClients, org: Org, req: FastifyRequest): { publicView: boolean } {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') {
    if (!org.config.open311.publicReads) throw new Open311Refusal(403, 'public_reads_off');
    return { publicView: true };
  }
  const token = bearer(req);
  const client = token ? clients.find(token) : undefined;
  if (!client) throw new Open311Refusal(403, 'api_key_invalid');
  if (!client.scopes.includes('read')) throw new Open311Refusal(403, 'insufficient_scope', { scope: 'read' });
  return { publicView: false };
}
