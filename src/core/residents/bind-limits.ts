/**
 * How many wrong tries linking a heating account may make, and how long a second resident waits
 * for an answer. Guessing the last four digits of an account's phone has 10,000 possibilities, so
 * the limits count wrong tries three ways: per resident (a lock on the Resident row, as before),
 * per account whoever makes them (several Telegram users taking turns on one account), and
 * overall (one run across many accounts).
 */
import { HOUR, MINUTE } from '../clock.js';
import type { BindTry } from '../ports/resident-store.js';

/** A resident's wrong tries in a row before they are locked out ... */
export const MAX_BIND_FAILURES = 5;
/** ... for this long. */
export const BIND_LOCK_MINUTES = 15;
/** Wrong tries on one account, by anyone, in the last hour before that account takes no more guesses. */
export const ACCOUNT_WRONG_TRIES_PER_HOUR = 5;
/** Wrong tries on all accounts together in the last minute before nobody can guess for a while. */
export const WRONG_TRIES_PER_MINUTE = 30;
/** How long a resident already bound may answer another one's request before it lapses. */
export const BIND_REQUEST_HOURS = 24;

/** The windows and the resident's lock for a try made `now`. */
export function bindLimits(now: Date): BindTry['limits'] {
  return {
    perAccount: { max: ACCOUNT_WRONG_TRIES_PER_HOUR, ms: HOUR },
    overall: { max: WRONG_TRIES_PER_MINUTE, ms: MINUTE },
    resident: residentLimit(now),
  };
}

/** The resident's own lock: a wrong try at `now` that reaches the limit locks them until BIND_LOCK_MINUTES later. */
export function residentLimit(now: Date): { max: number; lockUntil: Date } {
  return { max: MAX_BIND_FAILURES, lockUntil: new Date(now.getTime() + BIND_LOCK_MINUTES * MINUTE) };
}

/** Requests made at or before this instant have lapsed. */
export function requestsLapsedBefore(now: Date): Date {
  return new Date(now.getTime() - BIND_REQUEST_HOURS * HOUR);
}
