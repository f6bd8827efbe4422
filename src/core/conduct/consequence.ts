/**
 * What a conduct finding means for the staff member (R32, R33). The system records it; it does
 * not run payroll or personnel files.
 */
import type { ConductConsequence, ConductFindingKind } from '../model.js';

export function consequenceOf(finding: ConductFindingKind): ConductConsequence {
  // R32: a confirmed complaint about attitude costs the month's post allowance
  if (finding === 'attitude') return 'allowance';
  // R33: taking or demanding favours, or making things hard for the customer: dismissal (recommended)
  if (finding === 'favours' || finding === 'obstruction') return 'dismissal';
  return 'none';
}

/** Whether the finding confirms the complaint (it counts in the branch's KPIs, R32/R33). */
export const isConfirmed = (finding: ConductFindingKind): boolean => finding !== 'not_confirmed';
