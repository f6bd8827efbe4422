/**
 * The answer to a callback (R8h, R28): by the resident's tap in the bot, or by a centre agent
 * after a phone call. Satisfied or fairly satisfied closes the ticket; not satisfied reopens it
 * (R30, counted against the branch); not reached counts an attempt, and after the configured
 * number of attempts the callback is recorded as unreachable and the ticket closed.
 * An attempt counts only when made at least escalation.callbackRetrySpacing (2 h by default) after
 * the last counted one; a sooner one is refused (callback_retry_too_soon, with when the next one
 * may count), so three calls in a minute cannot mark an unhappy customer unreachable and drop
 * them from R28 (docs/kpi.md).
 * A second answer to the same callback is refused (already_answered): a double tap counts once.
 * A resident is told no more than a button of theirs would show: an id that names no callback and
 * someone else's callback are refused alike (not_your_ticket, with nothing about the callback), so
 * the buttons cannot be used to learn which callback ids exist.
 */
import { AppError } from '../errors.js';
import { isRowId } from '../ids.js';
import { SATISFACTION, type Satisfaction } from '../domain.js';
import type { Core } from '../context.js';
import type { Callback, Ticket } from '../model.js';
import type { CallbackClaim } from '../ports/ticket-store.js';
import { callbackAlertKeys } from './start-callback.js';
import { stepOn } from './transition-ticket.js';
import type { ClientActor } from './event-actor.js';

export interface CallbackAnswer {
  callbackId: number;
  /** staff:<id> for a phone callback, resident:<id> for the bot */
  actor: string;
  /** the API client that recorded it for the staff member in actor (see event-actor.ts) */
  via?: ClientActor;
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
  const resident = a.actor.startsWith('resident:') ? Number(a.actor.slice(9)) : null;
  const found = isRowId(a.callbackId) ? await core.stores.tickets.callbackForStep(a.callbackId) : null;
  if (resident !== null && found?.ticket.ticket.residentId !== resident) {
    throw new AppError('not_your_ticket', 'no callback of this resident by that id', { callbackId: a.callbackId });
  }
  if (!found) throw new AppError('not_found', `no callback ${a.callbackId}`, { callbackId: a.callbackId });
  const { callback: cb, ticket: loaded } = found;
  const t = loaded.ticket;
  if (cb.status !== 'pending') throw new AppError('already_answered', `callback ${cb.id} was already answered`, { callbackId: cb.id });
  // The answer and the step it causes are one transaction: the pending callback is claimed inside
  // the step's (only one answer wins; a loser stores nothing), so a step that fails leaves the
  // callback pending rather than answered beside a ticket that did not move.
  const agentId = a.actor.startsWith('staff:') ? a.actor.slice(6) : null;
  const settled = Object.values(callbackAlertKeys(cb.id));
  if (!a.reached) {
    const nextAt = nextAttemptAt(core, cb);
    if (nextAt && now < nextAt) {
      throw new AppError('callback_retry_too_soon', `callback ${cb.id}: the next attempt counts from ${nextAt.toISOString()}`, {
        callbackId: cb.id,
        nextAt: nextAt.toISOString(),
        attempts: cb.attempts,
      });
    }
    const unreachable = cb.attempts + 1 >= core.org.config.escalation.callbackMaxAttempts;
    const claim: CallbackClaim = {
      id: cb.id,
      attempts: cb.attempts,
      change: { agentId, comment: a.comment, channel: 'phone', lastAttemptAt: now, ...(unreachable ? { status: 'unreachable', answeredAt: now } : {}) },
    };
    if (!unreachable) return { callback: await core.stores.tickets.claimCallback(claim), ticket: t, outcome: 'attempt_recorded' };
    const out = await stepOn(
      core,
      loaded,
      { number: t.number, action: 'close', actor: a.actor, via: a.via, note: 'callback_unreachable' },
      { claim, cancelAlertKeys: settled },
    );
    return { callback: out.callback!, ticket: out.ticket, outcome: 'unreachable' };
  }
  const dissatisfied = a.satisfaction === 'dissatisfied';
  const claim: CallbackClaim = {
    id: cb.id,
    change: { status: 'answered', result: a.satisfaction, comment: a.comment?.trim() || null, answeredAt: now, agentId },
  };
  const out = await stepOn(
    core,
    loaded,
    {
      number: t.number,
      action: dissatisfied ? 'reopen' : 'close',
      actor: a.actor,
      via: a.via,
      note: a.comment?.trim() || undefined,
      satisfaction: a.satisfaction,
    },
    { claim, cancelAlertKeys: settled },
  );
  return { callback: out.callback!, ticket: out.ticket, outcome: dissatisfied ? 'reopened' : 'closed' };
}

/** When the next "not reached" attempt of a callback may count: null when it may now (none counted yet). */
export function nextAttemptAt(core: Pick<Core, 'org'>, cb: Pick<Callback, 'lastAttemptAt'>): Date | null {
  if (!cb.lastAttemptAt) return null;
  return new Date(cb.lastAttemptAt.getTime() + core.org.config.escalation.callbackRetrySpacingMinutes * 60_000);
}
