/**
 * The dispatch card (R8a, R8b): what a branch reads and acts on. Rendered from the ticket's state
 * at delivery time, so an update always shows the truth; each step is also one thread line
 * (who, the minute: R8g). Residents' phones are masked; handlers can ask for the full number.
 */
import { formatMinute } from '../../../core/local-time.js';
import { deadlineState } from '../../../core/deadlines/deadline-rows.js';
import type { CityRequest, Deadline, Ticket, TicketEvent, TicketPhoto } from '../../../core/model.js';
import { allowedActions } from '../../../core/tickets/status-machine.js';
import { actions, button, context, esc, fields, header, option, section, staticSelect, type Block, type CardValue } from './blocks.js';
import { branchName, common, communityName, eventActorName, firstResponderName, staffName, tr, unitName, type RenderCtx } from './names.js';
import { maskPhone } from './phone.js';
import { materialsLine } from './prices.js';
import { reopenReasonBlocks, reopenReasonText } from './reopen-reason.js';
import { repeatLine } from './repeat-line.js';
import { countsText, cutRaw, residentCounts } from './thread.js';
import { QUOTE_EVENTS, quoteEventText } from './quote-lines.js';
import { conductControls, conductEventText, conductFact } from './conduct.js';
import { cityRequestBlocks } from './city-request.js';

/**
 * A ticket with its timeline (oldest first) and, where it was read with them, its deadlines,
 * photos and what a city platform sent with it, as cards and answers show it.
 */
export type CardTicket = Ticket & { events: TicketEvent[]; deadlines?: Deadline[]; photos?: TicketPhoto[]; cityRequest?: CityRequest | null };

/** The longest description on a card, in characters of the raw text; the full text goes into the thread. */
export const DESCRIPTION_MAX = 600;

export const ACTION = {
  accept: 'ticket.accept',
  route: 'ticket.route',
  arrive: 'ticket.arrive',
  resolve: 'ticket.resolve',
  transfer: 'ticket.transfer',
  phone: 'ticket.phone',
  dispatch: 'ticket.dispatch',
  reply: 'ticket.reply',
  escalationAck: 'escalation.ack',
  callbackRecord: 'callback.record',
  handoverAccept: 'handover.accept',
  /** the staff tools' menu (an overflow): each option's value names one of the three tools below */
  tools: 'ticket.tools',
  linkIncident: 'ticket.link_incident',
  duplicate: 'ticket.duplicate',
  cancel: 'ticket.cancel',
  /** R16: price secondary-network or in-building pipe work (handlers/quotes.ts) */
  quote: 'ticket.quote',
} as const;

/** Event types shown in the history and the thread; anything else is bookkeeping. */
const SHOWN = new Set([
  'created',
  'dispatched',
  'accepted',
  'routed',
  'arrived',
  'resolved',
  'callback_requested',
  'closed',
  'reopened',
  'transferred',
  'cancelled',
  'duplicate',
  'escalated',
  'overdue',
  'escalation_acked',
  'linked',
  'conduct_named',
  ...QUOTE_EVENTS,
]);

export const isShownEvent = (e: Pick<TicketEvent, 'type'>) => SHOWN.has(e.type);

/** "1 h 5 min" */
export function duration(ctx: RenderCtx, ms: number): string {
  const min = Math.max(0, Math.round(ms / 60_000));
  if (min < 60) return tr(ctx, 'duration.minutes', { m: min });
  if (min < 24 * 60) return min % 60 ? tr(ctx, 'duration.hours', { h: Math.floor(min / 60), m: min % 60 }) : tr(ctx, 'duration.whole_hours', { h: min / 60 });
  const h = Math.floor((min % 1440) / 60);
  return h ? tr(ctx, 'duration.days', { d: Math.floor(min / 1440), h }) : tr(ctx, 'duration.whole_days', { d: Math.floor(min / 1440) });
}

/** The deadline the ticket is working against now, by status (R7, R27). */
export function currentDeadline(t: Ticket): { name: 'ack' | 'arrive' | 'resolve'; at: Date } | null {
  const status = t.status;
  if ((status === 'received' || status === 'dispatched') && t.ackDueAt) return { name: 'ack', at: t.ackDueAt };
  if ((status === 'received' || status === 'dispatched' || status === 'accepted') && t.arriveDueAt && !t.arrivedAt)
    return { name: 'arrive', at: t.arriveDueAt };
  if (['received', 'dispatched', 'accepted', 'on_site'].includes(status) && t.resolveDueAt) return { name: 'resolve', at: t.resolveDueAt };
  return null;
}

