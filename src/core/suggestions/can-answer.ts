/**
 * Who may answer a suggestion (R17-R19). HQ answers what residents propose: any staff member of
 * the centre (its agents, its leaders, the admin) answers any suggestion. A branch answers only a
 * suggestion it holds itself, one it took directly (R17: whoever receives it answers it); its
 * head (a leader) may answer it too, since a branch's suggestion is its head's business.
 */
import type { Org } from '../org/org.js';
import type { Staff } from '../org/types.js';

export type AnswerRefusal = 'not_staff' | 'centre_only' | 'other_branch';

export type AnswerDecision = { allowed: true } | { allowed: false; reason: AnswerRefusal };

export function canAnswerSuggestion(org: Org, staff: Staff | undefined, ticket: { branchId: string | null }): AnswerDecision {
  if (!staff || !org.staff.has(staff.id)) return { allowed: false, reason: 'not_staff' };
  if (staff.branchId === null) return { allowed: true };
  if (ticket.branchId === null) return { allowed: false, reason: 'centre_only' };
  return staff.branchId === ticket.branchId ? { allowed: true } : { allowed: false, reason: 'other_branch' };
}
