/**
 * What a signed-in person may see on the dashboard, from the organisation file: the company's
 * leaders and admins (no branch) and the centre's agents see every branch, since the centre
 * receives, dispatches and calls back everywhere (R2); a branch head, the branch's coordinators,
 * field and billing staff see their own branch, with the company's total beside it as the yardstick
 * they are assessed against. The operator (the API-token sign-in, for
 * installs without Slack sign-in) sees everything. Pure: the routes ask here and filter.
 */
import type { Org } from '../org/org.js';
import type { Staff } from '../org/types.js';

/** The API-token sign-in's identity and role. */
export const OPERATOR = 'operator';

export interface DashboardScope {
  staffId: string;
  /** a staff role, or "operator" */
  role: string;
  /** null: every branch */
  branchId: string | null;
}

/** Why someone is not let in: not in the organisation file, or branch staff without a branch. */
export type ScopeRefusal = 'not_staff' | 'no_branch';

export type ScopeDecision = { allowed: true; scope: DashboardScope } | { allowed: false; reason: ScopeRefusal };

const SEE_EVERYTHING_WITHOUT_BRANCH: readonly string[] = ['leader', 'admin', 'centre_agent'];

export function operatorScope(): DashboardScope {
  return { staffId: OPERATOR, role: OPERATOR, branchId: null };
}

/** The scope of a staff member; refused when they are not in the file or hold a branch role without a branch. */
export function dashboardScopeOf(org: Org, staff: Staff | undefined): ScopeDecision {
  if (!staff || !org.staff.has(staff.id)) return { allowed: false, reason: 'not_staff' };
  if (staff.branchId !== null) return { allowed: true, scope: { staffId: staff.id, role: staff.role, branchId: staff.branchId } };
  if (SEE_EVERYTHING_WITHOUT_BRANCH.includes(staff.role)) return { allowed: true, scope: { staffId: staff.id, role: staff.role, branchId: null } };
  return { allowed: false, reason: 'no_branch' };
}

/**
 * The scope a stored session stands for now: the operator's as stored; a staff member's as the
 * organisation file says today (someone moved to another branch or removed since signing in sees
 * what the file now allows, or nothing).
 */
export function currentScope(org: Org, session: { staffId: string; role: string }): DashboardScope | null {
  if (session.staffId === OPERATOR && session.role === OPERATOR) return operatorScope();
  const d = dashboardScopeOf(org, org.staff.get(session.staffId));
  return d.allowed ? d.scope : null;
}

/** Whether the scope covers everything a branch holds (null: the centre's triage queue, which only the whole-company scope sees). */
export function seesBranch(scope: DashboardScope, branchId: string | null): boolean {
  return scope.branchId === null || scope.branchId === branchId;
}

/**
 * The branch a page shows for the branch asked for: anyone may narrow to one branch they see;
 * a branch scope always shows its own branch, whatever was asked.
 */
export function branchShown(scope: DashboardScope, asked: string | undefined): string | undefined {
  return scope.branchId ?? asked;
}

/** The branches the branch selector offers. */
export function branchesVisible(org: Org, scope: DashboardScope): string[] {
  return [...org.branches.keys()].filter((id) => seesBranch(scope, id));
}
