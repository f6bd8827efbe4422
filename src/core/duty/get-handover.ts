/** A handover as it was signed: its text, the urgent tickets it named (as they are now) and the log it covered. */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { DutyLogEntry, Handover, Ticket } from '../model.js';
import { HANDOVER_MAX_ENTRIES } from './handover-summary.js';

export interface HandoverRecord {
  handover: Handover;
  openUrgent: Ticket[];
  entries: DutyLogEntry[];
}

export async function getHandover(core: Core, handoverId: number): Promise<HandoverRecord> {
  const duty = core.stores.duty;
  const handover = await duty.handoverById(handoverId);
  if (!handover) throw new AppError('not_found', `no handover ${handoverId}`, { handoverId });
  const numbers = JSON.parse(handover.openUrgent ?? '[]') as string[];
  const previous = await duty.lastHandover(handover.branchId, handover.outgoingSignedAt);
  const [openUrgent, entries] = await Promise.all([
    duty.ticketsByNumber(numbers),
    duty.entries(handover.branchId, { after: previous?.outgoingSignedAt ?? null, until: handover.outgoingSignedAt }, HANDOVER_MAX_ENTRIES),
  ]);
  return { handover, openUrgent, entries };
}
