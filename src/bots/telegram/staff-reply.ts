/**
 * A staff member's words to a resident (core/tickets/reply-to-resident.ts), as the resident reads
 * them in Telegram: who wrote, on which ticket, then the words as written. Who is named with the
 * badge number (R6), so a resident can check them at the door. Sent as plain text: nothing staff
 * write is taken as markup.
 */
import type { Core } from '../../core/context.js';
import { reportMessageId } from '../../core/tickets/create-ticket.js';
import { asLocale } from '../../i18n/index.js';
import { tt } from './context.js';
import { staffWithBadge } from './render.js';

export interface StaffReplyMessage {
  text: string;
  /** the resident's own report, when the filing kept its message id */
  replyTo?: number;
  /** never any: the resident answers by writing, and their words join the ticket */
  reply_markup?: undefined;
}

/** null: nothing to send (the event or the ticket is gone). */
export async function renderStaffReply(core: Core, p: { ticketId: number; eventId?: number }): Promise<StaffReplyMessage | null> {
  const [view, event] = await Promise.all([core.stores.views.ticketView({ id: p.ticketId }), p.eventId ? core.stores.views.eventById(p.eventId) : null]);
  if (!view || !event || event.type !== 'staff_reply' || !event.note) return null;
  const { ticket } = view;
  const resident = ticket.residentId !== null ? await core.stores.residents.byId(ticket.residentId) : null;
  const locale = asLocale(resident?.locale);
  const staffId = event.actor.startsWith('staff:') ? event.actor.slice(6) : null;
  const who = staffWithBadge(core.org, staffId, locale) ?? tt(locale, 'staffreply.someone');
  const text = `${tt(locale, 'staffreply.heading', { number: ticket.number, who })}\n${event.note}`;
  const created = view.events.find((e) => e.type === 'created');
  const replyTo = reportMessageId(created?.data ?? null);
  return { text, ...(replyTo ? { replyTo } : {}) };
}
