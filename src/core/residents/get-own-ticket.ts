/** One of the resident's own tickets with its timeline; anyone else's is refused with not_your_ticket. */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { getTicket, type TicketWithTimeline } from '../tickets/get-ticket.js';
import type { Resident } from '../model.js';

export function isOwnTicket(resident: Pick<Resident, 'id' | 'customerId'>, t: { residentId: number | null; customerId: number | null }): boolean {
  if (t.residentId !== null) return t.residentId === resident.id;
  return resident.customerId !== null && t.customerId === resident.customerId;
}

export async function getOwnTicket(core: Core, residentId: number, number: string): Promise<TicketWithTimeline> {
  const resident = await core.stores.residents.byId(residentId);
  if (!resident) throw new AppError('not_found', `no resident ${residentId}`, { residentId });
  const ticket = await getTicket(core, number.trim().toUpperCase());
  if (!isOwnTicket(resident, ticket)) throw new AppError('not_your_ticket', `ticket ${number} is not the resident's`, { number });
  return ticket;
}
