/**
 * A resident shares their own phone number (one tap on Telegram's contact button, offered with
 * the address question and in the menu). A customer registered with that number: the resident
 * is bound to it (bind-by-contact). None: the number is still worth having, so it is kept on the
 * resident and on their tickets waiting in the centre's triage queue, for the centre to call
 * back; that is not a wrong bind try (nobody guessed anything).
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { bindByContact, normalizePhone, type ContactBindResult } from './bind-by-contact.js';
import type { Asker } from './bind-messages.js';

export type SharedPhoneResult = ContactBindResult | { status: 'noted'; phone: string; tickets: number };

export async function shareResidentPhone(core: Core, input: { residentId: number; phone: string; asker: Asker }): Promise<SharedPhoneResult> {
  const phone = normalizePhone(input.phone);
  if (!/^\d{5,15}$/.test(phone)) throw new AppError('validation_failed', 'phone: 5 to 15 digits', { field: 'phone' });
  if ((await core.stores.customers.byPhone(phone, 1)).length > 0) return bindByContact(core, input);
  const kept = await core.stores.residents.setPhone(input.residentId, phone, core.clock.now());
  if (!kept) throw new AppError('not_found', `no resident ${input.residentId}`, { residentId: input.residentId });
  return { status: 'noted', phone, tickets: kept.tickets };
}
