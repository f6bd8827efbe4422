/**
 * Links a resident to a heating account (供热户) they prove by the last four digits of the
 * phone number on file. A wrong pair and an unknown account get the same refusal, so the bot
 * cannot be used to find out which accounts exist; after MAX_BIND_FAILURES wrong tries the
 * resident is locked out for BIND_LOCK_MINUTES (counted on the Resident row, so the limit holds
 * across restarts and instances).
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Customer, Resident } from '../../db/generated/sqlite/client.js';

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

/** Refuses with bind_rate_limited while the resident is locked out. */
export async function assertNotLocked(core: Core, residentId: number): Promise<Resident> {
  const resident = await core.db.resident.findUnique({ where: { id: residentId } });
  if (!resident) throw new AppError('not_found', `no resident ${residentId}`, { residentId });
  const now = core.clock.now();
  if (resident.bindLockedUntil && resident.bindLockedUntil > now) {
    throw new AppError('bind_rate_limited', `resident ${residentId} is locked out of binding`, { until: resident.bindLockedUntil });
  }
  return resident;
}

/** Counts a wrong try (atomically) and locks the resident out at the limit; then refuses. */
export async function failBind(core: Core, resident: Resident): Promise<never> {
  const now = core.clock.now();
  // A lock that has run out starts a fresh count.
  const expired = resident.bindLockedUntil !== null && resident.bindLockedUntil <= now;
  const updated = await core.db.resident.update({
    where: { id: resident.id },
    data: expired ? { bindFailures: 1, bindLockedUntil: null } : { bindFailures: { increment: 1 } },
  });
  if (updated.bindFailures >= MAX_BIND_FAILURES) {
    const until = new Date(now.getTime() + BIND_LOCK_MINUTES * 60_000);
    await core.db.resident.update({ where: { id: resident.id }, data: { bindFailures: 0, bindLockedUntil: until } });
    throw new AppError('bind_rate_limited', `resident ${resident.id} is locked out of binding`, { until });
  }
  throw new AppError('bind_failed', 'account and phone do not match', { remaining: MAX_BIND_FAILURES - updated.bindFailures });
}

/** Stores the link and clears the failure count. */
export async function completeBind(core: Core, residentId: number, customer: Customer): Promise<BindResult> {
  const resident = await core.db.resident.update({
    where: { id: residentId },
    data: { customerId: customer.id, communityId: customer.communityId, address: customer.address, bindFailures: 0, bindLockedUntil: null },
  });
  return { resident, customer };
}

export async function bindResident(core: Core, input: BindInput): Promise<BindResult> {
  const resident = await assertNotLocked(core, input.residentId);
  const account = input.account.trim();
  const last4 = input.phoneLast4.trim();
  const customer = /^\d{4}$/.test(last4) && account ? await core.db.customer.findUnique({ where: { account } }) : null;
  if (!customer || !customer.phone.replace(/\D/g, '').endsWith(last4)) return failBind(core, resident);
  return completeBind(core, resident.id, customer);
}