/** "arrive by 2026-11-28 15:00 (60 min left)" or "... (10 min overdue)". */
export function deadlineText(ctx: RenderCtx, name: string, at: Date): string {
  const left = at.getTime() - ctx.now.getTime();
  const rest = left >= 0 ? tr(ctx, 'deadline.left', { d: duration(ctx, left) }) : tr(ctx, 'deadline.overdue', { d: duration(ctx, -left) });
  return tr(ctx, 'deadline.line', { name: tr(ctx, `deadline.${name}`), at: formatMinute(at), rest });
}

/**
 * What became of the running deadlines already done: "Accept by: met at 14:05" or "... met late,
 * at 14:20" (R7), judged from their rows as the sweep and the KPIs judge them. One still open is
 * the line above, with the time left or overdue.
 */
export function deadlineOutcomes(ctx: RenderCtx, deadlines: readonly Deadline[]): string[] {
  const out: string[] = [];
  for (const d of deadlines) {
    if (d.supersededAt || !d.metAt) continue;
    const state = deadlineState(d, ctx.now);
    if (state === 'met' || state === 'met_late') {
      const icon = state === 'met' ? ':white_check_mark:' : ':warning:';
      out.push(`${icon} ${tr(ctx, `deadline.${state}`, { name: tr(ctx, `deadline.${d.name}`), at: formatMinute(d.metAt) })}`);
    }
  }
  return out;
}

function eventData(e: TicketEvent): Record<string, any> {
  try {
    return e.data ? (JSON.parse(e.data) as Record<string, any>) : {};
  } catch {
    return {};
  }
}

/** One step in words: "Zhou Jing accepted", "Wu Juan routed it to the billing office". */
export function eventText(ctx: RenderCtx, e: TicketEvent): string {
  const d = eventData(e);
  const vars = {
    who: eventActorName(ctx, e.actor, typeof d.onBehalfOf === 'string' ? d.onBehalfOf : undefined),
    branch: branchName(ctx, d.branchId),
    unit: unitName(ctx, d.unitId),
    reason: esc(d.reason ?? e.note ?? ''),
    result: esc(d.result ?? e.note ?? ''),
    note: esc(e.note ?? ''),
    satisfaction: d.satisfaction ? common(ctx, `satisfaction.${d.satisfaction}`) : '',
    alert: d.alert ? tr(ctx, `alert.level.${d.alert}`) : '',
    source: d.source ? common(ctx, `source.${d.source}`) : '',
  };
  const text =
    conductEventText(ctx, e, vars.who) ?? toolEventText(ctx, e.type, d, vars) ?? quoteEventText(ctx, e, d, vars.who) ?? tr(ctx, `event.${e.type}`, vars);
  return e.type === 'reopened' ? `${text}\n${reopenReasonText(ctx, e)}` : text;
}

/** The staff tools' steps with their reason and the ticket they point at (slack.tools.event.*). */
function toolEventText(ctx: RenderCtx, type: string, d: Record<string, any>, vars: { who: string; note: string; result: string }): string | undefined {
  if (type === 'duplicate' && d.duplicateOf) return tr(ctx, 'tools.event.duplicate', { ...vars, original: esc(String(d.duplicateOf)) });
  if (type === 'resolved' && d.original) return tr(ctx, 'tools.event.followed', { ...vars, original: esc(String(d.original)) });
  // the intake and a declaration link without a reason; a person linking gives one
  if (type === 'linked')
    return tr(ctx, vars.note ? 'tools.event.linked' : 'tools.event.linked_auto', { ...vars, incident: esc(String(d.number ?? d.incidentId ?? '')) });
  return undefined;
}

/** A history or thread line: "2026-11-28 14:02 · Zhou Jing accepted". */
export function eventLine(ctx: RenderCtx, e: TicketEvent): string {
  return `${formatMinute(e.at)} · ${eventText(ctx, e)}`;
}

