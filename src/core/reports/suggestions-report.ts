/**
 * The leaders' monthly summary of suggestions and opinions (R18, R19), on the 1st at 09:30: the
 * month's suggestions per branch and topic (a suggestion without a topic under its category),
 * each with how many were answered by the end of the month, and the ones still unanswered. The
 * branch is the one the suggestion concerns: the branch that holds it (one it took itself, R17),
 * else the branch of the resident's community, else the centre; HQ answers most of them, but
 * the leaders read them by branch. Withdrawn ones (cancelled, duplicates) are left out. Sent even
 * when the month had none, so that "nothing" is said rather than left to be guessed.
 */
import { calendarMonth } from '../kpi/period.js';
import type { Ticket } from '../model.js';
import type { Org } from '../org/org.js';
import type { MonthlyBuilder } from './monthly-builder.js';

/** Unanswered suggestions listed by number in the message; the rest are counted. */
export const UNANSWERED_LISTED = 15;
const PAGE = 1000;

export interface SuggestionsReportGroup {
  /** null: the centre (no branch and no known community) */
  branchId: string | null;
  topic: string | null;
  /** set only when there is no topic */
  category: string | null;
  count: number;
  answered: number;
}

export interface SuggestionsReportPayload {
  report: 'suggestions';
  date: string;
  month: string;
  count: number;
  answered: number;
  groups: SuggestionsReportGroup[];
  unanswered: { number: string; branchId: string | null; description: string }[];
  /** unanswered beyond the list */
  more: number;
}

/** The branch a suggestion concerns (see the file's comment). */
export function concernedBranch(org: Org, t: Pick<Ticket, 'branchId' | 'communityId'>): string | null {
  return t.branchId ?? (t.communityId ? (org.communities.get(t.communityId)?.branchId ?? null) : null);
}

/** The summary of a month's suggestions, decided from the tickets created in it. Pure. */
export function planSuggestionsReport(org: Org, tickets: readonly Ticket[], to: Date, head: { date: string; month: string }): SuggestionsReportPayload {
  const kept = tickets.filter((t) => t.kind === 'suggestion' && t.status !== 'cancelled' && t.status !== 'duplicate');
  const answeredBy = (t: Ticket) => {
    const at = t.resolvedAt ?? t.closedAt;
    return at !== null && at.getTime() < to.getTime();
  };
  const groups = new Map<string, SuggestionsReportGroup>();
  for (const t of kept) {
    const branchId = concernedBranch(org, t);
    const topic = t.topic?.trim() || null;
    const category = topic ? null : t.category;
    const key = `${branchId}\u0000${topic ?? `#${category}`}`;
    const g = groups.get(key) ?? { branchId, topic, category, count: 0, answered: 0 };
    g.count++;
    if (answeredBy(t)) g.answered++;
    groups.set(key, g);
  }
  const order = new Map([...org.branches.keys()].map((id, i) => [id, i]));
  const rank = (b: string | null) => (b === null ? order.size + 1 : (order.get(b) ?? order.size));
  const sorted = [...groups.values()].sort(
    (a, b) => rank(a.branchId) - rank(b.branchId) || b.count - a.count || String(a.topic ?? a.category).localeCompare(String(b.topic ?? b.category)),
  );
  const open = kept.filter((t) => !answeredBy(t)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  return {
    report: 'suggestions',
    ...head,
    count: kept.length,
    answered: kept.length - open.length,
    groups: sorted,
    unanswered: open
      .slice(0, UNANSWERED_LISTED)
      .map((t) => ({ number: t.number, branchId: concernedBranch(org, t), description: [...t.description].slice(0, 60).join('') })),
    more: Math.max(0, open.length - UNANSWERED_LISTED),
  };
}

export const suggestionsReport: MonthlyBuilder = async (core, occurrence) => {
  const target = core.org.config.centre.channels.leaders;
  if (!target) return [];
  const [year, month] = occurrence.month.split('-').map(Number);
  const period = calendarMonth(year, month);
  const tickets: Ticket[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const page = await core.stores.views.ticketList({ kind: 'suggestion', from: period.from, to: period.to }, { offset, limit: PAGE });
    tickets.push(...page.items);
    if (page.items.length < PAGE || tickets.length >= page.total) break;
  }
  const payload = planSuggestionsReport(core.org, tickets, period.to, { date: occurrence.date, month: occurrence.month });
  return [{ key: `report:${occurrence.key}:company`, platform: 'slack', target, kind: 'report', payload: { ...payload } }];
};
