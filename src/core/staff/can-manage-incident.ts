/**
 * Who may declare, update and restore an incident (one failed station or main behind many
 * reports): the centre (it receives and dispatches for every branch, R2), a branch's coordinators
 * and leaders for their own branch's communities, HQ leaders and admins everywhere. Field staff
 * repair; they do not speak for a whole community to its residents.
 */
import type { Org } from '../org/org.js';
import type { Staff } from '../org/types.js';

export type IncidentRefusal = 'not_staff' | 'incident_role' | 'other_branch';

export type IncidentDecision = { allowed: true } | { allowed: false; reason: IncidentRefusal };

/** `branchIds`: the branches of the incident's communities (every one must be the person's own, for branch staff). */
export function canManageIncident(org: Org, staff: Staff | undefined, branchIds: readonly string[]): IncidentDecision {
  if (!staff || !org.staff.has(staff.id)) return { allowed: false, reason: 'not_staff' };
  if (staff.role === 'admin' || staff.role === 'centre_agent') return staff.branchId === null ? { allowed: true } : own(staff, branchIds);
  if (staff.role === 'leader') return staff.branchId === null ? { allowed: true } : own(staff, branchIds);
  if (staff.role === 'branch_coordinator') return own(staff, branchIds);
  return { allowed: false, reason: 'incident_role' };
}

function own(staff: Staff, branchIds: readonly string[]): IncidentDecision {
  return branchIds.every((b) => b === staff.branchId) ? { allowed: true } : { allowed: false, reason: 'other_branch' };
}
