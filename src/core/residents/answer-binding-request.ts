/**
 * A resident already bound to a heating account answers another one's request to bind it
 * (bind-resident.ts asked them): yes binds the asker, who then hears the account and its address;
 * no tells the asker so and counts as a wrong try of theirs and of the account. Only a resident
 * bound to that account may answer, only once (whoever of them answers first), and only within
 * BIND_REQUEST_HOURS; after that the asker has to ask again.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { BindRequest } from '../ports/resident-store.js';
import { requestsLapsedBefore, residentLimit } from './bind-limits.js';
import { answerAsker, type Asker } from './bind-messages.js';

export interface BindAnswerInput {
  attemptId: number;
  residentId: number;
  allow: boolean;
  /** how the one answering shows on Telegram: the account's other residents hear who allowed it */
  answerer: Asker;
}

/** Refuses with already_answered, or bind_request_expired (lapsed, unknown, or not theirs to answer). */
export async function answerBindingRequest(core: Core, input: BindAnswerInput): Promise<{ allowed: boolean; request: BindRequest }> {
  const at = core.clock.now();
  const r = await core.stores.residents.answerBindRequest({
    attemptId: input.attemptId,
    answererId: input.residentId,
    allow: input.allow,
    at,
    expiredBefore: requestsLapsedBefore(at),
    requesterLimit: residentLimit(at),
    owes: (request, allowed, others) => answerAsker(request, allowed, input.answerer, others),
  });
  if (r.status === 'answered') throw new AppError('already_answered', `bind request ${input.attemptId} was answered`, { attemptId: input.attemptId });
  if (r.status === 'expired') throw new AppError('bind_request_expired', `bind request ${input.attemptId} is not waiting for resident ${input.residentId}`);
  return { allowed: r.status === 'allowed', request: r.request };
}
