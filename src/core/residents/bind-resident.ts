/**
 * Links a resident to a heating account (供热户) they prove by the last four digits of the
 * phone number on file. A wrong pair and an unknown account get the same refusal, so the bot
 * cannot be used to find out which accounts exist. Wrong tries are limited per resident (a lock
 * on the Resident row), per account and overall (BindAttempt rows: bind-limits.ts), so neither
 * one person nor several taking turns can work through the 10,000 endings of one account.
 *
 * Four digits are a weak proof, so they do not let a second person into an account somebody has
 * already bound: that one is asked (Allow / Refuse) and the newcomer waits, seeing nothing of
 * the account until the answer is yes (answer-binding-request.ts); sharing the account's own
 * phone number proves more and needs nobody's yes (bind-by-contact.ts).
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Customer, Resident } from '../model.js';
import type { BindTry } from '../ports/resident-store.js';
import { bindLimits, MAX_BIND_FAILURES, requestsLapsedBefore } from './bind-limits.js';
import { askHolders, type Asker } from './bind-messages.js';

export { BIND_LOCK_MINUTES, MAX_BIND_FAILURES } from './bind-limits.js';

export interface BindInput {
  residentId: number;
  account: string;
  phoneLast4: string;
  /** how the resident shows on Telegram: the account's residents are asked about them by this name */
  asker: Asker;
}

/** Bound (the address may be shown), or waiting for a resident already bound to the account. */
export type BindResult = { status: 'bound'; resident: Resident; customer: Customer } | { status: 'waiting'; account: string };

const noResident = (residentId: number) => new AppError('not_found', `no resident ${residentId}`, { residentId });
const limited = (residentId: number, until: Date) => new AppError('bind_rate_limited', `resident ${residentId} may not try binding now`, { until });

/** Refuses with bind_rate_limited while the resident is locked out. */
export async function assertNotLocked(core: Core, residentId: number): Promise<Resident> {
  const resident = await core.stores.residents.byId(residentId);
  if (!resident) throw noResident(residentId);
  if (resident.bindLockedUntil && resident.bindLockedUntil > core.clock.now()) throw limited(residentId, resident.bindLockedUntil);
  return resident;
}

/** Tries the binding through the store's limits and turns a refusal into its AppError. */
export async function tryBinding(core: Core, resident: Resident, t: Omit<BindTry, 'residentId' | 'telegramUserId' | 'limits' | 'requestsSince' | 'at'>) {
  const at = core.clock.now();
  const r = await core.stores.residents.tryBind({
    ...t,
    residentId: resident.id,
    telegramUserId: resident.telegramUserId,
    at,
    limits: bindLimits(at),
    requestsSince: requestsLapsedBefore(at),
  });
  if (r.status === 'limited') throw limited(resident.id, r.until);
  if (r.status === 'failed') {
    if (r.lockedUntil) throw limited(resident.id, r.lockedUntil);
    throw new AppError('bind_failed', 'account and phone do not match', { remaining: MAX_BIND_FAILURES - r.failures });
  }
  return r;
}

export async function bindResident(core: Core, input: BindInput): Promise<BindResult> {
  const resident = await assertNotLocked(core, input.residentId);
  const account = input.account.trim();
  const last4 = input.phoneLast4.trim();
  const customer = /^\d{4}$/.test(last4) && account ? await core.stores.customers.byAccount(account) : null;
  const proved = customer?.phone.replace(/\D/g, '').endsWith(last4) ? customer : null;
  const r = await tryBinding(core, resident, {
    account,
    proof: 'digits',
    customer: proved,
    owes: (attemptId, holders) => askHolders(attemptId, account, input.asker, holders),
  });
  if (r.status === 'waiting' || !proved) return { status: 'waiting', account };
  return { status: 'bound', resident: r.resident, customer: proved };
}
