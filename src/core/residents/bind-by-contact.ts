/**
 * Links a resident by the phone number they shared from their own Telegram profile (one tap,
 * easiest for elderly residents). The platform vouches for the number only when the contact is
 * the sender's own, which the transport checks. One customer with that phone: bound. Several:
 * the resident must say which account (ambiguous). None: a wrong try, as in bind-resident.
 */
import type { Core } from '../context.js';
import { assertNotLocked, completeBind, failBind, type BindResult } from './bind-resident.js';

export type ContactBindResult = ({ status: 'bound' } & BindResult) | { status: 'ambiguous'; count: number };

/** +86 138-0000-0000 → 13800000000 */
export function normalizePhone(raw: string): string {
  const digits = raw.replace(/\D/g, '');
  return digits.length === 13 && digits.startsWith('86') ? digits.slice(2) : digits;
}

export async function bindByContact(core: Core, input: { residentId: number; phone: string }): Promise<ContactBindResult> {
  const resident = await assertNotLocked(core, input.residentId);
  const phone = normalizePhone(input.phone);
  const customers = phone ? await core.stores.customers.byPhone(phone, 5) : [];
  if (customers.length === 0) return failBind(core, resident);
  if (customers.length > 1) return { status: 'ambiguous', count: customers.length };
  return { status: 'bound', ...(await completeBind(core, resident.id, customers[0])) };
}
