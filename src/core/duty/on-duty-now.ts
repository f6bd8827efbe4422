/**
 * Who to page for a place now: one indexed read of the latest duty assignment of each place the
 * query covers (DutyAssignment (branchId, unitId, from)), then the pure rule of duty-at.ts.
 */
import type { Core } from '../context.js';
import type { Staff } from '../org/types.js';
import { notePagesStaff } from '../tickets/resident-paging.js';
import { type DutyPlace, type DutyState, dutyAt, placesOf, rosterOnly } from './duty-at.js';

/** The assignments the places of these branches (null: the centre) had at `at`, read once for a planner. */
export async function readDutyState(core: Pick<Core, 'org' | 'stores'>, branchIds: readonly (string | null)[], at: Date): Promise<DutyState> {
  const places = [...new Set(branchIds)].flatMap((branchId) => placesOf(core.org, { branchId }));
  return { at, assignments: await core.stores.duty.assignmentsAt(places, at) };
}

/** The staff on duty for a branch (or one unit of it; null branch: the centre) at `at`. */
export async function onDutyNow(core: Core, place: DutyPlace, at: Date): Promise<Staff[]> {
  const assignments = await core.stores.duty.assignmentsAt(placesOf(core.org, place), at);
  return dutyAt(core.org, { at, assignments }, place);
}

/**
 * The duty a resident's note or urging on this ticket pages by (resident-paging.ts residentLine):
 * read only when it would page someone other than the assignee, so a quiet note costs no read.
 */
export async function pagingDuty(
  core: Pick<Core, 'org' | 'stores'>,
  ticket: { assigneeId: string | null; branchId: string | null; events: Parameters<typeof notePagesStaff>[0] },
  now: Date,
): Promise<DutyState> {
  if (ticket.assigneeId || !ticket.branchId || !notePagesStaff(ticket.events, now)) return rosterOnly(now);
  return readDutyState(core, [ticket.branchId], now);
}
