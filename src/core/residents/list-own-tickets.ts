/**
 * The tickets a resident may follow: those they reported through the bot, and those taken for
 * their bound heating account by phone, letter or visit (no resident on them). Never another
 * resident's report, even for the same account.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Resident, Ticket } from '../model.js';
import { OPEN_STATUSES } from '../tickets/status-machine.js';

/**
 * `who`: the resident's id, or the resident as the caller read it in this request (the bot reads
 * them with every update): their linked account decides which phone tickets are theirs.
 */
export async function listOwnTickets(
  core: Core,
  who: number | Pick<Resident, 'id' | 'customerId'>,
  opts: { open?: boolean; limit?: number } = {},
): Promise<Ticket[]> {
  const resident = typeof who === 'number' ? await core.stores.residents.byId(who) : who;
  if (!resident) throw new AppError('not_found', `no resident ${who}`, { residentId: who });
  return core.stores.residents.ownTickets(resident, { statuses: opts.open ? OPEN_STATUSES : undefined, limit: Math.min(opts.limit ?? 50, 200) });
}
