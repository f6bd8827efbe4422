/**
 * What a resident who complained about a member of staff hears (R31-R33): that the complaint
 * was received and that the centre investigates it, then that it was handled. Never the finding,
 * the evidence or the name of the staff member: those stay with the centre and the leaders. The
 * words are in locales/<lang>/telegram.conduct.json.
 */
import { isConductComplaint } from '../../core/conduct/conduct-route.js';
import type { Ticket } from '../../core/model.js';
import type { Org } from '../../core/org/org.js';
import type { Locale } from '../../i18n/index.js';
import { tt } from './context.js';
import { serviceCardLine } from './service-card.js';

/** A conduct complaint the centre holds: the bot says this file's words instead of the usual ones. */
export const isCentreConduct = (t: Pick<Ticket, 'kind' | 'category' | 'branchId'>) => isConductComplaint(t) && t.branchId === null;

/** The line that replaces "handled by <branch>" in the filed reply. */
export function conductFiledLine(locale: Locale): string {
  return tt(locale, 'conduct.filed');
}

/**
 * A step of the complaint as the resident is told it; null for a step that says nothing to them
 * (the centre taking it on: they were told it was received).
 */
export function conductUpdate(org: Org, type: string, vars: { number: string; time: string }, locale: Locale): string | null {
  switch (type) {
    case 'resolved':
      return [tt(locale, 'conduct.resolved', vars), serviceCardLine(org, locale)].join('\n');
    case 'closed':
      return [tt(locale, 'conduct.closed', vars), serviceCardLine(org, locale)].join('\n');
    case 'reopened':
      return tt(locale, 'conduct.reopened', vars);
    case 'cancelled':
      return tt(locale, 'conduct.cancelled', vars);
    default:
      return null;
  }
}

/** The /status timeline's line for the reply: handled, without the finding. */
export function conductTimelineResolved(locale: Locale, time: string): string {
  return tt(locale, 'conduct.timeline_resolved', { time });
}
