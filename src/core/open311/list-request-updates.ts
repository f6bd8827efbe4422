/**
 * The updates feed (mySociety's servicerequestupdates extension of GeoReport v2): every step a
 * city platform follows (isStatusStep: a change of status, a transfer, a reopen, an outage link),
 * oldest first, so a platform polls cheaply. `after` is the cursor: the last update_id the
 * platform has seen, so each step comes once however often it polls.
 */
import type { Core } from '../context.js';
import { requestWindow, MAX_RANGE_DAYS } from './list-city-requests.js';
import { noteOfStep, open311StatusOf } from './open311-status.js';
import { serviceCodeOf } from './service-catalogue.js';
import type { Status } from '../tickets/status-machine.js';
import type { CityRequestUpdate } from './types.js';

/** The most updates one answer holds (the default too): a platform that gets this many asks again after the last. */
export const MAX_UPDATES = 1000;
const DEFAULT_HOURS = 24;
const HOUR_MS = 60 * 60 * 1000;
/**
 * A poll by cursor reads only steps at least this old. Event ids are drawn when a step is
 * written but become visible when its transaction commits, so on PostgreSQL a step with a lower
 * id can appear after one with a higher id: a platform that moved its cursor past the higher one
 * would never see the lower. Commits take far less than this; the step comes on the next poll.
 */
export const CURSOR_SETTLE_MS = 5000;

export interface RequestUpdateQuery {
  start?: Date;
  end?: Date;
  /** only updates after this update_id (without a start, the window reaches back 90 days, not one) */
  after?: number;
  publicView: boolean;
  limit?: number;
}

export async function listRequestUpdates(core: Core, q: RequestUpdateQuery): Promise<CityRequestUpdate[]> {
  const now = core.clock.now();
  // the default window is the last day, or with a cursor the longest one (a platform that was away
  // two days still gets every step after its cursor); given dates follow the requests' rule
  const end = q.end ?? (q.start ? undefined : now);
  const back = q.after === undefined ? DEFAULT_HOURS * HOUR_MS : MAX_RANGE_DAYS * 24 * HOUR_MS;
  const start = q.start ?? new Date((end ?? now).getTime() - back);
  const window = requestWindow(now, start, end, MAX_RANGE_DAYS);
  const from = window.from;
  const to = q.after === undefined ? window.to : new Date(Math.min(window.to.getTime(), now.getTime() - CURSOR_SETTLE_MS));
  if (to < from) return [];
  const limit = q.limit !== undefined && Number.isFinite(q.limit) ? Math.max(1, Math.min(Math.trunc(q.limit), MAX_UPDATES)) : MAX_UPDATES;
  const rows = await core.stores.cityRequests.steps({ from, to, after: q.after, hideConduct: q.publicView, limit });
  return rows.map(({ event: e, ticket: t }) => {
    const status = e.toStatus as Status;
    return {
      id: e.id,
      number: t.number,
      serviceCode: serviceCodeOf(t),
      status: open311StatusOf(status),
      ticketStatus: status,
      note: noteOfStep(e, t.branchId),
      at: e.at,
    };
  });
}
