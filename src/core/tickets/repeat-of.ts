/**
 * R30: a complaint of the same customer and category within kpi.repeatWithin (30 days) of an
 * earlier one repeats it: the result of the first did not hold. The new ticket points at the
 * FIRST complaint of the chain (Ticket.repeatOfId), so that a third call links to the first, not
 * to the second. The customer is their heating account, else the resident in the bot, else the
 * phone number given in the same community (a number alone in another community is another
 * household as far as the records can tell).
 */
import type { Core } from '../context.js';
import type { Category, TicketKind } from '../domain.js';

export interface RepeatSubject {
  kind: TicketKind;
  category: Category;
  customerId: number | null;
  residentId: number | null;
  contactPhone: string | null;
  communityId: string | null;
}

export async function findRepeatOf(core: Core, t: RepeatSubject, now: Date): Promise<{ id: number; number: string } | null> {
  if (t.kind !== 'complaint') return null;
  if (t.customerId === null && t.residentId === null && !(t.contactPhone && t.communityId)) return null;
  return core.stores.kpis.repeatOf({
    category: t.category,
    since: new Date(now.getTime() - core.org.config.kpi.repeatWithinMinutes * 60_000),
    customerId: t.customerId,
    residentId: t.customerId === null ? t.residentId : null,
    phone: t.customerId === null && t.residentId === null ? t.contactPhone : null,
    communityId: t.communityId,
  });
}
