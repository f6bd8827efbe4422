/**
 * Where a complaint about a member of staff goes (R31-R33): to the customer-service centre, which
 * investigates it in its supervision channel, never to the accused's own branch. The ticket is
 * held by the centre (no branch, no unit), so no branch channel, branch dashboard or branch staff
 * member sees it; the staff member's branch is recorded with the finding instead (ConductFinding.branchId),
 * which is where the KPIs count it.
 */
import type { Org } from '../org/org.js';

interface Classified {
  kind?: string;
  category?: string;
}

/** A complaint about a staff member's conduct (attitude, favours, making things hard). */
export function isConductComplaint(t: Classified): boolean {
  return t.kind === 'complaint' && t.category === 'staff_conduct';
}

/** The centre's supervision channel for a conduct complaint the centre holds; undefined otherwise. */
export function supervisionChannelFor(org: Org, t: Classified & { branchId: string | null }): string | undefined {
  if (t.branchId !== null || !isConductComplaint(t)) return undefined;
  return org.config.centre.channels.supervision;
}
