/**
 * A resident pressing for their open ticket ("怎么还没人来", "催一下", "什么时候到"): 催办, the
 * centre's duty to urge (R2), recorded as an `urged` event by the resident with their words. It
 * mentions the assignee, else the branch's on-duty staff, in the card's thread, at most once per
 * ticket every ten minutes together with the resident's notes (resident-paging.ts); later ones
 * are stored quiet but still reach the thread. Returns the ticket as it stands (with its
 * timeline and deadlines) so the bot can say where it is, who is coming and by when.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { TicketWithTimeline } from '../tickets/get-ticket.js';
import { residentLine } from '../tickets/resident-paging.js';
import { pagingDuty } from '../duty/on-duty-now.js';
import { OPEN_STATUSES } from '../tickets/status-machine.js';
import { FOLLOW_UP_MAX_CHARS } from './add-follow-up.js';
import { getOwnTicket } from './get-own-ticket.js';

export interface Urged {
  ticket: TicketWithTimeline;
  eventId: number;
  /** staff were mentioned now; false: they were less than ten minutes ago */
  paged: boolean;
}

export async function urgeTicket(core: Core, input: { residentId: number; number: string; text: string }): Promise<Urged> {
  const text = input.text.trim().slice(0, FOLLOW_UP_MAX_CHARS);
  const ticket = await getOwnTicket(core, input.residentId, input.number);
  if (!OPEN_STATUSES.includes(ticket.status))
    throw new AppError('ticket_closed', `ticket ${ticket.number} is ${ticket.status}`, { number: ticket.number, status: ticket.status });
  const now = core.clock.now();
  const { paged, ...line } = residentLine(
    core.org,
    ticket,
    { type: 'urged', residentId: input.residentId, text: text || null },
    now,
    await pagingDuty(core, ticket, now),
  );
  const eventId = await core.stores.intake.addNote({ ticketId: ticket.id, ...line });
  return { ticket, eventId, paged };
}
