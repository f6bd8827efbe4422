/**
 * The tickets a resident may follow: those they reported through the bot, and those taken for
 * their bound heating account by phone, letter or visit (no resident on them). Never another
 * resident's report, even for the same account.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { OPEN_STATUSES } from '../tickets/status-machine.js';
import type { Resident, Ticket } from '../../db/generated/sqlite/client.js';

export function ownTicketsWhere(resident: Pick<Resident, 'id' | 'customerId'>) {
  return {
    OR: [{ residentId: resident.id }, ...(resident.customerId ? [{ customerId: resident.customerId, residentId: null }] : [])],
  };
}

export async function listOwnTickets(core: Core, residentId: number, opts: { open?: boolean; limit?: number } = {}): Promise<Ticket[]> {
  const resident = await core.db.resident.findUnique({ where: { id: residentId } });
  if (!resident) throw new AppError('not_found', `no resident ${residentId}`, { residentId });
  return core.db.ticket.findMany({
    where: { AND: [ownTicketsWhere(resident), opts.open ? { status: { in: [...OPEN_STATUSES] } } : {}] },
    orderBy: { id: 'desc' },
    take: Math.min(opts.limit ?? 50, 200),
  });
}
