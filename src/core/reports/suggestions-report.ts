/**
 * The leaders' monthly summary of suggestions and opinions (R18, R19), on the 1st at 09:30: the
 * month's suggestions per branch and topic as the summary counts them (kpi/summarize-suggestions:
 * the branch holding it, else the branch of the resident's community, else the centre), each
 * with how many were answered by the end of the month, and the ones still unanswered. Sent even
 * when the month had none, so that "nothing" is said rather than left to be guessed.
 */
import { calendarMonth } from '../kpi/period.js';
import { summarizeSuggestions, type SuggestionGroup } from '../kpi/summarize-suggestions.js';
import type { MonthlyBuilder } from './monthly-builder.js';

/** Unanswered suggestions listed by number in the message; the rest are counted. */
export const UNANSWERED_LISTED = 15;

export interface SuggestionsReportPayload {
  report: 'suggestions';
  date: string;
  month: string;
  count: number;
  answered: number;
  groups: SuggestionGroup[];
  unanswered: { number: string; branchId: string | null; description: string }[];
  /** unanswered beyond the list */
  more: number;
}

export const suggestionsReport: MonthlyBuilder = async (core, occurrence) => {
  const target = core.org.config.centre.channels.leaders;
  if (!target) return [];
  const [year, month] = occurrence.month.split('-').map(Number);
  const period = calendarMonth(year, month);
  const s = await summarizeSuggestions(core, { from: period.from, to: period.to });
  const count = s.groups.reduce((n, g) => n + g.count, 0);
  const answered = s.groups.reduce((n, g) => n + g.answered, 0);
  const open = s.items.filter((i) => !i.answered).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const listed = open.slice(0, UNANSWERED_LISTED);
  const payload: SuggestionsReportPayload = {
    report: 'suggestions',
    date: occurrence.date,
    month: occurrence.month,
    count,
    answered,
    groups: s.groups,
    unanswered: listed.map((i) => ({ number: i.number, branchId: i.branchId, description: [...i.description].slice(0, 60).join('') })),
    more: count - answered - listed.length,
  };
  return [{ key: `report:${occurrence.key}:company`, platform: 'slack', target, kind: 'report', payload: { ...payload } }];
};
