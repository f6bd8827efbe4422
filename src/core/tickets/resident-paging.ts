/**
 * Staff hear of a resident's notes on a ticket at most once per ticket every ten minutes.
 *
 * The paths by which a resident's own action reaches staff: filing (a new ticket: its card and
 * alerts, at most RESIDENT_REPORTS_PER_MINUTE a minute), a "not satisfied" answer (reopens the
 * ticket once per callback), and notes (the words after it, which can be sent again and again).
 * Photos and service-form answers owe staff nothing. Only notes repeat without bound, so only
 * notes are held back: a note pages the branch (the card's thread line) unless the last note
 * that did was less than ten minutes ago; then it is stored on the timeline as usual, marked
 * quiet, and owes nothing. The filing and the reopen are not counted, so the answer to "what is
 * still wrong?" right after a reopen still reaches the branch at once.
 *
 * A quiet note is not delayed through the outbox: a message due later holds back every later
 * message to the same channel (the outbox keeps each channel's order), so one resident's notes
 * would hold up the branch's new cards.
 */
import { MINUTE } from '../clock.js';

export const RESIDENT_PAGE_GAP_MS = 10 * MINUTE;

interface EventLike {
  at: Date;
  type: string;
  actor: string;
  data: string | null;
}

/** Stored on a note's event when it paged nobody. */
export const QUIET_NOTE = { staffPaged: false } as const;

function pagedStaff(e: EventLike): boolean {
  if (e.type !== 'note' || !e.actor.startsWith('resident:')) return false;
  if (!e.data) return true;
  try {
    return (JSON.parse(e.data) as { staffPaged?: unknown }).staffPaged !== false;
  } catch {
    return true;
  }
}

/** Whether a new resident's note on a ticket with these events pages the branch now. */
export function notePagesStaff(events: readonly EventLike[], now: Date): boolean {
  let last: number | null = null;
  for (const e of events) if (pagedStaff(e) && (last === null || e.at.getTime() > last)) last = e.at.getTime();
  return last === null || now.getTime() - last >= RESIDENT_PAGE_GAP_MS;
}
