/** A ticket with its timeline, service form and callbacks, as every reader needs it. */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Ticket } from '../model.js';
import type { TicketView } from '../ports/read-models.js';

export type TicketWithTimeline = Ticket & Omit<TicketView, 'ticket'>;

export async function getTicket(core: Core, number: string): Promise<TicketWithTimeline> {
  const view = await core.stores.views.ticketView({ number });
  if (!view) throw new AppError('ticket_not_found', `no ticket ${number}`, { number });
  const { ticket, ...timeline } = view;
  return { ...ticket, ...timeline };
}
