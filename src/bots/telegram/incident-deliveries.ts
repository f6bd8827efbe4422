/**
 * What residents read about an incident (a failed station, a burst primary pipe): the state of the
 * repair (which communities, the cause, when heat is expected back), the answer to a report that
 * was linked to it, and the notices the outbox owes every resident of the affected communities.
 * Everything is worded when it is said, from the incident as it stands then: a notice owed at
 * declaration and sent after the expected time moved says the new time, and a notice of a repair
 * that is over by the time it would go out is not sent (the heat-back notice says it instead).
 */
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Core } from '../../core/context.js';
import type { Incident, Ticket } from '../../core/model.js';
import type { Org } from '../../core/org/org.js';
import { asLocale, type Locale } from '../../i18n/index.js';
import { Buttons, cb } from './callback-data.js';
import { tt } from './context.js';
import { when } from './render.js';

/** At most this many community names in a line; more become "X, Y, Z and 12 communities in all". */
const NAMED_COMMUNITIES = 3;

/** The payload of an incident_notice row (core/incidents). */
export interface IncidentNoticePayload {
  incidentId: number;
  phase: 'declared' | 'updated' | 'restored';
  residentId: number;
  ticketId?: number;
  locale?: string;
}

/** The payload of an incident_reply row: the answer to a linked report, when the bot's own was refused. */
export interface IncidentReplyPayload {
  incidentId: number;
  ticketId: number;
  replyTo?: number;
  locale?: string;
}

export interface RenderedIncidentMessage {
  text: string;
  reply_markup?: InlineKeyboardMarkup;
  replyTo?: number;
}

/** The affected communities by name (a community since removed from the organisation file by its id). */
function communitiesText(org: Org, ids: readonly string[], locale: Locale): string {
  const names = ids.map((id) => org.communities.get(id)?.name ?? id);
  const sep = tt(locale, 'incident.separator');
  if (names.length <= NAMED_COMMUNITIES) return names.join(sep);
  return tt(locale, 'incident.communities_more', { names: names.slice(0, NAMED_COMMUNITIES).join(sep), count: names.length });
}

/** "The heat-exchange station serving X, Y". */
function whereText(org: Org, incident: Incident, locale: Locale): string {
  return tt(locale, 'incident.where', {
    communities: communitiesText(org, incident.communityIds, locale),
    scope: tt(locale, `incident.scope.${incident.scope}`),
  });
}

/** What is known: what failed and where, its cause, and when heat is expected back (local time) or that it is back. */
export function incidentStateLines(org: Org, incident: Incident, locale: Locale, now: Date): string[] {
  const where = whereText(org, incident, locale);
  if (incident.status === 'restored') return [tt(locale, 'incident.state.restored', { where })];
  const lines = [tt(locale, 'incident.state.open', { where })];
  if (incident.cause.trim()) lines.push(tt(locale, 'incident.state.cause', { cause: incident.cause.trim() }));
  lines.push(
    incident.expectedAt ? tt(locale, 'incident.state.expected', { time: when(incident.expectedAt, now) }) : tt(locale, 'incident.state.expected_unknown'),
  );
  return lines;
}

/** The hotlines, for what cannot wait for the repair. */
function hotlineLine(org: Org, locale: Locale): string {
  const c = org.config.company;
  return tt(locale, 'incident.reply.hotline', { hotline: c.hotline, emergencyHotline: c.emergencyHotline });
}

/**
 * The answer to a report linked to an incident ("the station is being repaired, heat expected back by 16:00"): the state of
 * the repair, the ticket's number (it still counts as a repair request), no need to report again,
 * and the hotlines.
 */
export function linkedReply(org: Org, incident: Incident, ticket: Pick<Ticket, 'number'>, locale: Locale, now: Date): string {
  const restored = incident.status === 'restored';
  return [
    ...incidentStateLines(org, incident, locale, now),
    '',
    tt(locale, restored ? 'incident.reply.restored' : 'incident.reply.linked', { number: ticket.number }),
    hotlineLine(org, locale),
  ].join('\n');
}

/**
 * The state of the repair for a resident who asks or presses, with their linked ticket's number
 * when they have one; without one, `hint` says how to report (not when a proposal follows).
 */
export function incidentStatusReply(org: Org, incident: Incident, ticket: Pick<Ticket, 'number'> | null, locale: Locale, now: Date, hint: boolean): string {
  if (ticket) return linkedReply(org, incident, ticket, locale, now);
  const lines = incidentStateLines(org, incident, locale, now);
  if (incident.status === 'open') lines.push('', tt(locale, hint ? 'incident.reply.no_ticket' : 'incident.reply.no_ticket_short'));
  return [...lines, hotlineLine(org, locale)].join('\n');
}

/** The buttons under the heat-back notice, "is your heating back?": [back] [still cold]. */
export function restoreCheckButtons(incidentId: number, locale: Locale): InlineKeyboardMarkup {
  return new Buttons()
    .button(tt(locale, 'incident.check.hot'), cb.restoreCheck(incidentId, true))
    .button(tt(locale, 'incident.check.cold'), cb.restoreCheck(incidentId, false));
}

/**
 * A notice to a resident of an affected community: declared, the expected time moved, heat back
 * (with the buttons). null: a notice of a repair that is over before it went out.
 */
export async function renderIncidentNotice(core: Core, p: IncidentNoticePayload): Promise<RenderedIncidentMessage | null> {
  const incident = await core.stores.incidents.byId(p.incidentId);
  if (!incident) return null;
  const locale = asLocale(p.locale);
  const now = core.clock.now();
  const ticket = p.ticketId ? await core.stores.views.ticketById(p.ticketId) : null;
  if (p.phase !== 'restored') {
    if (incident.status === 'restored') return null;
    const lines = [tt(locale, `incident.notice.${p.phase}`), ...incidentStateLines(core.org, incident, locale, now)];
    if (ticket && p.phase === 'declared') lines.push(tt(locale, 'incident.notice.ticket_linked', { number: ticket.number }));
    return { text: [...lines, '', hotlineLine(core.org, locale)].join('\n') };
  }
  const lines = [tt(locale, 'incident.notice.restored'), ...incidentStateLines(core.org, incident, locale, now)];
  if (ticket) lines.push(tt(locale, 'incident.notice.ticket_resolved', { number: ticket.number }));
  lines.push('', tt(locale, 'incident.notice.question'));
  return { text: lines.join('\n'), reply_markup: restoreCheckButtons(incident.id, locale) };
}

/** The answer to a linked report, owed in case the bot's own was refused (or the process stopped first). */
export async function renderIncidentReply(core: Core, p: IncidentReplyPayload): Promise<RenderedIncidentMessage | null> {
  const [incident, ticket] = await Promise.all([core.stores.incidents.byId(p.incidentId), core.stores.views.ticketById(p.ticketId)]);
  if (!incident || !ticket) return null;
  return { text: linkedReply(core.org, incident, ticket, asLocale(p.locale), core.clock.now()), replyTo: p.replyTo };
}

/** A ticket_filed row of a report that was linked: it says what the linked answer says. null when not linked. */
export async function renderLinkedFiled(core: Core, ticket: Ticket, locale: Locale, replyTo?: number): Promise<RenderedIncidentMessage | null> {
  if (!ticket.incidentId) return null;
  const incident = await core.stores.incidents.byId(ticket.incidentId);
  if (!incident) return null;
  return { text: linkedReply(core.org, incident, ticket, locale, core.clock.now()), replyTo };
}
