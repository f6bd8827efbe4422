import type { FastifyError, FastifyInstance } from 'fastify';
import { AppError, type ErrorCode } from '../core/errors.js';

const STATUS: Partial<Record<ErrorCode, number>> = {
  validation_failed: 400,
  csv_invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_your_ticket: 403,
  not_found: 404,
  ticket_not_found: 404,
  customer_not_found: 404,
  incident_not_found: 404,
  incident_overlaps: 409,
  unknown_station: 422,
  expected_time_past: 422,
  invalid_transition: 409,
  concurrent_update: 409,
  transfer_to_same_place: 409,
  already_answered: 409,
  duplicate_of_self: 422,
  duplicate_chain: 409,
  duplicate_of_withdrawn: 409,
  duplicate_other_branch: 403,
  has_duplicates: 409,
  duplicate_of_linked: 409,
  unknown_action: 400,
  unknown_branch: 422,
  unknown_unit: 422,
  unknown_community: 422,
  unknown_staff: 422,
  rate_limited: 429,
  bind_rate_limited: 429,
  form_not_found: 404,
  form_already_returned: 409,
  invalid_range: 400,
  too_many_ids: 400,
  after_sales_required: 422,
  labour_fee_exceeded: 422,
  callback_retry_too_soon: 409,
  callback_not_answered: 409,
  finding_exists: 409,
  conduct_category_fixed: 409,
  not_conduct_complaint: 422,
  conduct_staff_required: 422,
  invalid_quote: 422,
  quote_not_found: 404,
  quote_expired: 409,
  quote_already_answered: 409,
  period_not_ended: 409,
  reason_required: 422,
  not_a_suggestion: 422,
  reply_too_long: 422,
  // Open311 filing: GeoReport v2 answers a request it cannot take with 400
  unknown_service: 400,
  location_required: 400,
  outside_service_area: 400,
  attribute_required: 400,
  invalid_attribute: 400,
};

/** The HTTP status the API answers a refusal with (400 for a code the map does not name); the Open311 routes start from it too. */
export function statusOfCode(code: ErrorCode): number {
  return STATUS[code] ?? 400;
}

/** Driver and Prisma codes of a database that is there but cannot take the request now. */
const UNAVAILABLE = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_LOCKED',
  'P1001',
  'P1002',
  'P1008',
  'P1017',
  'P2024',
  'P2034',
  'ECONNREFUSED',
  'ECONNRESET',
  '57P01',
  '57P03',
  '08001',
  '08003',
  '08006',
]);
const UNAVAILABLE_TEXT =
  /database is locked|SQLITE_BUSY|Connection terminated|terminating connection|Timed out fetching a new connection|Can't reach database/i;

/**
 * A database that is busy (SQLite's write lock held past the busy timeout) or whose connection
 * dropped: the request may simply be sent again, so the answer is 503 with a code, not 500.
 */
export function isDatabaseUnavailable(e: unknown): boolean {
  let x = e as { code?: unknown; message?: unknown; cause?: unknown; error?: unknown } | undefined;
  for (let i = 0; x && i < 6; i++, x = (x.cause ?? x.error) as typeof x) {
    if (typeof x.code === 'string' && UNAVAILABLE.has(x.code)) return true;
    if (typeof x.message === 'string' && UNAVAILABLE_TEXT.test(x.message)) return true;
  }
  return false;
}

export const DATABASE_UNAVAILABLE = { code: 'database_unavailable', message: 'the database cannot take this request now; send it again shortly' } as const;

/** The one place HTTP turns errors into replies: a code and a message, never a stack or a 5xx detail. */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, req, reply) => {
    if (err instanceof AppError) {
      const status = statusOfCode(err.code);
      const { issues, allowed, field, reason, nextAt } = err.context as Record<string, unknown>;
      return reply.status(status).send({
        code: err.code,
        message: err.message,
        ...(field ? { field } : {}),
        ...(allowed ? { allowed } : {}),
        ...(issues ? { issues } : {}),
        // forbidden: why (can-act.ts's refusal: other_branch, leaders_see_only, ...)
        ...(typeof reason === 'string' ? { reason } : {}),
        // callback_retry_too_soon: when a "not reached" attempt counts again (R28)
        ...(typeof nextAt === 'string' ? { nextAt } : {}),
      });
    }
    if ((err as FastifyError).validation) {
      return reply.status(400).send({ code: 'validation_failed', message: err.message });
    }
    const status = (err as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      const code = status === 413 ? 'body_too_large' : status === 415 ? 'unsupported_media_type' : status === 429 ? 'rate_limited' : 'bad_request';
      return reply.status(status).send({ code, message: err.message });
    }
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ err: err.message }, 'database unavailable');
      return reply.status(503).header('retry-after', '1').send(DATABASE_UNAVAILABLE);
    }
    req.log.error({ err }, 'unhandled error');
    return reply.status(500).send({ code: 'internal_error', message: 'internal error' });
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ code: 'not_found', message: `no route ${req.method} ${req.url.split('?')[0]}` }));
}
