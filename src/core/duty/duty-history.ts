/**
 * What /duty and the dashboard's duty page show for a place (R4): who is on duty now, unit by
 * unit and why (a handover, the roster's shift, the onDuty flag), and the place's handovers
 * (signed, objected to, open) and duty-log entries, newest first, a page at a time, optionally
 * within dates. Three reads: the places' latest assignments, a page of handovers, a page of log.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { DutyLogEntry, Handover } from '../model.js';
import type { DutyRange } from '../ports/duty-store.js';
import { dutyByPlace, type PlaceDuty } from './duty-at.js';
import { readDutyState } from './on-duty-now.js';

export interface DutyHistoryQuery {
  /** null: the centre */
  branchId: string | null;
  /** 1 = the newest */
  page?: number;
  pageSize?: number;
  range?: DutyRange;
}

export interface DutyHistory {
  at: Date;
  now: PlaceDuty[];
  handovers: Handover[];
  entries: DutyLogEntry[];
  page: number;
  /** an older page has something */
  more: boolean;
}

export const DUTY_PAGE_SIZE = 10;
const MAX_PAGE = 1000;

export async function dutyHistory(core: Core, q: DutyHistoryQuery): Promise<DutyHistory> {
  if (q.branchId !== null && !core.org.branches.has(q.branchId)) throw new AppError('unknown_branch', `no branch ${q.branchId}`, { branch: q.branchId });
  const page = q.page ?? 1;
  if (!Number.isSafeInteger(page) || page < 1 || page > MAX_PAGE)
    throw new AppError('validation_failed', `page: a number from 1 to ${MAX_PAGE}`, { field: 'page' });
  const size = Math.min(Math.max(q.pageSize ?? DUTY_PAGE_SIZE, 1), 100);
  const at = core.clock.now();
  const range = q.range ?? {};
  // one row more than a page says whether an older page exists
  const window = { limit: size + 1, offset: (page - 1) * size };
  const [state, handovers, entries] = await Promise.all([
    readDutyState(core, [q.branchId], at),
    core.stores.duty.handovers(q.branchId, range, window),
    core.stores.duty.recentEntries(q.branchId, range, window),
  ]);
  return {
    at,
    now: dutyByPlace(core.org, state, { branchId: q.branchId }),
    handovers: handovers.slice(0, size),
    entries: entries.slice(0, size),
    page,
    more: handovers.length > size || entries.length > size,
  };
}
