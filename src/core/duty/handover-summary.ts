/**
 * What a shift hands over (R4): the open urgent and major tickets of the outgoing person's place
 * (their branch; the centre watches every branch) and the duty log written since the last handover.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { OPEN_STATUSES } from '../tickets/status-machine.js';
import type { DutyLogEntry, Handover, Ticket } from '../../db/generated/sqlite/client.js';

export interface HandoverSummary {
  branchId: string | null;
  /** the last handover of this place, if any: the log is read from its signature on */
  previous: Handover | null;
  openUrgent: Ticket[];
  entries: DutyLogEntry[];
}

export async function handoverSummary(core: Core, staffId: string): Promise<HandoverSummary> {
  const staff = core.org.staff.get(staffId);
  if (!staff) throw new AppError('unknown_staff', `no staff ${staffId}`, { staff: staffId });
  const branchId = staff.branchId;
  const previous = await core.db.handover.findFirst({ where: { branchId }, orderBy: [{ outgoingSignedAt: 'desc' }, { id: 'desc' }] });
  const [openUrgent, entries] = await Promise.all([
    core.db.ticket.findMany({
      where: { severity: { in: ['urgent', 'major'] }, status: { in: [...OPEN_STATUSES] }, ...(branchId ? { branchId } : {}) },
      orderBy: { id: 'asc' },
      take: 50,
    }),
    core.db.dutyLogEntry.findMany({
      where: { branchId, ...(previous ? { at: { gt: previous.outgoingSignedAt } } : {}) },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
      take: 200,
    }),
  ]);
  return { branchId, previous, openUrgent, entries };
}
