/**
 * Messages beside the dispatch card: the urgent alert (R8j), the major alert for leaders (R8k),
 * the centre's triage message (R8a by hand), the phone callback task (R8h) and deadline warnings
 * (issue 5's staff_alert, rendered from whatever its payload gives, and its digest of many tickets).
 */
import { formatMinute } from '../../../core/local-time.js';
import { nextAttemptAt } from '../../../core/tickets/record-callback.js';
import type { Callback, Ticket, TicketEvent } from '../../../core/model.js';
import { dutyAt, rosterOnly } from '../../../core/duty/duty-at.js';
import type { Staff } from '../../../core/org/types.js';
import { has } from '../../../i18n/index.js';
import { actions, button, context, esc, fields, header, option, section, staticSelect, type Block } from './blocks.js';
import { actorName, branchName, common, communityName, mention, staffName, tr, type RenderCtx } from './names.js';
import { maskPhone } from './phone.js';
import { ACTION, deadlineText, eventLine, ticketFacts, type CardTicket } from './ticket-card.js';

export type Message = { text: string; blocks: Block[] };

/** A centre agent's pick of who goes, from the select shown when they take an urgent alert. */
export const ASSIGN_ACTION = 'escalation.assign';

function ackEvent(t: CardTicket, level: 'urgent' | 'major'): TicketEvent | undefined {
  return t.events.find((e) => e.type === 'escalation_acked' && (e.data ?? '').includes(`"${level}"`));
}

