/**
 * Who may record training (R23/R24): the centre's agents, the company's leaders and admins for
 * anyone; a branch's coordinator or head for their own branch's staff only. Field and billing
 * staff attend, they do not record. Pure: the transports ask here and refuse with the reason.
 */
import type { Org } from '../org/org.js';
import type { Staff } from '../org/types.js';

export type TrainingRefusal = 'not_staff' | 'not_allowed' | 'other_branch';

export type TrainingDecision = { allowed: true } | { allowed: false; reason: TrainingRefusal };

const RECORDERS: readonly string[] = ['centre_agent', 'branch_coordinator', 'leader', 'admin'];

/**
 * Whether `staff` may record a session of `branchId` ("" = the company) attended by `attendees`
 * (staff ids; unknown ids are the use case's to refuse). Pass no branch and no attendees to ask
 * whether they may record at all.
 */
export function canRecordTraining(org: Org, staff: Staff | undefined, what: { branchId?: string; attendees?: readonly string[] } = {}): TrainingDecision {
  if (!staff || !org.staff.has(staff.id)) return { allowed: false, reason: 'not_staff' };
  if (!RECORDERS.includes(staff.role)) return { allowed: false, reason: 'not_allowed' };
  if (staff.branchId === null) return { allowed: true };
  if (what.branchId !== undefined && what.branchId !== staff.branchId) return { allowed: false, reason: 'other_branch' };
  const outside = (what.attendees ?? []).some((id) => {
    const s = org.staff.get(id);
    return s !== undefined && s.branchId !== staff.branchId;
  });
  return outside ? { allowed: false, reason: 'other_branch' } : { allowed: true };
}

/** The staff a recorder may name as attendees: everyone for the centre and the company's leaders, else their branch's. */
export function recordableStaff(org: Org, staff: Staff): Staff[] {
  return [...org.staff.values()].filter((s) => staff.branchId === null || s.branchId === staff.branchId);
}
