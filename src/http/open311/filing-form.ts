/**
 * POST requests' form (application/x-www-form-urlencoded, as GeoReport v2 gives it) read into
 * what filing needs: texts trimmed (empty is absent), lat/long as numbers, attribute[CODE]=v and
 * attribute[CODE][]=v (a multi-value list) gathered by code. jurisdiction_id, device_id and
 * account_id are accepted and not used. What the values mean is core's to judge
 * (file-city-request.ts); here only their form.
 */
import type { CityRequestInput } from '../../core/open311/file-city-request.js';
import { Open311Refusal } from './errors.js';

/** The filing as HTTP read it: what core files (file-city-request.ts) without the client and the Idempotency-Key, and the key. */
export type FilingForm = Omit<CityRequestInput, 'clientId' | 'onceKey'> & { apiKey?: string };

const TEXT_FIELDS = {
  api_key: 'apiKey',
  address_string: 'addressString',
  address_id: 'addressId',
  description: 'description',
  first_name: 'firstName',
  last_name: 'lastName',
  phone: 'phone',
  email: 'email',
  media_url: 'mediaUrl',
} as const;

const ATTRIBUTE = /^attribute\[([^[\]]+)\](\[\])?$/;

const invalid = (field: string) => new Open311Refusal(400, 'validation_failed', { field });

/** One value of a scalar field: given twice is an error, not a choice. */
function single(body: Record<string, unknown>, field: string): string | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw invalid(field);
  const s = v.trim();
  return s === '' ? undefined : s;
}

function coordinate(body: Record<string, unknown>, field: 'lat' | 'long'): number | undefined {
  const s = single(body, field);
  if (s === undefined) return undefined;
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)) throw invalid(field);
  return Number(s);
}

export function readFilingForm(body: unknown): FilingForm {
  const b = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const serviceCode = single(b, 'service_code');
  if (!serviceCode) throw invalid('service_code');
  const form: FilingForm = { serviceCode, attributes: {} };
  for (const [field, key] of Object.entries(TEXT_FIELDS)) {
    const v = single(b, field);
    if (v !== undefined) form[key] = v;
  }
  form.lat = coordinate(b, 'lat');
  form.long = coordinate(b, 'long');
  for (const [name, raw] of Object.entries(b)) {
    const m = ATTRIBUTE.exec(name);
    if (!m) continue;
    const code = m[1];
    const values = (Array.isArray(raw) ? raw : [raw]).map((v) => (typeof v === 'string' ? v.trim() : null));
    if (values.some((v) => v === null)) throw invalid(name);
    const given = (values as string[]).filter((v) => v !== '');
    if (!given.length) continue;
    const prev = form.attributes[code];
    const all = [...(prev === undefined ? [] : Array.isArray(prev) ? prev : [prev]), ...given];
    // attribute[x][] is a list even with one value; attribute[x] given once is one value
    form.attributes[code] = m[2] || all.length > 1 ? all : all[0];
  }
  return form;
}
