/** A ticket with its timeline, service form and callbacks, as every reader needs it. */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';

export async function getTicket(core: Core, number: string) {
  const t = await core.db.ticket.findUnique({
    where: { number },
    include: {
      events: { orderBy: [{ at: 'asc' }, { id: 'asc' }] },
      form: true,
      callbacks: { orderBy: { id: 'asc' } },
      photos: true,
    },
  });
  if (!t) throw new AppError('ticket_not_found', `no ticket ${number}`, { number });
  return t;
}

export type TicketWithTimeline = Awaited<ReturnType<typeof getTicket>>;
