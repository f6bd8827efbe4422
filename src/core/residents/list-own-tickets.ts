/**
 * The tickets a resident may follow: those they reported through the bot, and those taken for
 * their bound heating account by phone, letter or visit (no resident on them). Never another
 * resident's report, even for the same account.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Ticket } from '../model.js';
import { OPEN_STATUSES } from '../tickets/status-machine.js';

export async function listOwnTickets(core: Core, residentId: number, opts: { open?: boolean; limit?: number } = {}): Promise<Ticket[]> {
  const resident = await core.stores.residents.byId(residentId);
  if (!resident) throw new AppError('not_found', `no resident ${residentId}`, { residentId });
  return core.stores.residents.ownTickets(resident, { statuses: opts.open ? OPEN_STATUSES : undefined, limit: Math.min(opts.limit ?? 50, 200) });
}
