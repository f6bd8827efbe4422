/**
 * Staff hear of a resident's notes on a ticket at most once per ticket every ten minutes.
 *
 * The paths by which a resident's own action reaches staff: filing (a new ticket: its card and
 * alerts, at most RESIDENT_REPORTS_PER_MINUTE a minute), a "not satisfied" answer (reopens the
 * ticket once per callback), notes (words, photos, voice, locations sent after it) and urging
 * (催办: "怎么还没人来"). Notes and urging repeat without bound (ten messages a second from one
 * worried resident), so only they are held back: one pages staff (mentions the assignee or the
 * branch's on-duty staff, `notify` on its event) unless the last one that did was less than ten
 * minutes ago; then it is marked quiet (`staffPaged: false`). A follow-up still goes into the
 * card's thread either way (add-follow-up.ts): quiet means nobody is mentioned, not that the
 * words are hidden. The filing and the reopen are not counted, so the answer to "what is still
 * wrong?" right after a reopen still reaches the branch at once.
 *
 * A quiet note is not delayed through the outbox: a message due later holds back every later
 * message to the same channel (the outbox keeps each channel's order), so one resident's notes
 * would hold up the branch's new cards.
 */
import { incidentStandsFor } from '../incidents/stands-for.js';
import { MINUTE } from '../clock.js';
import type { Org } from '../org/org.js';
import { outboxRow } from '../outbox/enqueue.js';
import type { ResidentNote } from '../ports/intake-store.js';
import { planMessages } from './notify-plan.js';
import { dutyAt, rosterOnly, type DutyState } from '../duty/duty-at.js';

export const RESIDENT_PAGE_GAP_MS = 10 * MINUTE;

interface EventLike {
  at: Date;
  type: string;
  actor: string;
  data: string | null;
}

/** Stored on a note's or an urging's event when it paged nobody. */
export const QUIET_NOTE = { staffPaged: false } as const;

function pagedStaff(e: EventLike): boolean {
  if ((e.type !== 'note' && e.type !== 'urged') || !e.actor.startsWith('resident:')) return false;
  if (!e.data) return true;
  try {
    return (JSON.parse(e.data) as { staffPaged?: unknown }).staffPaged !== false;
  } catch {
    return true;
  }
}

/** Whether a new resident's note or urging on a ticket with these events pages staff now. */
export function notePagesStaff(events: readonly EventLike[], now: Date): boolean {
  let last: number | null = null;
  for (const e of events) if (pagedStaff(e) && (last === null || e.at.getTime() > last)) last = e.at.getTime();
  return last === null || now.getTime() - last >= RESIDENT_PAGE_GAP_MS;
}

/**
 * Whom a resident's follow-up or urging mentions in the card's thread: the assignee, who is on
 * it; else the branch's coordinators and field staff on duty now (as the urgent alert does):
 * duty-at.ts, from `duty` when the caller read the handovers' assignments, else the roster.
 */
export function staffToPage(org: Org, ticket: { assigneeId: string | null; branchId: string | null }, duty: DutyState): string[] {
  if (ticket.assigneeId) return [ticket.assigneeId];
  if (!ticket.branchId) return [];
  return dutyAt(org, duty, { branchId: ticket.branchId })
    .filter((s) => s.role === 'branch_coordinator' || s.role === 'field_staff')
    .map((s) => s.id);
}

interface TicketLike {
  id: number;
  assigneeId: string | null;
  branchId: string | null;
  severity: string;
  residentChatId?: string | null;
  events: readonly EventLike[];
  /** linked to an incident: see incidents/stands-for.ts */
  incidentId?: number | null;
  reopenCount?: number;
  createdAt?: Date;
  acceptedAt?: Date | null;
}

/**
 * A resident's words on their ticket (a note, an urging) as one line of its timeline: mentioning
 * the staff to page when the last page is ten minutes old or more, quiet otherwise; either way it
 * owes the card's thread its line (staff read everything there). The same rule for every writer.
 */
export function residentLine(
  org: Org,
  ticket: TicketLike,
  line: { type: 'note' | 'urged'; residentId: number; text: string | null; data?: object },
  now: Date,
  duty: DutyState = rosterOnly(now),
): Pick<ResidentNote, 'event' | 'owes'> & { paged: boolean } {
  const linked = incidentStandsFor(ticket);
  const paged = !linked && notePagesStaff(ticket.events, now);
  return {
    paged,
    event: {
      at: now,
      type: line.type,
      actor: `resident:${line.residentId}`,
      fromStatus: null,
      toStatus: null,
      note: line.text,
      data: JSON.stringify({ ...line.data, ...(paged ? { notify: staffToPage(org, ticket, duty) } : QUIET_NOTE) }),
    },
    owes: (id) => (linked ? [] : planMessages(org, ticket, { id, type: line.type }).map((row) => outboxRow(row, now))),
  };
}
