/**
 * Who may do what to a ticket: staff of the ticket's branch act on it, the centre acts
 * everywhere (R2: it receives, dispatches, urges and calls back), leaders look on. Two steps are
 * narrower. Only the branch serves on site (R2), so only its own staff record the arrival: the
 * centre that phones the field team is not there. And the steps that take a ticket out of the
 * figures or move it to another time limit (cancel, mark a duplicate, reclassify) belong to the
 * centre and the branch's customer-service office (its coordinators), never to the field staff
 * whose timeliness they would change. Every transport (Slack, the API) asks here before a step
 * and refuses with the reason; core use cases that need it call assertCanAct.
 */
import { AppError } from '../errors.js';
import type { Org } from '../org/org.js';
import type { Staff } from '../org/types.js';

/**
 * step: accept, route, arrive, resolve, transfer, see the resident's full phone number;
 * dispatch: route a triage ticket by hand (the centre, R8a); callback: record a phone callback
 * (HQ calls back, R8h, never the branch that did the work); ack_urgent: take on an urgent alert
 * (the branch, R8j); ack_major: acknowledge a major event (leaders and the centre, R8k); see: read a ticket;
 * quote: price secondary-network or in-building pipe work (R16: the ticket's branch or the centre);
 * on_site: record the arrival on site (the branch's own staff, R2); amend: cancel, mark a
 * duplicate or reclassify (the centre, or the branch's coordinators, R2 and R29);
 * conduct_finding: name the staff member a conduct complaint is about and record the finding
 * (R31-R33: the centre and the company's leaders, never a branch, whose own staff it judges).
 */
export type StaffAct = 'step' | 'dispatch' | 'callback' | 'ack_urgent' | 'ack_major' | 'see' | 'quote' | 'on_site' | 'amend' | 'conduct_finding';

export type Refusal =
  | 'not_staff'
  | 'leaders_see_only'
  | 'leaders_only'
  | 'other_branch'
  | 'centre_only'
  | 'not_dispatched'
  | 'branch_on_site'
  | 'coordinators_only'
  | 'supervision_only';

export type Decision = { allowed: true } | { allowed: false; reason: Refusal };

interface TicketPlace {
  branchId: string | null;
}

const isCentre = (s: Staff) => s.branchId === null && (s.role === 'centre_agent' || s.role === 'admin');
const isLeader = (s: Staff) => s.role === 'leader';

export function canAct(org: Org, staff: Staff | undefined, ticket: TicketPlace, act: StaffAct): Decision {
  const no = (reason: Refusal): Decision => ({ allowed: false, reason });
  if (!staff || !org.staff.has(staff.id)) return no('not_staff');
  if (act === 'see') return { allowed: true };
  // the centre is not on site: the branch records its own visit (R2)
  if (act === 'on_site' && isCentre(staff)) return no('branch_on_site');
  if (act === 'conduct_finding') return isCentre(staff) || (isLeader(staff) && staff.branchId === null) ? { allowed: true } : no('supervision_only');
  if (isCentre(staff)) return { allowed: true };
  if (act === 'dispatch' || act === 'callback') return no('centre_only');
  if (act === 'ack_major') {
    // R8k alerts the leaders: the HQ leader for every branch, a branch head for their own
    if (!isLeader(staff)) return no('leaders_only');
    return staff.branchId === null || staff.branchId === ticket.branchId ? { allowed: true } : no('other_branch');
  }
  if (isLeader(staff)) return no('leaders_see_only');
  if (ticket.branchId === null) return no('not_dispatched');
  if (staff.branchId !== ticket.branchId) return no('other_branch');
  if (act === 'amend' && staff.role !== 'branch_coordinator') return no('coordinators_only');
  return { allowed: true };
}

/** canAct for use cases: refuses with `forbidden` and the reason in the context. */
export function assertCanAct(org: Org, staff: Staff | undefined, ticket: TicketPlace & { number?: string }, act: StaffAct): void {
  const d = canAct(org, staff, ticket, act);
  if (!d.allowed) {
    throw new AppError('forbidden', `${staff?.id ?? 'unknown'} may not ${act} ticket ${ticket.number ?? ''}: ${d.reason}`, { reason: d.reason, act });
  }
}

/** The staff member behind an actor string "staff:<id>". */
export function staffOfActor(org: Org, actor: string): Staff | undefined {
  return actor.startsWith('staff:') ? org.staff.get(actor.slice(6)) : undefined;
}