function ackAssignee(e: TicketEvent): string | undefined {
  try {
    const v = (JSON.parse(e.data ?? '{}') as { assigneeId?: unknown }).assigneeId;
    return typeof v === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The people an alert calls by name: the branch's coordinators and field staff on duty now
 * (urgent; `onDuty` as core/duty/on-duty-now.ts read it, else the roster alone), leaders (major).
 */
export function alertMentions(ctx: RenderCtx, t: Ticket, level: 'urgent' | 'major', onDuty?: readonly Staff[]): string[] {
  const { org } = ctx;
  const people =
    level === 'urgent'
      ? (onDuty ?? dutyAt(org, rosterOnly(ctx.now), { branchId: t.branchId })).filter((p) => p.role === 'branch_coordinator' || p.role === 'field_staff')
      : [...org.staffOf(null, 'leader'), ...(t.branchId ? org.staffOf(t.branchId, 'leader') : [])];
  return people.map((p) => mention(ctx, p.id)).filter(Boolean);
}

/** R8j / R8k: the alert, with the acknowledge button until someone takes it on. */
export function escalationAlert(ctx: RenderCtx, t: CardTicket, level: 'urgent' | 'major', onDuty?: readonly Staff[]): Message {
  const title = tr(ctx, `alert.${level}_title`, { number: t.number, category: common(ctx, `category.${t.category}`), branch: branchName(ctx, t.branchId) });
  const blocks: Block[] = [header(title), fields(ticketFacts(ctx, t)), section(`>${esc(t.description).replace(/\n/g, '\n>')}`)];
  const acked = ackEvent(t, level);
  if (acked) {
    blocks.push(section(`:white_check_mark: ${tr(ctx, 'alert.acked', { who: actorName(ctx, acked.actor), at: formatMinute(acked.at) })}`));
    // who went: the one who clicked, or the person a centre agent picked (the ticket's assignee now)
    const assignee = ackAssignee(acked);
    if (assignee)
      blocks.push(context([tr(ctx, assignee === acked.actor.slice(6) ? 'loop.took_ticket' : 'loop.assigned_to', { who: staffName(ctx, assignee) })]));
  } else {
    const who = alertMentions(ctx, t, level, onDuty);
    blocks.push(section(tr(ctx, `alert.${level}_call`, { people: who.join(' ') || tr(ctx, 'alert.nobody_on_duty') })));
    blocks.push(actions(`alert:${t.number}:${level}`, [button(tr(ctx, 'button.escalation_ack'), ACTION.escalationAck, { n: t.number, a: level }, 'danger')]));
  }
  // the fallback text carries the mentions (that is what notifies people) until someone has taken it on
  return { text: acked ? title : `${title} ${alertMentions(ctx, t, level, onDuty).join(' ')}`.trim(), blocks };
}

/** A ticket whose address matched no area: an agent picks the branch (R8a by hand). */
export function triageMessage(ctx: RenderCtx, t: CardTicket): Message {
  const title = tr(ctx, 'triage.title', { number: t.number });
  const blocks: Block[] = [header(title), fields(ticketFacts(ctx, t)), section(`>${esc(t.description).replace(/\n/g, '\n>')}`)];
  if (t.status === 'received' && !t.branchId) {
    const options = [...ctx.org.branches.values()].map((b) => option(branchName(ctx, b.id), JSON.stringify({ n: t.number, s: 'received', b: b.id })));
    const controls: Block[] = [staticSelect(tr(ctx, 'triage.pick_branch'), ACTION.dispatch, options)];
    if (t.contactPhone) controls.push(button(tr(ctx, 'button.phone'), ACTION.phone, { n: t.number }));
    blocks.push(actions(`triage:${t.number}`, controls));
  } else {
    const dispatched = [...t.events].reverse().find((e) => e.type === 'dispatched');
    blocks.push(
      section(
        `:white_check_mark: ${tr(ctx, 'triage.done', {
          branch: branchName(ctx, t.branchId),
          who: actorName(ctx, dispatched?.actor),
          at: dispatched ? formatMinute(dispatched.at) : '',
          status: common(ctx, `status.${t.status}`),
        })}`,
      ),
    );
  }
  return { text: title, blocks };
}

/** R8h by phone: the centre calls the customer back and records what they said. */
export function callbackTask(ctx: RenderCtx, t: CardTicket, cb: Callback): Message {
  const title = tr(ctx, 'callback.title', { number: t.number });
  const resolved = [...t.events].reverse().find((e) => e.type === 'resolved');
  const blocks: Block[] = [header(title), fields(ticketFacts(ctx, t))];
  if (resolved) blocks.push(section(`*${tr(ctx, 'callback.result')}*\n${eventLine(ctx, resolved)}`));
  if (cb.status === 'pending') {
    if (cb.attempts > 0) {
      const attempts = tr(ctx, 'callback.attempts', { n: cb.attempts, max: ctx.org.config.escalation.callbackMaxAttempts });
      // R28: a "not reached" counts only when spaced (record-callback.ts)
      const next = nextAttemptAt(ctx, cb);
      blocks.push(context([next ? `${attempts} · ${tr(ctx, 'integrity.next_attempt', { at: formatMinute(next) })}` : attempts]));
    }
    const controls = [button(tr(ctx, 'button.callback_record'), ACTION.callbackRecord, { n: t.number, c: cb.id }, 'primary')];
    if (t.contactPhone) controls.push(button(tr(ctx, 'button.phone'), ACTION.phone, { n: t.number }));
    blocks.push(actions(`callback:${cb.id}`, controls));
  } else {
    const outcome = cb.status === 'unreachable' ? tr(ctx, 'callback.unreachable') : common(ctx, `satisfaction.${cb.result}`);
    blocks.push(
      section(
        `:white_check_mark: ${tr(ctx, 'callback.done', {
          who: cb.agentId ? actorName(ctx, `staff:${cb.agentId}`) : actorName(ctx, t.residentId ? `resident:${t.residentId}` : 'system'),
          at: cb.answeredAt ? formatMinute(cb.answeredAt) : '',
          outcome,
          note: esc(cb.comment ?? ''),
        })}`,
      ),
    );
  }
  return { text: title, blocks };
}

export interface StaffAlertPayload {
  ticketId?: number;
  /** 0 reminder, 1 overdue (coordinator), 2 branch head, 3 HQ leader (issue 5) */
  level?: number | string;
  /** warn | overdue | escalate2 | escalate3 */
  stage?: string;
  /** a deadline name (ack, arrive, resolve, callback) or a time */
  deadline?: string;
  dueAt?: string;
  /** staff ids to call by name */
  mention?: string[];
  [key: string]: unknown;
}

function alertLabel(ctx: RenderCtx, p: Pick<StaffAlertPayload, 'stage' | 'level'>): string {
  for (const k of [p.stage, p.level]) {
    if (k === undefined || k === null || k === '') continue;
    return has(ctx.locale, `slack.alert.level.${k}`) ? tr(ctx, `alert.level.${k}`) : esc(String(k));
  }
  return tr(ctx, 'alert.level.warn');
}

/** The ticket's own due time for a deadline named in a payload (ack, arrive, resolve); others have none on the ticket. */
function dueOnTicket(t: Ticket, deadline: string | undefined): Date | null {
  if (deadline === 'ack') return t.ackDueAt;
  if (deadline === 'arrive') return t.arriveDueAt;
  if (deadline === 'resolve') return t.resolveDueAt;
  return null;
}

function alertDeadline(ctx: RenderCtx, t: Ticket | null, p: StaffAlertPayload): string {
  const name = p.deadline && has(ctx.locale, `slack.deadline.${p.deadline}`) ? p.deadline : 'generic';
  const fromTicket = t ? dueOnTicket(t, p.deadline) : null;
  const raw = p.dueAt ?? fromTicket?.toISOString() ?? (name === 'generic' ? p.deadline : undefined);
  if (!raw) return p.deadline ? tr(ctx, `deadline.${name}`) : '';
  const at = new Date(raw);
  return Number.isNaN(at.getTime()) ? esc(raw) : deadlineText(ctx, name, at);
}

/** Deadline warnings, urging and escalation (issue 5), from whatever the payload gives. */
export function staffAlert(ctx: RenderCtx, t: Ticket | null, p: StaffAlertPayload): Message {
  const level = alertLabel(ctx, p);
  const deadline = alertDeadline(ctx, t, p);
  const named = Array.isArray(p.mention) ? p.mention.filter((x): x is string => typeof x === 'string') : [];
  const fallback = t ? (t.assigneeId ? [t.assigneeId] : ctx.org.staffOf(t.branchId, 'branch_coordinator').map((c) => c.id)) : [];
  const people = (named.length ? named : fallback).map((id) => mention(ctx, id)).filter(Boolean);
  const title = tr(ctx, 'alert.staff_title', { level, number: t?.number ?? '' });
  const blocks: Block[] = [section(`:alarm_clock: *${title}*${deadline ? `\n${deadline}` : ''}`)];
  if (t)
    blocks.push(
      context([
        `${common(ctx, `category.${t.category}`)} · ${common(ctx, `status.${t.status}`)} · ${branchName(ctx, t.branchId)}${t.contactPhone ? ` · ${maskPhone(t.contactPhone)}` : ''}`,
      ]),
    );
  if (people.length) blocks.push(section(tr(ctx, 'alert.staff_call', { people: people.join(' ') })));
  return { text: `${title} ${people.join(' ')}`.trim(), blocks };
}

/** Deadline alerts of many tickets at once (a cold snap), as core/deadlines/alert-effects.ts groups them. */
export interface StaffAlertDigestPayload {
  level?: number | string;
  stage?: string;
  deadline?: string;
  tickets?: { ticketId: number; dueAt?: string }[];
  mention?: string[];
}

/** The digest's tickets as stored, leaving out anything that is not a ticket id. */
export function digestTickets(p: StaffAlertDigestPayload): { ticketId: number; dueAt?: string }[] {
  return Array.isArray(p.tickets) ? p.tickets.filter((x) => Number.isSafeInteger(x?.ticketId)) : [];
}

/**
 * One message for the alerts of many tickets with the same deadline and stage: a line per ticket
 * (number, category, branch and community, when it was due) and the people to call. Tickets that
 * no longer exist are left out, and the count is of the tickets shown.
 */
export function staffAlertDigest(ctx: RenderCtx, found: Ticket[], p: StaffAlertDigestPayload): Message {
  const byId = new Map(found.map((t) => [t.id, t]));
  const name = p.deadline && has(ctx.locale, `slack.deadline.${p.deadline}`) ? p.deadline : 'generic';
  const lines: string[] = [];
  for (const { ticketId, dueAt } of digestTickets(p)) {
    const t = byId.get(ticketId);
    if (!t) continue;
    const at = dueAt ? new Date(dueAt) : (dueOnTicket(t, p.deadline) ?? undefined);
    const place = [branchName(ctx, t.branchId), communityName(ctx, t.communityId)].filter(Boolean).join(' · ');
    const due = at && !Number.isNaN(at.getTime()) ? ` · ${formatMinute(at)}` : '';
    lines.push(`• *${t.number}* ${common(ctx, `category.${t.category}`)} · ${place}${due}`);
  }
  const named = Array.isArray(p.mention) ? p.mention.filter((x): x is string => typeof x === 'string') : [];
  const people = named.map((id) => mention(ctx, id)).filter(Boolean);
  const title = tr(ctx, 'alert.digest_title', { level: alertLabel(ctx, p), count: lines.length, deadline: tr(ctx, `deadline.${name}`) });
  const blocks: Block[] = [section(`:alarm_clock: *${title}*`), section(lines.join('\n'))];
  if (people.length) blocks.push(section(tr(ctx, 'alert.staff_call', { people: people.join(' ') })));
  return { text: `${title} ${people.join(' ')}`.trim(), blocks };
}

export interface ReportPayload {
  report?: string;
  date?: string;
  branchId?: string | null;
  numbers?: Record<string, unknown> | string[];
  branches?: ({ branchId: string } & Record<string, unknown>)[];
  count?: number;
  byBranch?: Record<string, number>;
  [key: string]: unknown;
}

/** A number with its label, e.g. "New tickets: 12"; keys without a label show as they are. */
function figure(ctx: RenderCtx, key: string, value: unknown): string {
  const label = has(ctx.locale, `slack.report.field.${key}`) ? tr(ctx, `report.field.${key}`) : esc(key);
  return `${label}: ${typeof value === 'number' || typeof value === 'string' ? esc(String(value)) : esc(JSON.stringify(value))}`;
}

/** Scheduled reports (R8i daily numbers, R8l service forms not back at HQ), as the scheduler computed them. */
export function reportMessage(ctx: RenderCtx, p: ReportPayload): Message {
  const kind = p.report && has(ctx.locale, `slack.report.${p.report}`) ? tr(ctx, `report.${p.report}`) : tr(ctx, 'report.generic');
  const title = tr(ctx, 'report.title', { report: kind, date: p.date ?? '', place: branchName(ctx, p.branchId) });
  const blocks: Block[] = [header(title)];
  if (Array.isArray(p.numbers)) {
    // forms not back: the ticket numbers
    blocks.push(section(tr(ctx, 'report.forms_count', { n: p.numbers.length })));
    if (p.numbers.length)
      blocks.push(
        context([
          p.numbers
            .slice(0, 60)
            .map((n) => esc(String(n)))
            .join(' '),
        ]),
      );
  } else if (p.numbers && typeof p.numbers === 'object') {
    const entries = Object.entries(p.numbers).filter(([k]) => k !== 'branchId');
    if (entries.length) blocks.push(fields(entries.slice(0, 10).map(([k, v]) => figure(ctx, k, v))));
  }
  if (typeof p.count === 'number') blocks.push(section(tr(ctx, 'report.forms_count', { n: p.count })));
  if (p.byBranch)
    blocks.push(
      section(
        Object.entries(p.byBranch)
          .map(([b, n]) => `• ${branchName(ctx, b || null)}: ${n}`)
          .join('\n') || ' ',
      ),
    );
  if (p.branches?.length) {
    const lines = p.branches.map((b) => {
      const rest = Object.entries(b)
        .filter(([k]) => k !== 'branchId')
        .map(([k, v]) => figure(ctx, k, v));
      return `• *${branchName(ctx, b.branchId)}*  ${rest.join(' · ')}`;
    });
    blocks.push(section(lines.join('\n')));
  }
  return { text: title, blocks };
}
