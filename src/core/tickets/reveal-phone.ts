/**
 * Residents' phone numbers are masked wherever staff read together (channels); the ticket's
 * handlers (its branch, the centre) may ask for the full number. Anyone else is refused. Each
 * number shown leaves a `phone_revealed` event on the ticket (who, when), stored before the number
 * is handed back: if it cannot be recorded, the number is not shown.
 */
import type { Core } from '../context.js';
import type { AuditEventType } from '../model.js';
import { assertCanAct } from '../staff/can-act.js';
import { loadTicket } from './transition-ticket.js';

export const PHONE_REVEALED: AuditEventType = 'phone_revealed';

export interface RevealedContact {
  number: string;
  contactName: string | null;
  contactPhone: string | null;
}

export async function revealPhone(core: Core, input: { number: string; staffId: string }): Promise<RevealedContact> {
  const t = await loadTicket(core, input.number);
  assertCanAct(core.org, core.org.staff.get(input.staffId), t, 'step');
  if (t.contactPhone) {
    // the timeline's one-event write (as a note): nothing is owed to anyone for it
    await core.stores.intake.addNote({
      ticketId: t.id,
      event: { at: core.clock.now(), type: PHONE_REVEALED, actor: `staff:${input.staffId}`, fromStatus: null, toStatus: null, note: null, data: null },
      owes: () => [],
    });
  }
  return { number: t.number, contactName: t.contactName, contactPhone: t.contactPhone };
}
