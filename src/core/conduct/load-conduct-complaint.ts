/** The checks every conduct step starts with: the ticket exists, is a conduct complaint the centre holds, and the actor may act on it. */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { TicketForStep } from '../ports/ticket-store.js';
import { assertCanAct, staffOfActor } from '../staff/can-act.js';
import { loadForStep } from '../tickets/transition-ticket.js';
import { isConductComplaint } from './conduct-route.js';

export async function loadConductComplaint(core: Core, number: string, actor: string): Promise<TicketForStep> {
  const loaded = await loadForStep(core, number);
  const t = loaded.ticket;
  if (!isConductComplaint(t) || t.branchId !== null) {
    throw new AppError('not_conduct_complaint', `ticket ${t.number} is not a conduct complaint held by the centre`, { number: t.number });
  }
  assertCanAct(core.org, staffOfActor(core.org, actor), t, 'conduct_finding');
  return loaded;
}

/** The staff member named, checked against the organisation file as it is now (someone who left is refused). */
export function knownStaff(core: Core, staffId: string | null | undefined): string {
  const id = staffId?.trim();
  if (!id) throw new AppError('conduct_staff_required', 'name the staff member the complaint is about', { field: 'staff' });
  if (!core.org.staff.has(id)) throw new AppError('unknown_staff', `staff ${id} is not in the organisation`, { staff: id, field: 'staff' });
  return id;
}
