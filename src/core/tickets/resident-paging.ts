/**
 * Staff hear of a resident's notes on a ticket at most once per ticket every ten minutes.
 *
 * The paths by which a resident's own action reaches staff: filing (a new ticket: its card and
 * alerts, at most RESIDENT_REPORTS_PER_MINUTE a minute), a "not satisfied" answer (reopens the
 * ticket once per callback), and notes (the words after it, which can be sent again and again).
 * Photos and service-form answers owe staff nothing. Only notes repeat without bound, so only
 * notes are held back: the first one pages the branch at once (the card's thread line); one
 * written within ten minutes of the last page is stored as usual but its page waits until the
 * ten minutes are up, and every note in that wait shares that one page (the timeline has them
 * all). The filing and the reopen are not counted, so the answer to "what is still wrong?"
 * right after a reopen still reaches the branch at once.
 */
import { MINUTE } from '../clock.js';

export const RESIDENT_PAGE_GAP_MS = 10 * MINUTE;

interface EventLike {
  at: Date;
  type: string;
  actor: string;
  data: string | null;
}

/** Stored on a held-back note's event: when the page it shares goes out. */
export interface HeldPage {
  pageAt: string;
}

export type PagePlan = { page: 'now' } | { page: 'later'; at: Date };

function pageTimeOf(e: EventLike): number | null {
  if (e.type !== 'note' || !e.actor.startsWith('resident:')) return null;
  if (!e.data) return e.at.getTime();
  try {
    const held = JSON.parse(e.data) as Partial<HeldPage>;
    const t = held.pageAt ? Date.parse(held.pageAt) : Number.NaN;
    return Number.isFinite(t) ? t : e.at.getTime();
  } catch {
    return e.at.getTime();
  }
}

/** When a new resident's note on a ticket with these events pages the branch. */
export function planResidentPage(events: readonly EventLike[], now: Date): PagePlan {
  let last: number | null = null;
  for (const e of events) {
    const t = pageTimeOf(e);
    if (t !== null && (last === null || t > last)) last = t;
  }
  const n = now.getTime();
  if (last === null || n - last >= RESIDENT_PAGE_GAP_MS) return { page: 'now' };
  // a page already waiting: this note shares it; otherwise the next one is due ten minutes after the last
  return { page: 'later', at: new Date(last > n ? last : last + RESIDENT_PAGE_GAP_MS) };
}

/** The key of the one held-back page per ticket, destination and time: notes that share it owe nothing more. */
export function heldPageKey(kind: string, ticketId: number, target: string, at: Date): string {
  return `held:${kind}:${ticketId}:${target}:${at.getTime()}`;
}
