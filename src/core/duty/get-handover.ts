/** A handover as it was signed: its text, the urgent tickets it named (as they are now) and the log it covered. */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { DutyLogEntry, Handover, Ticket } from '../../db/generated/sqlite/client.js';

export interface HandoverRecord {
  handover: Handover;
  openUrgent: Ticket[];
  entries: DutyLogEntry[];
}

export async function getHandover(core: Core, handoverId: number): Promise<HandoverRecord> {
  const handover = await core.db.handover.findUnique({ where: { id: handoverId } });
  if (!handover) throw new AppError('not_found', `no handover ${handoverId}`, { handoverId });
  const numbers = JSON.parse(handover.openUrgent ?? '[]') as string[];
  const previous = await core.db.handover.findFirst({
    where: { branchId: handover.branchId, id: { not: handover.id }, outgoingSignedAt: { lt: handover.outgoingSignedAt } },
    orderBy: [{ outgoingSignedAt: 'desc' }, { id: 'desc' }],
  });
  const [openUrgent, entries] = await Promise.all([
    numbers.length ? core.db.ticket.findMany({ where: { number: { in: numbers } }, orderBy: { id: 'asc' } }) : Promise.resolve([]),
    core.db.dutyLogEntry.findMany({
      where: { branchId: handover.branchId, at: { lte: handover.outgoingSignedAt, ...(previous ? { gt: previous.outgoingSignedAt } : {}) } },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
      take: 200,
    }),
  ]);
  return { handover, openUrgent, entries };
}
