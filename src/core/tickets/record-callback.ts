/**
 * The answer to a callback (R8h, R28): by the resident's tap in the bot, or by a centre agent
 * after a phone call. Satisfied or fairly satisfied closes the ticket; not satisfied reopens it
 * (R30, counted against the branch); not reached counts an attempt, and after the configured
 * number of attempts the callback is recorded as unreachable and the ticket closed.
 * A second answer to the same callback is refused (already_answered): a double tap counts once.
 */
import { AppError } from '../errors.js';
import { SATISFACTION, type Satisfaction } from '../domain.js';
import type { Core, Tx } from '../context.js';
import { transitionTicket } from './transition-ticket.js';
import type { Callback, Prisma, Ticket } from '../../db/generated/sqlite/client.js';

export interface CallbackAnswer {
  callbackId: number;
  /** staff:<id> for a phone callback, resident:<id> for the bot */
  actor: string;
  reached: boolean;
  satisfaction?: Satisfaction;
  comment?: string;
}

export interface CallbackOutcome {
  callback: Callback;
  ticket: Ticket;
  outcome: 'closed' | 'reopened' | 'attempt_recorded' | 'unreachable';
}

export async function recordCallback(core: Core, a: CallbackAnswer): Promise<CallbackOutcome> {
  const now = core.clock.now();
  if (a.reached && (!a.satisfaction || !SATISFACTION.includes(a.satisfaction))) {
    throw new AppError('validation_failed', `satisfaction: must be one of ${SATISFACTION.join(', ')}`, { field: 'satisfaction' });
  }
  if (a.comment && a.comment.length > 1000) throw new AppError('validation_failed', 'comment: longer than 1000 characters', { field: 'comment' });
  const cb = await core.db.callback.findUnique({ where: { id: a.callbackId }, include: { ticket: true } });
  if (!cb) throw new AppError('not_found', `no callback ${a.callbackId}`, { callbackId: a.callbackId });
  if (a.actor.startsWith('resident:') && cb.ticket.residentId !== Number(a.actor.slice(9))) {
    throw new AppError('not_your_ticket', 'this callback belongs to another resident', { callbackId: cb.id });
  }
  if (cb.status !== 'pending') throw new AppError('already_answered', `callback ${cb.id} was already answered`, { callbackId: cb.id });
  // The answer and the step it causes are one transaction: the pending callback is claimed inside
  // the step's (only one answer wins; a loser stores nothing), so a step that fails leaves the
  // callback pending rather than answered beside a ticket that did not move.
  const agentId = a.actor.startsWith('staff:') ? a.actor.slice(6) : null;
  const claim = (where: Prisma.CallbackWhereInput, data: Prisma.CallbackUpdateManyMutationInput) => async (tx: Tx) => {
    const res = await tx.callback.updateMany({ where: { id: cb.id, status: 'pending', ...where }, data });
    if (res.count !== 1) throw new AppError('already_answered', `callback ${cb.id} was already answered`, { callbackId: cb.id });
  };
  if (!a.reached) {
    const max = core.org.config.escalation.callbackMaxAttempts;
    const unreachable = cb.attempts + 1 >= max;
    const attempt = claim(
      { attempts: cb.attempts },
      { attempts: { increment: 1 }, agentId, comment: a.comment, channel: 'phone', ...(unreachable ? { status: 'unreachable', answeredAt: now } : {}) },
    );
    let ticket = cb.ticket;
    if (unreachable) {
      ({ ticket } = await transitionTicket(core, { number: cb.ticket.number, action: 'close', actor: a.actor, note: 'callback_unreachable', alsoInTransaction: attempt }));
    } else {
      await attempt(core.db);
    }
    const callback = (await core.db.callback.findUnique({ where: { id: cb.id } }))!;
    return { callback, ticket, outcome: unreachable ? 'unreachable' : 'attempt_recorded' };
  }
  const answer = claim({}, { status: 'answered', result: a.satisfaction, comment: a.comment?.trim() || null, answeredAt: now, agentId, attempts: { increment: 1 } });
  const dissatisfied = a.satisfaction === 'dissatisfied';
  const { ticket } = await transitionTicket(core, {
    number: cb.ticket.number,
    action: dissatisfied ? 'reopen' : 'close',
    actor: a.actor,
    note: a.comment?.trim() || undefined,
    satisfaction: a.satisfaction,
    alsoInTransaction: async (tx) => {
      await answer(tx);
      await tx.scheduledAlert.deleteMany({ where: { key: { startsWith: `callback:${cb.id}:` }, firedAt: null } });
    },
  });
  const callback = (await core.db.callback.findUnique({ where: { id: cb.id } }))!;
  return { callback, ticket, outcome: dissatisfied ? 'reopened' : 'closed' };
}
