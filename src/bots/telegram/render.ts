/**
 * Words about tickets, in the resident's language: names of branches and units, times in local
 * minutes (R8g), the reply to a filed report, and the plain-words timeline.
 */
import type { Org } from '../../core/org/org.js';
import { formatClock, formatMinute, localIsoDate } from '../../core/local-time.js';
import { deadlineRunning, deadlineState } from '../../core/deadlines/deadline-rows.js';
import type { TicketWithTimeline } from '../../core/tickets/get-ticket.js';
import { t, type Locale } from '../../i18n/index.js';
import type { Ticket } from '../../core/model.js';
import { tt } from './context.js';
import { conductFiledLine, conductTimelineResolved, isCentreConduct } from './conduct.js';

export function branchName(org: Org, branchId: string | null | undefined, locale: Locale): string {
  const b = branchId ? org.branches.get(branchId) : undefined;
  if (!b) return t(locale, 'common.centre');
  return locale === 'en' ? (b.nameEn ?? b.name) : b.name;
}

/**
 * A staff member as a resident should know them at the door (R6): their name and the number on
 * their badge (telegram.staff_badge: "Wu Juan (staff no. 1002)"), or the name alone when the organisation file gives no badge.
 */
export function staffWithBadge(org: Org, staffId: string | null | undefined, locale: Locale): string | null {
  const s = staffId ? org.staff.get(staffId) : undefined;
  if (!s) return null;
  return s.badge ? tt(locale, 'staff_badge', { name: s.name, badge: s.badge }) : s.name;
}

export function unitName(org: Org, unitId: string | null | undefined, locale: Locale): string {
  const u = unitId ? org.units.get(unitId) : undefined;
  if (!u) return '';
  return locale === 'en' ? (u.nameEn ?? u.name) : u.name;
}

/** 14:05 today, 2026-11-29 14:05 on another day. */
export function when(at: Date, now: Date): string {
  return localIsoDate(at) === localIsoDate(now) ? formatClock(at) : formatMinute(at);
}

export const kindLabel = (locale: Locale, kind: string) => t(locale, `common.kind.${kind}`);
export const categoryLabel = (locale: Locale, category: string) => t(locale, `common.category.${category}`);
export const statusLabel = (locale: Locale, status: string) => t(locale, `common.status.${status}`);

/** The promised time limits still ahead of a ticket, one line each. */
export function dueLines(ticket: Ticket, locale: Locale, now: Date): string[] {
  const lines: string[] = [];
  if (ticket.arriveDueAt && !ticket.arrivedAt && !ticket.resolvedAt) lines.push(tt(locale, 'report.due_arrive', { time: when(ticket.arriveDueAt, now) }));
  if (ticket.resolveDueAt && !ticket.resolvedAt) lines.push(tt(locale, 'report.due_resolve', { time: when(ticket.resolveDueAt, now) }));
  return lines;
}

/**
 * The limits a resident is waiting on, from the ticket's deadline rows (the running generation):
 * the visit and the repair, each still ahead ("by 15:00") or passed and being chased. Met and
 * withdrawn ones say nothing here: the timeline already tells the step.
 */
export function deadlineLines(ticket: Pick<TicketWithTimeline, 'deadlines'>, locale: Locale, now: Date): string[] {
  const lines: string[] = [];
  for (const name of ['arrive', 'resolve'] as const) {
    const row = ticket.deadlines.find((d) => d.name === name && deadlineRunning(d));
    if (!row) continue;
    const state = deadlineState(row, now);
    if (state === 'open') lines.push(tt(locale, `report.due_${name}`, { time: when(row.dueAt, now) }));
    else if (state === 'missed') lines.push(tt(locale, `status.overdue_${name}`, { time: when(row.dueAt, now) }));
  }
  return lines;
}

