/**
 * What a shift hands over (R4): the open urgent and major tickets of the outgoing person's place
 * (their branch; the centre watches every branch) and the duty log written since the last handover.
 */
import type { Core } from '../context.js';
import type { Severity } from '../domain.js';
import { AppError } from '../errors.js';
import type { DutyLogEntry, Handover, Ticket } from '../model.js';
import { OPEN_STATUSES } from '../tickets/status-machine.js';

export interface HandoverSummary {
  branchId: string | null;
  /** the last handover of this place, if any: the log is read from its signature on */
  previous: Handover | null;
  openUrgent: Ticket[];
  entries: DutyLogEntry[];
}

/** The severities a handover names ticket by ticket. */
export const HANDOVER_SEVERITIES: readonly Severity[] = ['urgent', 'major'];
export const HANDOVER_MAX_TICKETS = 50;
export const HANDOVER_MAX_ENTRIES = 200;

export async function handoverSummary(core: Core, staffId: string): Promise<HandoverSummary> {
  const staff = core.org.staff.get(staffId);
  if (!staff) throw new AppError('unknown_staff', `no staff ${staffId}`, { staff: staffId });
  const branchId = staff.branchId;
  const duty = core.stores.duty;
  const previous = await duty.lastHandover(branchId);
  const [openUrgent, entries] = await Promise.all([
    duty.tickets({ branchId, severities: HANDOVER_SEVERITIES, statuses: OPEN_STATUSES }, HANDOVER_MAX_TICKETS),
    duty.entries(branchId, { after: previous?.outgoingSignedAt ?? null }, HANDOVER_MAX_ENTRIES),
  ]);
  return { branchId, previous, openUrgent, entries };
}
