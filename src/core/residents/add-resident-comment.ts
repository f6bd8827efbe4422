/**
 * Words a resident adds to their own ticket after filing it (what is still wrong after a
 * "not satisfied" answer, a detail they forgot). Appended to the timeline as a note by the
 * resident, which owes the branch a line on its ticket card; the comment also lands on the
 * last unsatisfied callback that has none, so the callback report shows it (R28, R30). The
 * branch is paged for notes at most once per ticket every ten minutes (resident-paging.ts).
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { residentLine } from '../tickets/resident-paging.js';
import { pagingDuty } from '../duty/on-duty-now.js';
import { getOwnTicket } from './get-own-ticket.js';

export async function addResidentComment(core: Core, input: { residentId: number; number: string; text: string }): Promise<{ eventId: number }> {
  const text = input.text.trim();
  if (!text) throw new AppError('validation_failed', 'text: must not be empty', { field: 'text' });
  if (text.length > 1000) throw new AppError('validation_failed', 'text: longer than 1000 characters', { field: 'text' });
  const ticket = await getOwnTicket(core, input.residentId, input.number);
  const now = core.clock.now();
  const cb = [...ticket.callbacks].reverse().find((c) => c.result === 'dissatisfied');
  // only the branch hears of a note (planMessages owes the resident nothing for it)
  const { event, owes } = residentLine(core.org, ticket, { type: 'note', residentId: input.residentId, text }, now, await pagingDuty(core, ticket, now));
  const eventId = await core.stores.intake.addNote({
    ticketId: ticket.id,
    event,
    owes,
    callback: cb && !cb.comment ? { id: cb.id, comment: text } : undefined,
  });
  return { eventId };
}
