/**
 * Open311's errors: `[{code, description}]` (XML <errors><error>), the HTTP status as `code`
 * and a description that starts with our string code ("unknown_service: ..."), so a client can
 * switch on it, followed by the words in the caller's language. Core refusals keep the status
 * the API gives them (error-handler.ts), except where GeoReport v2 names another: a missing,
 * wrong or read-only key is 403, and a refusal the rest of the API answers 409 or 422 is 400
 * here, the one status the specification gives a request it will not take.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../core/errors.js';
import { has, type Locale, t } from '../../i18n/index.js';
import { isDatabaseUnavailable, statusOfCode } from '../error-handler.js';
import { CONTENT_TYPE, type Format, formatOf, sendAs, toXml } from './format.js';
import { localeOf } from './locale.js';

/** A refusal the routes make themselves (auth, parameters), before or beside core. */
export class Open311Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly vars: Record<string, string | number> = {},
  ) {
    super(code);
  }
}

/** The format of the answer: the path's extension, JSON when it names none we speak. */
export function answerFormat(req: FastifyRequest): Format {
  return formatOf(req.url.split('?')[0]) ?? 'json';
}

/** "unknown_service: 没有这项服务（service_code）。" */
export function describe(locale: Locale, code: string, vars: Record<string, string | number | undefined> = {}): string {
  const key = code === 'validation_failed' && !vars.field ? 'open311.error.validation_failed_plain' : `open311.error.${code}`;
  const scope = typeof vars.scope === 'string' ? t(locale, `open311.scope.${vars.scope}`) : undefined;
  const words = has(locale, key) ? t(locale, key, { ...vars, scope }) : t(locale, 'open311.error.other');
  return `${code}: ${words}`;
}

export function sendError(
  req: FastifyRequest,
  reply: FastifyReply,
  status: number,
  code: string,
  vars: Record<string, string | number | undefined> = {},
): FastifyReply {
  const body = [{ code: status, description: describe(localeOf(req), code, vars) }];
  return sendAs(reply.status(status), answerFormat(req), 'errors', body);
}

/** Where Open311 answers a core code with another status than the rest of the API. */
function open311Status(code: AppError['code']): number {
  // an address_id that names no account is a bad form field, not a missing page
  if (code === 'customer_not_found') return 400;
  const status = statusOfCode(code);
  if (status === 401) return 403;
  if (status === 409 || status === 422) return 400;
  return status;
}

/** The words' placeholders from a refusal's context (never its other content). */
function varsOf(context: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['field', 'attribute'] as const) if (typeof context[k] === 'string') out[k] = context[k] as string;
  return out;
}

/**
 * An onSend hook: the app's refused-credentials limit (rate-limit.ts) answers a flood of wrong
 * keys 429 in the API's JSON before any route runs; here that answer is put in Open311's shape
 * and the format the path asks for. Answers the routes wrote themselves pass as they are.
 */
export async function open311TooMany(req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (reply.statusCode !== 429 || typeof payload !== 'string' || !payload.startsWith('{')) return payload;
  const format = answerFormat(req);
  reply.header('content-type', CONTENT_TYPE[format]);
  const body = [{ code: 429, description: describe(localeOf(req), 'rate_limited') }];
  return format === 'json' ? JSON.stringify(body) : toXml('errors', body);
}

/** The plugin's error and not-found handlers: every answer of /open311 is Open311-shaped. */
export function installOpen311Errors(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError | Open311Refusal, req, reply) => {
    if (err instanceof Open311Refusal) return sendError(req, reply, err.status, err.code, err.vars);
    if (err instanceof AppError) {
      if (err.code === 'rate_limited') {
        const after = err.context.retryAfter;
        if (typeof after === 'number') reply.header('retry-after', String(after));
        return sendError(req, reply, 429, 'rate_limited');
      }
      return sendError(req, reply, open311Status(err.code), err.code, varsOf(err.context));
    }
    const fe = err as FastifyError;
    if (fe.validation) {
      const v = fe.validation[0];
      const field = (v?.params as { missingProperty?: string } | undefined)?.missingProperty ?? v?.instancePath?.replace(/^\//, '');
      return sendError(req, reply, 400, 'validation_failed', field ? { field } : {});
    }
    const status = fe.statusCode;
    if (status && status >= 400 && status < 500) {
      const code = status === 413 ? 'body_too_large' : status === 415 ? 'unsupported_media_type' : status === 429 ? 'rate_limited' : 'bad_request';
      return sendError(req, reply, status, code);
    }
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ err: err.message }, 'database unavailable');
      reply.header('retry-after', '1');
      return sendError(req, reply, 503, 'database_unavailable');
    }
    req.log.error({ err }, 'unhandled error');
    return sendError(req, reply, 500, 'internal_error');
  });
  app.setNotFoundHandler((req, reply) => sendError(req, reply, 404, 'not_found'));
}

/**
 * Node refuses a request head over its 16 KB limit (10,000 service_request_id values in one
 * URL) with 431 before any route or hook runs. On /open311 that refusal is put in Open311's
 * shape, in the path's format, with the code request_too_large, so a client can tell it from a
 * network fault (src/http/client-error.ts calls this). The limit itself stays: raising it would
 * let every connection of every route hold more header memory. Null: not an /open311 request.
 */
export function open311HeadTooLarge(rawHead: string): { contentType: string; body: Buffer } | null {
  const path = /^[A-Z]+ (\/open311\/[^ ?]*)/.exec(rawHead)?.[1];
  if (!path) return null;
  const format = formatOf(path) ?? 'json';
  const errors = [{ code: 431, description: describe('zh-CN', 'request_too_large') }];
  return { contentType: CONTENT_TYPE[format], body: Buffer.from(format === 'json' ? JSON.stringify(errors) : toXml('errors', errors), 'utf8') };
}
