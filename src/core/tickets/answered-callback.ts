/**
 * R28, R29: a satisfaction is the customer's answer to a callback, never a field anyone may fill
 * in. A close that carries one (the API's `close` with `satisfaction`) is refused unless the
 * ticket's latest callback was answered with that very answer: callback_not_answered (409), so
 * that "satisfied" cannot be recorded while the callback is still pending and nobody called.
 * The answer itself closes the ticket through record-callback.ts, with the callback claimed in
 * the same transaction; that path does not come through here.
 */
import type { Core } from '../context.js';
import type { Satisfaction } from '../domain.js';
import { AppError } from '../errors.js';
import type { Ticket } from '../model.js';

export async function assertAnsweredCallback(core: Core, t: Ticket, satisfaction: Satisfaction): Promise<void> {
  const view = await core.stores.views.ticketView({ id: t.id });
  const latest = view?.callbacks.at(-1);
  if (latest?.status === 'answered' && latest.result === satisfaction) return;
  throw new AppError('callback_not_answered', `ticket ${t.number}: no answered callback says ${satisfaction}`, {
    number: t.number,
    satisfaction,
    callback: latest ? { id: latest.id, status: latest.status, result: latest.result } : null,
  });
}
