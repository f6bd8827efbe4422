/**
 * Open311 GeoReport v2 in words: the objects the API answers (a request, a service, an update,
 * a notice), rendered from core's codes and data with locales/<lang>/open311.json. Plain
 * objects with the specification's field names; format.ts writes them as JSON or XML. The
 * closing webhook (delivery/webhook-deliverer.ts) sends the same request object.
 */
import type { CityRequestUpdate, CityRequestView, ServiceAttribute, ServiceDefinition, ServiceNotice, StatusNote } from '../../core/open311/types.js';
import type { Org } from '../../core/org/org.js';
import { formatMinute } from '../../core/local-time.js';
import { asLocale, has, type Locale, t } from '../../i18n/index.js';
import { isoDateTime } from './datetime.js';

export interface RenderCtx {
  org: Org;
  locale: Locale | string;
  /** a caller without credentials: nothing personal (see requestJson) */
  publicView: boolean;
}

type Named = { name: string; nameEn?: string };
const localName = (locale: Locale, x: Named) => (locale === 'en' ? (x.nameEn ?? x.name) : x.name);

/** agency_responsible: the branch's name, or the customer-service centre's when no branch holds it. */
export function agencyName(org: Org, locale: Locale | string, branchId: string | null | undefined): string {
  const l = asLocale(locale);
  const branch = branchId ? org.branches.get(branchId) : undefined;
  if (branch) return localName(l, branch);
  return t(l, 'open311.centre', { company: localName(l, org.config.company) });
}

/** status_notes: the latest step in words, naming the branch it concerns. */
export function statusNoteText(org: Org, locale: Locale | string, note: StatusNote, holder: string | null): string {
  const key = has(locale, `open311.note.${note.code}`) ? `open311.note.${note.code}` : 'open311.note.unknown';
  return t(locale, key, { agency: agencyName(org, locale, note.branchId ?? holder) });
}

/** A time limit in words: 30 minutes, 1 hour, 24 hours, 1 hour 30 minutes, 3 days. */
export function durationText(locale: Locale | string, minutes: number): string {
  if (minutes >= 2 * 1440 && minutes % 1440 === 0) return t(locale, 'open311.duration.days', { n: minutes / 1440 });
  if (minutes >= 60 && minutes % 60 === 0) return t(locale, 'open311.duration.hours', { n: minutes / 60 });
  if (minutes > 60) return t(locale, 'open311.duration.hours_minutes', { h: Math.floor(minutes / 60), m: minutes % 60 });
  return t(locale, 'open311.duration.minutes', { n: minutes });
}

/** service_notice after filing: the time limit that applies, by whom, or that the centre routes it. */
export function noticeText(org: Org, locale: Locale | string, notice: ServiceNotice, branchId: string | null): string {
  const agency = agencyName(org, locale, branchId);
  switch (notice.code) {
    case 'on_site_within':
    case 'repaired_within':
    case 'answered_within':
      return t(locale, `open311.notice.${notice.code}`, { agency, duration: durationText(locale, notice.minutes) });
    default:
      return t(locale, `open311.notice.${notice.code}`, { agency });
  }
}

/** The community's name and where it is, for the public view (and a full view without a point of its own). */
function community(org: Org, id: string | null) {
  return id ? org.communities.get(id) : undefined;
}

/** The address as people write it: the ticket's own text, the platform's, or the community with building, unit and room. */
function fullAddress(org: Org, view: CityRequestView): string | null {
  const a = view.address;
  if (a.address) return a.address;
  if (a.addressString) return a.addressString;
  const c = community(org, view.communityId);
  const parts = [c?.name, a.building, a.unit, a.room].filter((x): x is string => !!x);
  return parts.length ? parts.join(' ') : null;
}

/**
 * One request as GET requests answers it (and the webhook sends it). The public view (a reader
 * without credentials) shows nothing personal: no description, the community's name as the
 * address (never building, unit, room or the text a platform sent), the community's location
 * instead of the exact point, no account and no media. Conduct complaints never reach it (core
 * leaves them out).
 */
export function requestJson(view: CityRequestView, ctx: RenderCtx): Record<string, unknown> {
  const locale = asLocale(ctx.locale);
  const { org, publicView } = ctx;
  const c = community(org, view.communityId);
  const place = publicView
    ? { lat: c?.lat ?? null, long: c?.lon ?? null }
    : view.lat !== null && view.long !== null
      ? { lat: view.lat, long: view.long }
      : { lat: c?.lat ?? null, long: c?.lon ?? null };
  return {
    service_request_id: view.number,
    status: view.status,
    status_notes: statusNoteText(org, locale, view.statusNote, view.branchId),
    service_name: t(locale, `open311.service.${view.serviceCode}.name`),
    service_code: view.serviceCode,
    description: publicView ? null : view.description,
    agency_responsible: agencyName(org, locale, view.branchId),
    service_notice: view.status === 'open' && view.expectedAt ? t(locale, 'open311.notice.expected_by', { at: formatMinute(view.expectedAt) }) : null,
    requested_datetime: isoDateTime(view.requestedAt),
    updated_datetime: isoDateTime(view.updatedAt),
    expected_datetime: view.expectedAt ? isoDateTime(view.expectedAt) : null,
    address: publicView ? (c?.name ?? null) : fullAddress(org, view),
    address_id: publicView ? null : view.account,
    zipcode: null,
    lat: place.lat,
    long: place.long,
    media_url: publicView ? null : view.mediaUrl,
  };
}

/** One entry of the updates feed (mySociety's servicerequestupdates, as FixMyStreet reads it). */
export function updateJson(u: CityRequestUpdate, ctx: Omit<RenderCtx, 'publicView'>): Record<string, unknown> {
  return {
    update_id: String(u.id),
    service_request_id: u.number,
    status: u.status,
    updated_datetime: isoDateTime(u.at),
    description: statusNoteText(ctx.org, ctx.locale, u.note, null),
    media_url: '',
  };
}

/** One entry of GET services: metadata says whether GET services/{code} has attributes to ask. */
export function serviceJson(s: ServiceDefinition, locale: Locale | string): Record<string, unknown> {
  return {
    service_code: s.code,
    service_name: t(locale, `open311.service.${s.code}.name`),
    description: t(locale, `open311.service.${s.code}.description`),
    metadata: s.attributes.length > 0,
    type: 'realtime',
    keywords: t(locale, `open311.service.${s.code}.keywords`),
    group: t(locale, `open311.group.${s.group}`),
  };
}

function attributeJson(a: ServiceAttribute, locale: Locale | string): Record<string, unknown> {
  return {
    variable: true,
    code: a.code,
    datatype: a.datatype,
    required: a.required,
    datatype_description: t(locale, `open311.attribute.${a.code}.datatype_description`),
    order: a.order,
    description: t(locale, `open311.attribute.${a.code}.description`),
    values: (a.values ?? []).map((key) => ({ key, name: t(locale, `open311.value.${a.code}.${key}`) })),
  };
}

/** GET services/{code}: the service definition with its attributes in form order. */
export function serviceDefinitionJson(s: ServiceDefinition, locale: Locale | string): Record<string, unknown> {
  return {
    service_code: s.code,
    attributes: [...s.attributes].sort((a, b) => a.order - b.order).map((a) => attributeJson(a, locale)),
  };
}
