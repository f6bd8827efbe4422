/**
 * Links a resident by the phone number they shared from their own Telegram profile (one tap,
 * easiest for elderly residents). The platform vouches for the number only when the contact is
 * the sender's own, which the transport checks. One customer with that phone: bound, also when
 * others are bound to the account already (the account's own phone is the confirmation a second
 * binding needs), and those others are told. Several: the resident must say which account
 * (ambiguous). None: a wrong try of the resident, as in bind-resident (nobody can guess with
 * a number Telegram vouches for, so it counts against no account).
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { assertNotLocked, tryBinding, type BindResult } from './bind-resident.js';
import { MAX_BIND_FAILURES, residentLimit } from './bind-limits.js';
import { tellHolders, type Asker } from './bind-messages.js';

export type ContactBindResult = Extract<BindResult, { status: 'bound' }> | { status: 'ambiguous'; count: number };

/** +86 138-0000-0000 → 13800000000 */
export function normalizePhone(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}

export async function bindByContact(core: Core, input: { residentId: number; phone: string; asker: Asker }): Promise<ContactBindResult> {
  const resident = await assertNotLocked(core, input.residentId);
  const phone = normalizePhone(input.phone);
  const customers = phone ? await core.stores.customers.byPhone(phone, 5) : [];
  if (customers.length === 0) {
    const now = core.clock.now();
    const { max, lockUntil } = residentLimit(now);
    const counted = await core.stores.residents.countBindFailure(resident.id, { at: now, limit: max, lockUntil });
    if (!counted) throw new AppError('not_found', `no resident ${resident.id}`);
    if (counted.lockedUntil) throw new AppError('bind_rate_limited', `resident ${resident.id} is locked out of binding`, { until: counted.lockedUntil });
    throw new AppError('bind_failed', 'no customer has this phone', { remaining: MAX_BIND_FAILURES - counted.failures });
  }
  if (customers.length > 1) return { status: 'ambiguous', count: customers.length };
  const customer = customers[0];
  const r = await tryBinding(core, resident, {
    account: customer.account,
    proof: 'phone',
    customer,
    owes: (attemptId, holders) => tellHolders(attemptId, customer.account, input.asker, 'phone', holders),
  });
  if (r.status !== 'bound') throw new Error(`a binding by phone cannot be ${r.status}`);
  return { status: 'bound', resident: r.resident, customer };
}
