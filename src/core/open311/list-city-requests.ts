/**
 * GET requests of Open311 GeoReport v2: the requests a city platform asks for, by number or by
 * the time they were filed, newest first, at most 1,000. Whatever channel filed a ticket, it reads
 * as a request (a city platform follows the 12345 hotline's tickets too); the public view leaves
 * complaints about staff conduct out entirely.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { RequestFilter } from '../ports/city-request-reads.js';
import { STATUSES, type Status } from '../tickets/status-machine.js';
import { OPEN311_CLOSED } from './open311-status.js';
import { requestViewOf, ticketsOfServices } from './request-view.js';
import type { CityRequestView, Open311Status, ServiceCode } from './types.js';

/** The most requests one answer holds, and the most ids one query may name (GeoReport v2). */
export const MAX_REQUESTS = 1000;
/** The longest window of filing dates one query may cover (GeoReport v2), and the default. */
export const MAX_RANGE_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface CityRequestQuery {
  /** service_request_id: these requests; the dates are ignored then */
  numbers?: string[];
  serviceCodes?: ServiceCode[];
  start?: Date;
  end?: Date;
  status?: Open311Status[];
  /** no credentials: conduct complaints are left out */
  publicView: boolean;
}

/** The window of filing dates: end defaults to now, start to 90 days before end; start alone reaches 90 days on, not past now. */
export function requestWindow(now: Date, start: Date | undefined, end: Date | undefined, maxDays = MAX_RANGE_DAYS): { from: Date; to: Date } {
  const span = maxDays * DAY_MS;
  const to = end ?? (start ? new Date(Math.min(start.getTime() + span, now.getTime())) : now);
  const from = start ?? new Date(to.getTime() - span);
  if (from.getTime() > to.getTime()) throw new AppError('invalid_range', 'start_date is after end_date', { start: from.toISOString(), end: to.toISOString() });
  if (to.getTime() - from.getTime() > span)
    throw new AppError('invalid_range', `the range from start_date to end_date is ${maxDays} days at most`, {
      start: from.toISOString(),
      end: to.toISOString(),
      maxDays,
    });
  return { from, to };
}

/** The ticket statuses of these Open311 statuses (none given, or both: any status). */
export function ticketStatusesOf(status: readonly Open311Status[] | undefined): Status[] | undefined {
  const want = new Set(status ?? []);
  if (want.size === 0 || want.size === 2) return undefined;
  return STATUSES.filter((s) => want.has(OPEN311_CLOSED.includes(s) ? 'closed' : 'open'));
}

export async function listCityRequests(core: Core, q: CityRequestQuery): Promise<CityRequestView[]> {
  const f: RequestFilter = { hideConduct: q.publicView, limit: MAX_REQUESTS, statuses: ticketStatusesOf(q.status) };
  if (q.serviceCodes?.length) f.services = ticketsOfServices(q.serviceCodes);
  if (q.numbers) {
    if (q.numbers.length > MAX_REQUESTS)
      throw new AppError('too_many_ids', `at most ${MAX_REQUESTS} service_request_id in one query, not ${q.numbers.length}`, {
        max: MAX_REQUESTS,
        count: q.numbers.length,
      });
    f.numbers = [...new Set(q.numbers)];
  } else {
    Object.assign(f, requestWindow(core.clock.now(), q.start, q.end));
  }
  const rows = await core.stores.cityRequests.requests(f);
  return rows.map(requestViewOf);
}
