/**
 * Links a resident to a heating account (供热户) they prove by the last four digits of the
 * phone number on file. A wrong pair and an unknown account get the same refusal, so the bot
 * cannot be used to find out which accounts exist; after MAX_BIND_FAILURES wrong tries the
 * resident is locked out for BIND_LOCK_MINUTES (counted on the Resident row, so the limit holds
 * across restarts and instances).
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Customer, Resident } from '../model.js';

export const MAX_BIND_FAILURES = 5;
export const BIND_LOCK_MINUTES = 15;

export interface BindInput {
  residentId: number;
  account: string;
  phoneLast4: string;
}

export interface BindResult {
  resident: Resident;
  customer: Customer;
}

const noResident = (residentId: number) => new AppError('not_found', `no resident ${residentId}`, { residentId });

/** Refuses with bind_rate_limited while the resident is locked out. */
export async function assertNotLocked(core: Core, residentId: number): Promise<Resident> {
  const resident = await core.stores.residents.byId(residentId);
  if (!resident) throw noResident(residentId);
  const now = core.clock.now();
  if (resident.bindLockedUntil && resident.bindLockedUntil > now) {
    throw new AppError('bind_rate_limited', `resident ${residentId} is locked out of binding`, { until: resident.bindLockedUntil });
  }
  return resident;
}

/** Counts a wrong try (atomically) and locks the resident out at the limit; then refuses. */
export async function failBind(core: Core, resident: Resident): Promise<never> {
  const now = core.clock.now();
  const until = new Date(now.getTime() + BIND_LOCK_MINUTES * 60_000);
  const counted = await core.stores.residents.countBindFailure(resident.id, { at: now, limit: MAX_BIND_FAILURES, lockUntil: until });
  if (!counted) throw noResident(resident.id);
  if (counted.lockedUntil) {
    throw new AppError('bind_rate_limited', `resident ${resident.id} is locked out of binding`, { until: counted.lockedUntil });
  }
  throw new AppError('bind_failed', 'account and phone do not match', { remaining: MAX_BIND_FAILURES - counted.failures });
}

/** Stores the link and clears the failure count. */
export async function completeBind(core: Core, residentId: number, customer: Customer): Promise<BindResult> {
  const resident = await core.stores.residents.bind(residentId, customer, core.clock.now());
  if (!resident) throw noResident(residentId);
  return { resident, customer };
}

export async function bindResident(core: Core, input: BindInput): Promise<BindResult> {
  const resident = await assertNotLocked(core, input.residentId);
  const account = input.account.trim();
  const last4 = input.phoneLast4.trim();
  const customer = /^\d{4}$/.test(last4) && account ? await core.stores.customers.byAccount(account) : null;
  if (!customer?.phone.replace(/\D/g, '').endsWith(last4)) return failBind(core, resident);
  return completeBind(core, resident.id, customer);
}
