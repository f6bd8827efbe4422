/**
 * A branch's own rules under the company's (九): the basic labour fee (R12), the office hours that
 * office-calendar limits run on, and the escalation delays. Each is the branch's value where the
 * organisation file gives one, else the company's; load-org.ts has already refused a branch value
 * that is looser than the company's (branch-limits.ts), so a caller may take the answer as is.
 */
import type { EscalationPolicy, OfficeHours, OrgConfig } from './types.js';

const branchOf = (config: OrgConfig, branchId: string | null | undefined) => (branchId ? config.branches.find((b) => b.id === branchId) : undefined);

/** R12: what customer-supplied-materials work may charge, in cents, for a ticket of this branch (null: the centre). */
export function labourFeeCentsOf(config: OrgConfig, branchId: string | null | undefined): number {
  return branchOf(config, branchId)?.basicLabourFeeCents ?? config.company.basicLabourFeeCents;
}

/** The office hours a branch's office-calendar limits run on (holidays and 调休 days stay the company's). */
export function officeHoursOf(config: OrgConfig, branchId: string | null | undefined): OfficeHours {
  return branchOf(config, branchId)?.officeHours ?? config.officeHours;
}

/** The escalation policy for a ticket of this branch: the company's with the branch's delays over it. */
export function escalationOf(config: OrgConfig, branchId: string | null | undefined): EscalationPolicy {
  const own = branchOf(config, branchId)?.escalation;
  return own ? { ...config.escalation, ...own } : config.escalation;
}