/** The answer to a filed report: number, who handles it, by when, and what to do next. */
export function filedReply(org: Org, ticket: Ticket, locale: Locale, now: Date): string {
  const hotline = org.config.company;
  const branch = branchName(org, ticket.branchId, locale);
  const lines: string[] = [];
  if (ticket.severity !== 'normal' && ticket.kind === 'complaint') {
    // Water running gets the valve advice; other urgent cases (a freezing flat with a baby) do not.
    const key = ticket.category === 'leak' ? 'report.filed_urgent' : 'report.filed_priority';
    lines.push(tt(locale, key, { branch, emergencyHotline: hotline.emergencyHotline }), '');
  }
  lines.push(tt(locale, 'report.filed', { number: ticket.number, kind: kindLabel(locale, ticket.kind), category: categoryLabel(locale, ticket.category) }));
  if (isCentreConduct(ticket)) lines.push(conductFiledLine(locale));
  else lines.push(ticket.branchId ? tt(locale, 'report.handled_by', { branch }) : tt(locale, 'report.handled_by_centre'));
  lines.push(...dueLines(ticket, locale, now));
  if (!ticket.verified && ticket.kind === 'complaint') lines.push(tt(locale, 'report.unverified'));
  if (ticket.kind === 'complaint' || ticket.kind === 'paid_service') lines.push('', tt(locale, 'report.photo_welcome'));
  return lines.join('\n');
}

/** One line per step a resident cares about; internal steps (staff notes, escalations) are left out. */
export function timelineLines(org: Org, ticket: TicketWithTimeline, locale: Locale, now: Date): string[] {
  const out: string[] = [];
  for (const e of ticket.events) {
    const time = when(e.at, now);
    const data = e.data ? (JSON.parse(e.data) as Record<string, string | undefined>) : {};
    const line = (key: string, vars: Record<string, string | null | undefined> = {}) => out.push(tt(locale, `timeline.${key}`, { time, ...vars }));
    switch (e.type) {
      case 'created':
        line('created');
        break;
      case 'dispatched':
        line('dispatched', { branch: branchName(org, data.branchId, locale) });
        break;
      case 'accepted':
      case 'arrived':
      case 'closed':
      case 'reopened':
        line(e.type);
        break;
      case 'routed':
        if (data.unitId) line('routed', { unit: unitName(org, data.unitId, locale) });
        break;
      case 'resolved':
        // R31-R33: the reply to a complaint about staff is the centre's finding: never shown to the resident
        if (isCentreConduct(ticket)) out.push(conductTimelineResolved(locale, time));
        else if (e.note ?? data.result) line('resolved', { note: e.note ?? data.result });
        else line('resolved_plain');
        break;
      case 'linked':
        // a report an incident took over (core/incidents): words of the incident feature
        out.push(tt(locale, 'incident.timeline_linked', { time, incident: data.number ?? '' }));
        break;
      case 'callback_requested':
        if (ticket.residentId) line('callback_requested');
        break;
      case 'transferred':
        line('transferred', { branch: branchName(org, data.branchId, locale) });
        break;
      case 'cancelled':
        line('cancelled', { note: e.note ?? '' });
        break;
      case 'duplicate':
        line('duplicate', { original: data.duplicateOf ?? '' });
        break;
      case 'note':
        if (e.actor.startsWith('resident:') && e.note) line('resident_note', { note: e.note });
        break;
      default:
        break;
    }
  }
  return out;
}

/** A ticket with its timeline, as /status shows it. */
export function ticketDetails(org: Org, ticket: TicketWithTimeline, locale: Locale, now: Date): string {
  const head = tt(locale, 'status.header', {
    number: ticket.number,
    kind: kindLabel(locale, ticket.kind),
    category: categoryLabel(locale, ticket.category),
    status: statusLabel(locale, ticket.status),
    branch: branchName(org, ticket.branchId, locale),
  });
  const due = deadlineLines(ticket, locale, now);
  return [head, '', tt(locale, 'status.timeline_title'), ...timelineLines(org, ticket, locale, now), ...(due.length ? ['', ...due] : [])].join('\n');
}

/** 4500 → "45", 4550 → "45.50" */
export function yuan(cents: number): string {
  return cents % 100 === 0 ? String(cents / 100) : (cents / 100).toFixed(2);
}