/** Where the ticket is now, in one line (stale clicks and /ticket answer with it). */
export function currentState(ctx: RenderCtx, t: CardTicket): string {
  const last = [...t.events].reverse().find(isShownEvent);
  const status = common(ctx, `status.${t.status}`);
  return last ? tr(ctx, 'card.state_with_last', { number: t.number, status, last: eventLine(ctx, last) }) : tr(ctx, 'card.state', { number: t.number, status });
}

/** The facts of a ticket, shared by the card, triage, alerts and /ticket. */
export function ticketFacts(ctx: RenderCtx, t: Ticket): string[] {
  const place = [communityName(ctx, t.communityId), [t.building, t.unit, t.room].filter(Boolean).join('-')].filter(Boolean).join(' ');
  const who = [esc(t.contactName), maskPhone(t.contactPhone)].filter(Boolean).join(' ');
  const handler = [branchName(ctx, t.branchId), unitName(ctx, t.unitId), staffName(ctx, t.assigneeId)].filter(Boolean).join(' · ');
  const severity = common(ctx, `severity.${t.severity}`);
  const materials = materialsLine(ctx, t);
  return [
    `*${tr(ctx, 'card.kind')}*\n${common(ctx, `kind.${t.kind}`)} / ${common(ctx, `category.${t.category}`)}${materials ? `\n${materials}` : ''}`,
    `*${tr(ctx, 'card.severity')}*\n${t.severity === 'normal' ? severity : `:rotating_light: ${severity}`}`,
    `*${tr(ctx, 'card.community')}*\n${esc(place) || tr(ctx, 'card.unknown')}`,
    `*${tr(ctx, 'card.address')}*\n${esc(t.address) || tr(ctx, 'card.unknown')}`,
    `*${tr(ctx, 'card.contact')}*\n${who || tr(ctx, 'card.unknown')}`,
    `*${tr(ctx, 'card.first_responder')}*\n${firstResponderName(ctx, t.firstResponder)}`,
    `*${tr(ctx, 'card.status')}*\n${common(ctx, `status.${t.status}`)}`,
    `*${tr(ctx, 'card.handler')}*\n${handler || tr(ctx, 'card.unassigned')}`,
    ...[conductFact(ctx, t)].filter((f): f is string => f !== null),
  ];
}

export interface CardOptions {
  /** show the buttons (the dispatch channel); false for /ticket and a card left behind by a transfer */
  actions?: boolean;
  /** how many history lines to show (the thread has them all) */
  historyLines?: number;
  /** the card stays in a channel the ticket has left (transferred to another branch) */
  movedTo?: string | null;
}

export function ticketCard(ctx: RenderCtx, t: CardTicket, o: CardOptions = {}): { text: string; blocks: Block[] } {
  const title = tr(ctx, 'card.title', { number: t.number, kind: common(ctx, `kind.${t.kind}`), category: common(ctx, `category.${t.category}`) });
  const blocks: Block[] = [
    header(title),
    fields(ticketFacts(ctx, t)),
    // cut on the raw words, before escaping: a cut after it could split an &amp; in two
    section(`*${tr(ctx, 'card.description')}*\n>${esc(cutRaw(ctx, t.description, DESCRIPTION_MAX).text).replace(/\n/g, '\n>')}`),
    ...cityRequestBlocks(ctx, t, t.cityRequest),
  ];
  const counts = countsText(ctx, residentCounts(t.events, t.photos));
  if (counts) blocks.push(context([counts]));
  const repeat = repeatLine(ctx, t);
  if (repeat) blocks.push(context([repeat]));
  blocks.push(...reopenReasonBlocks(ctx, t));
  const deadline = currentDeadline(t);
  const deadlines: string[] = [];
  if (deadline) deadlines.push(deadlineText(ctx, deadline.name, deadline.at));
  if (deadline && deadline.name !== 'resolve' && t.resolveDueAt) deadlines.push(deadlineText(ctx, 'resolve', t.resolveDueAt));
  if (deadlines.length) blocks.push(section(`:alarm_clock: ${deadlines.join('\n')}`));
  const outcomes = deadlineOutcomes(ctx, t.deadlines ?? []);
  if (outcomes.length) blocks.push(context([outcomes.join('\n')]));
  const history = t.events.filter(isShownEvent);
  const n = o.historyLines ?? 12;
  const lines = history.slice(-n).map((e) => eventLine(ctx, e));
  if (history.length > n) lines.unshift(tr(ctx, 'card.more_history', { n: history.length - n }));
  if (lines.length) blocks.push(context([`*${tr(ctx, 'card.history')}*\n${lines.join('\n')}`]));
  if (o.movedTo) blocks.push(section(`:arrow_right: ${tr(ctx, 'card.moved', { branch: o.movedTo })}`));
  else if (o.actions !== false) {
    const controls = cardControls(ctx, t);
    if (controls.length) blocks.push(actions(`card:${t.number}`, controls));
  }
  return { text: `${title} · ${common(ctx, `status.${t.status}`)}`, blocks };
}

