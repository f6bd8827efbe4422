/**
 * The answer to a resident's suggestion (R19; R17 when the branch that took it answers), owed by
 * core/suggestions/answer-suggestion.ts ("your suggestion S… has an answer from HQ: …"), worded at delivery from the
 * stored answer, in the resident's language, under their own message, with the service card
 * (R22). Plain text: Telegram shows the staff member's words as written.
 */
import type { Core } from '../../core/context.js';
import { reportMessageId } from '../../core/tickets/create-ticket.js';
import { asLocale } from '../../i18n/index.js';
import { tt } from './context.js';
import { branchName } from './render.js';
import { serviceCardLine } from './service-card.js';

export interface SuggestionAnswerPayload {
  ticketId: number;
  eventId?: number;
}

export async function renderSuggestionAnswer(
  core: Core,
  p: SuggestionAnswerPayload,
): Promise<{ text: string; replyTo?: number; reply_markup?: undefined } | null> {
  const view = await core.stores.views.ticketView({ id: p.ticketId });
  if (!view) return null;
  const event = p.eventId ? view.events.find((e) => e.id === p.eventId) : view.events.findLast((e) => e.type === 'resolved');
  const answer = event?.note?.trim();
  if (!answer) return null;
  const resident = view.ticket.residentId !== null ? await core.stores.residents.byId(view.ticket.residentId) : null;
  const locale = asLocale(resident?.locale);
  const staffId = event!.actor.startsWith('staff:') ? event!.actor.slice(6) : undefined;
  const byBranch = staffId ? (core.org.staff.get(staffId)?.branchId ?? null) : null;
  const head = byBranch
    ? tt(locale, 'suggestions.answer_branch', { number: view.ticket.number, branch: branchName(core.org, byBranch, locale), answer })
    : tt(locale, 'suggestions.answer_hq', { number: view.ticket.number, answer });
  const replyTo = reportMessageId(view.events.find((e) => e.type === 'created')?.data ?? null);
  return { text: `${head}\n\n${serviceCardLine(core.org, locale)}`, ...(replyTo ? { replyTo } : {}) };
}
