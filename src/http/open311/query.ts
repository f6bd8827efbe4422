/**
 * GET requests' and servicerequestupdates' query parameters read into core's queries: lists are
 * comma-separated (and may be repeated), datetimes W3C. jurisdiction_id and locale are read
 * elsewhere or not at all. What a range or a list may hold is core's to judge.
 */
import { SERVICE_CODES, type Open311Status, type ServiceCode } from '../../core/open311/types.js';
import { parseW3cDateTime } from './datetime.js';
import { Open311Refusal } from './errors.js';

type Query = Record<string, unknown>;

/** Every value of a list parameter: "a,b" and a=...&a=... alike, trimmed, empty ones dropped. */
function list(q: Query, name: string): string[] | undefined {
  const raw = q[name];
  if (raw === undefined) return undefined;
  const parts = (Array.isArray(raw) ? raw : [raw]).flatMap((v) => String(v).split(','));
  const values = parts.map((s) => s.trim()).filter(Boolean);
  return values.length ? values : undefined;
}

function one(q: Query, name: string): string | undefined {
  const raw = q[name];
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw new Open311Refusal(400, 'validation_failed', { field: name });
  return String(raw);
}

function dateParam(q: Query, name: string): Date | undefined {
  const at = parseW3cDateTime(one(q, name));
  if (at === null) throw new Open311Refusal(400, 'invalid_date', { field: name });
  return at;
}

export interface RequestsQuery {
  numbers?: string[];
  serviceCodes?: ServiceCode[];
  start?: Date;
  end?: Date;
  status?: Open311Status[];
}

export function readRequestsQuery(query: unknown): RequestsQuery {
  const q = (query ?? {}) as Query;
  const out: RequestsQuery = { start: dateParam(q, 'start_date'), end: dateParam(q, 'end_date') };
  out.numbers = list(q, 'service_request_id');
  const codes = list(q, 'service_code');
  if (codes) {
    const unknown = codes.find((c) => !(SERVICE_CODES as readonly string[]).includes(c));
    if (unknown !== undefined) throw new Open311Refusal(400, 'unknown_service');
    out.serviceCodes = codes as ServiceCode[];
  }
  const status = list(q, 'status')?.map((s) => s.toLowerCase());
  if (status) {
    if (status.some((s) => s !== 'open' && s !== 'closed')) throw new Open311Refusal(400, 'validation_failed', { field: 'status' });
    out.status = status as Open311Status[];
  }
  return out;
}

export interface UpdatesQuery {
  start?: Date;
  end?: Date;
  after?: number;
}

export function readUpdatesQuery(query: unknown): UpdatesQuery {
  const q = (query ?? {}) as Query;
  const out: UpdatesQuery = { start: dateParam(q, 'start_date'), end: dateParam(q, 'end_date') };
  const after = one(q, 'after')?.trim();
  if (after !== undefined && after !== '') {
    if (!/^\d{1,15}$/.test(after)) throw new Open311Refusal(400, 'validation_failed', { field: 'after' });
    out.after = Number(after);
  }
  return out;
}