/** The buttons for the steps the status machine allows now (R8 closed loop). */
function cardControls(ctx: RenderCtx, t: CardTicket): Block[] {
  // a conduct complaint is the centre's (R31-R33): its own controls in the supervision channel
  if (!t.branchId) return conductControls(ctx, t, t.events, ACTION);
  const allowed = allowedActions(t.status);
  const v: CardValue = { n: t.number, s: t.status };
  const out: Block[] = [];
  if (allowed.includes('accept')) out.push(button(tr(ctx, 'button.accept'), ACTION.accept, v, 'primary'));
  if (allowed.includes('arrive') && !t.arrivedAt) out.push(button(tr(ctx, 'button.arrive'), ACTION.arrive, v, t.status === 'accepted' ? 'primary' : undefined));
  if (allowed.includes('resolve')) out.push(button(tr(ctx, 'button.resolve'), ACTION.resolve, v, t.status === 'on_site' ? 'primary' : undefined));
  if (allowed.includes('route')) {
    const branch = ctx.org.branches.get(t.branchId);
    const options = (branch?.units ?? [])
      .filter((u) => u.id !== t.unitId)
      .map((u) => option(`${common(ctx, `unit_kind.${u.kind}`)} · ${unitName(ctx, u.id)}`, JSON.stringify({ ...v, u: u.id })));
    if (options.length) out.push(staticSelect(tr(ctx, 'button.route'), ACTION.route, options));
  }
  if (allowed.includes('transfer')) out.push(button(tr(ctx, 'button.transfer'), ACTION.transfer, v));
  if (t.contactPhone && allowed.length) out.push(button(tr(ctx, 'button.phone'), ACTION.phone, { n: t.number }));
  if (quotable(t)) out.push(button(tr(ctx, 'quote.button'), ACTION.quote, v));
  const tools = toolsMenu(ctx, t, allowed);
  if (tools) out.push(tools);
  // the resident can be written to while the ticket is open and they came through Telegram
  if (t.residentId !== null && !['closed', 'cancelled', 'duplicate'].includes(t.status))
    out.push(button(tr(ctx, 'thread.reply_button'), ACTION.reply, { n: t.number }));
  return out;
}

/** Statuses in which a report can still join an incident: nobody has finished it on its own. */
const LINKABLE = new Set(['received', 'dispatched', 'accepted', 'on_site']);

/** More…: link to an incident, mark as a duplicate, cancel, as the status machine allows (each asks the reason). */
function toolsMenu(ctx: RenderCtx, t: Ticket, allowed: readonly string[]): Block | null {
  const options: ReturnType<typeof option>[] = [];
  const add = (key: string, actionId: string) => options.push(option(tr(ctx, `tools.${key}`), JSON.stringify({ n: t.number, s: t.status, a: actionId })));
  if (LINKABLE.has(t.status) && t.incidentId === null) add('link_incident', ACTION.linkIncident);
  if (allowed.includes('mark_duplicate')) add('duplicate', ACTION.duplicate);
  if (allowed.includes('cancel')) add('cancel', ACTION.cancel);
  return options.length ? { type: 'overflow', action_id: ACTION.tools, options } : null;
}

/**
 * R16: an open complaint of the secondary network (in-building pipes, trenches, risers) can be
 * quoted at settlement prices once someone has taken it (the price follows a look at the fault);
 * the primary network is the company's and is not charged.
 */
function quotable(t: Ticket): boolean {
  return t.kind === 'complaint' && t.scope === 'secondary' && ['accepted', 'on_site', 'resolved'].includes(t.status);
}
