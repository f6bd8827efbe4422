/**
 * The Open311 GeoReport v2 API (registered at /open311/v2, outside /api's bearer hook: it has
 * its own rules, access.ts): the service list and definitions, filing a request, reading
 * requests, and mySociety's updates feed, each in .json and .xml. Routes are thin: read the
 * parameters, check who asks, one core call, render (render.ts) in the format asked for
 * (format.ts). Every answer, refusals included, is Open311-shaped (errors.ts).
 */
import formbody from '@fastify/formbody';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Core } from '../../core/context.js';
import { isAppError } from '../../core/errors.js';
import { fileCityRequest } from '../../core/open311/file-city-request.js';
import { getCityRequest } from '../../core/open311/get-city-request.js';
import { listCityRequests } from '../../core/open311/list-city-requests.js';
import { listRequestUpdates } from '../../core/open311/list-request-updates.js';
import { SERVICES, serviceByCode } from '../../core/open311/service-catalogue.js';
import type { ApiClients } from '../auth.js';
import { readerView, refuseQueryCredentials, writer } from './access.js';
import { installOpen311Errors, Open311Refusal, open311TooMany } from './errors.js';
import { readFilingForm } from './filing-form.js';
import { type Format, formatOf, sendAs } from './format.js';
import { localeOf } from './locale.js';
import { readRequestsQuery, readUpdatesQuery } from './query.js';
import { noticeText, requestJson, serviceDefinitionJson, serviceJson, updateJson } from './render.js';
import { open311Schemas } from './schemas.js';

export interface Open311Options {
  core: Core;
  clients: ApiClients;
}

/** A filing is a form of a few fields: 64 KB is ample, and a 1 MB description is refused (413) before it is read. */
export const OPEN311_BODY_LIMIT = 64 * 1024;
/** An Idempotency-Key's longest form. */
const MAX_IDEMPOTENCY_KEY = 100;

/** The format the path's extension names; any other is a page we do not have (404). */
function formatParam(req: FastifyRequest): Format {
  const f = formatOf(`.${(req.params as { format?: string }).format ?? ''}`);
  if (!f) throw new Open311Refusal(404, 'unsupported_format');
  return f;
}

function idempotencyKey(req: FastifyRequest): string | undefined {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return undefined;
  const key = (Array.isArray(raw) ? raw.join(',') : raw).trim();
  if (key === '' || key.length > MAX_IDEMPOTENCY_KEY) throw new Open311Refusal(400, 'idempotency_key_invalid');
  return key;
}

export const open311Routes: FastifyPluginAsync<Open311Options> = async (app, { core, clients }) => {
  const { org } = core;
  installOpen311Errors(app);
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) await app.register(formbody, { bodyLimit: OPEN311_BODY_LIMIT });
  app.addHook('onRequest', refuseQueryCredentials);
  app.addHook('onSend', open311TooMany);

  app.get('/services.:format', { schema: open311Schemas.services }, async (req, reply) => {
    const format = formatParam(req);
    const locale = localeOf(req);
    return sendAs(
      reply,
      format,
      'services',
      SERVICES.map((s) => serviceJson(s, locale)),
    );
  });

  app.get('/services/:code.:format', { schema: open311Schemas.serviceDefinition }, async (req, reply) => {
    const format = formatParam(req);
    const service = serviceByCode((req.params as { code: string }).code);
    if (!service) throw new Open311Refusal(404, 'unknown_service');
    return sendAs(reply, format, 'service_definition', serviceDefinitionJson(service, localeOf(req)));
  });

  app.post('/requests.:format', { bodyLimit: OPEN311_BODY_LIMIT, schema: open311Schemas.postRequest }, async (req, reply) => {
    const format = formatParam(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const client = writer(clients, req, typeof body.api_key === 'string' ? body.api_key.trim() : undefined);
    const onceKey = idempotencyKey(req);
    const { apiKey: _key, ...form } = readFilingForm(body);
    const locale = localeOf(req);
    try {
      const filed = await fileCityRequest(core, { ...form, clientId: client.id, onceKey });
      const answer = {
        service_request_id: filed.ticket.number,
        service_notice: noticeText(org, locale, filed.notice, filed.ticket.branchId),
        account_id: filed.account,
      };
      return sendAs(reply, format, 'service_requests', [answer]);
    } catch (e) {
      // the same Idempotency-Key again: the first request's answer, when core can name it
      const number = isAppError(e, 'already_filed') ? e.context.number : undefined;
      if (typeof number !== 'string') throw e;
      const view = await getCityRequest(core, number, { publicView: false });
      const notice = requestJson(view, { org, locale, publicView: false }).service_notice;
      return sendAs(reply, format, 'service_requests', [{ service_request_id: view.number, service_notice: notice, account_id: view.account }]);
    }
  });

  app.get('/requests.:format', { schema: open311Schemas.getRequests }, async (req, reply) => {
    const format = formatParam(req);
    const view = readerView(clients, org, req);
    const q = readRequestsQuery(req.query);
    const found = await listCityRequests(core, { ...q, ...view });
    const ctx = { org, locale: localeOf(req), ...view };
    return sendAs(
      reply,
      format,
      'service_requests',
      found.map((v) => requestJson(v, ctx)),
    );
  });

  app.get('/requests/:id.:format', { schema: open311Schemas.getRequest }, async (req, reply) => {
    const format = formatParam(req);
    const view = readerView(clients, org, req);
    const found = await getCityRequest(core, (req.params as { id: string }).id, view);
    return sendAs(reply, format, 'service_requests', [requestJson(found, { org, locale: localeOf(req), ...view })]);
  });

  app.get('/servicerequestupdates.:format', { schema: open311Schemas.updates }, async (req, reply) => {
    const format = formatParam(req);
    const view = readerView(clients, org, req);
    const updates = await listRequestUpdates(core, { ...readUpdatesQuery(req.query), ...view });
    const ctx = { org, locale: localeOf(req) };
    return sendAs(
      reply,
      format,
      'service_request_updates',
      updates.map((u) => updateJson(u, ctx)),
    );
  });
};
