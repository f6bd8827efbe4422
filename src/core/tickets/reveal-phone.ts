/**
 * Residents' phone numbers are masked wherever staff read together (channels); the ticket's
 * handlers (its branch, the centre) may ask for the full number. Anyone else is refused.
 */
import type { Core } from '../context.js';
import { assertCanAct } from '../staff/can-act.js';
import { loadTicket } from './transition-ticket.js';

export interface RevealedContact {
  number: string;
  contactName: string | null;
  contactPhone: string | null;
}

export async function revealPhone(core: Core, input: { number: string; staffId: string }): Promise<RevealedContact> {
  const t = await loadTicket(core, input.number);
  assertCanAct(core.org, core.org.staff.get(input.staffId), t, 'step');
  return { number: t.number, contactName: t.contactName, contactPhone: t.contactPhone };
}
