/**
 * "Warm now" after a heating repair: the resident is asked for the rating (R8h, R28). The
 * question is owed through the outbox rather than sent by the tap's own reply, so a refusal by
 * Telegram or a restart at that moment does not leave the callback waiting for the bot's
 * time-out; its key makes a second tap owe nothing more.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';

export async function askRating(core: Core, input: { callbackId: number; residentId: number; chatId: string }): Promise<{ number: string }> {
  const callback = await core.stores.views.callbackById(input.callbackId);
  const ticket = callback ? await core.stores.views.ticketById(callback.ticketId) : null;
  if (!callback || !ticket || ticket.residentId !== input.residentId)
    throw new AppError('not_your_ticket', `callback ${input.callbackId} is not this resident's`);
  if (callback.status !== 'pending') throw new AppError('already_answered', `callback ${callback.id} was answered`);
  const payload = { ticketId: ticket.id, callbackId: callback.id };
  await core.stores.outbox.owe(
    [{ key: `cbq:${callback.id}`, platform: 'telegram', target: input.chatId, kind: 'callback_question', payload }],
    core.clock.now(),
  );
  return { number: ticket.number };
}
