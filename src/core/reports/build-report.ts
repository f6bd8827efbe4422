/**
 * The numbers of a scheduled report, computed when it fires and stored in the outbox row, so
 * that a late delivery still says what was true at the time.
 */
import type { Core } from '../context.js';
import type { ScheduledAlert } from '../model.js';
import type { FirePlan } from '../ports/alert-store.js';
import { outboxRow, type OutboxItem } from '../outbox/enqueue.js';
import { localParts, zonedTimeToUtc } from '../local-time.js';
import { emptyPlan } from '../deadlines/alert-effects.js';
import { nextOccurrence, type ReportKind } from './schedule-reports.js';
import type { MonthlyBuilder } from './monthly-builder.js';
import { kpiCloseReport } from './kpi-close-report.js';
import { conductReport } from './conduct-report.js';
import { suggestionsReport } from './suggestions-report.js';
import { trainingReport } from './training-report.js';
import { formsDueBefore } from '../forms/form-due.js';

/** How many numbers of each branch the half-monthly forms report names; /forms lists them all. */
export const REPORT_NUMBERS_PER_BRANCH = 50;

/** The monthly reports, each in a file of its own: what they send (and, for the close, store) on the 1st. */
const MONTHLY: Record<'report_kpi_close' | 'report_conduct' | 'report_suggestions' | 'report_training', MonthlyBuilder> = {
  report_kpi_close: kpiCloseReport,
  report_conduct: conductReport,
  report_suggestions: suggestionsReport,
  report_training: trainingReport,
};

/** YYYY-MM of the month before the local date YYYY-MM-DD. */
function previousMonth(date: string): string {
  const [y, m] = date.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export interface DailyNumbers {
  newTickets: number;
  finished: number;
  overdueOpen: number;
  callbacksDone: number;
  satisfied: number;
  suggestions: number;
}

async function daily(core: Pick<Core, 'stores' | 'org'>, from: Date, to: Date) {
  const { branches: counts, callbacks, suggestions } = await core.stores.alerts.dailyCounts(from, to);
  // HQ holds suggestions (R18, R19); each counts for the branch it concerns, as the monthly summary counts them
  const concerned = (s: { branchId: string | null; communityId: string | null }) =>
    s.branchId ?? (s.communityId ? (core.org.communities.get(s.communityId)?.branchId ?? null) : null);
  const numbers = (b: string | null): DailyNumbers => {
    const c = counts.find((x) => x.branchId === b);
    const cbs = callbacks.filter((x) => x.branchId === b);
    return {
      newTickets: c?.newTickets ?? 0,
      finished: c?.finished ?? 0,
      overdueOpen: c?.overdueOpen ?? 0,
      callbacksDone: cbs.length,
      satisfied: cbs.filter((x) => x.result === 'satisfied' || x.result === 'fairly').length,
      suggestions: suggestions.filter((s) => concerned(s) === b).reduce((n, s) => n + s.n, 0),
    };
  };
  const branches = [...core.org.branches.keys()].map((id) => ({ branchId: id, ...numbers(id) }));
  const total = branches.reduce(
    (acc, b) => {
      for (const k of Object.keys(acc) as (keyof DailyNumbers)[]) acc[k] += b[k];
      return acc;
    },
    { ...numbers(null) },
  );
  return { branches, total };
}

/** What firing a report stores: its messages and the report's next occurrence. */
export async function buildReport(core: Pick<Core, 'stores' | 'org' | 'clock'>, alert: ScheduledAlert, now: Date): Promise<FirePlan> {
  const kind = alert.kind as ReportKind;
  const date = alert.key.split(':')[1];
  const items: OutboxItem[] = [];
  // a branch's report goes to its reports channel (else its dispatch channel), the company's to the leaders
  const toBranch = (branchId: string, payload: Record<string, unknown>) => {
    const ch = core.org.branches.get(branchId)?.channels;
    const target = ch?.reports ?? ch?.dispatch;
    if (target) items.push({ key: `report:${alert.key}:${branchId}`, platform: 'slack', target, kind: 'report', payload });
  };
  const toLeaders = (payload: Record<string, unknown>) => {
    const target = core.org.config.centre.channels.leaders;
    if (target) items.push({ key: `report:${alert.key}:company`, platform: 'slack', target, kind: 'report', payload });
  };
  if (kind === 'report_daily') {
    const p = localParts(new Date(alert.dueAt.getTime() - 12 * 3600_000));
    const from = zonedTimeToUtc({ year: p.year, month: p.month, day: p.day });
    const to = zonedTimeToUtc({ year: p.year, month: p.month, day: p.day + 1 });
    const { branches, total } = await daily(core, from, to);
    for (const b of branches) toBranch(b.branchId, { report: 'daily', date, from, to, branchId: b.branchId, numbers: b });
    toLeaders({ report: 'daily', date, from, to, branchId: null, numbers: total, branches });
  } else if (kind === 'report_monthly') {
    // the month that just ended; the Slack app renders its KPIs when it delivers
    toLeaders({ report: 'monthly_kpi', date, month: previousMonth(date) });
  } else if (kind !== 'report_forms') {
    const build = MONTHLY[kind];
    items.push(...(await build(core, { key: alert.key, date, month: previousMonth(date) }, now)));
  } else {
    // R8l: forms go back to HQ within half a month. Each branch hears its true count and its
    // oldest numbers (the rest are counted, and listed in full by /forms); the leaders the count per branch.
    const byBranch = await core.stores.forms.overdueByBranch(formsDueBefore(now), REPORT_NUMBERS_PER_BRANCH);
    for (const b of byBranch) {
      const numbers = b.oldest.map((o) => o.ticketNumber);
      if (b.branchId) toBranch(b.branchId, { report: 'forms', date, branchId: b.branchId, count: b.count, numbers, more: b.count - numbers.length });
    }
    const count = byBranch.reduce((n, b) => n + b.count, 0);
    toLeaders({ report: 'forms', date, branchId: null, count, byBranch: Object.fromEntries(byBranch.map((b) => [b.branchId ?? '', b.count])) });
  }
  const plan = emptyPlan([alert.id]);
  plan.messages = items.map((item) => outboxRow(item, now));
  const next = nextOccurrence(kind, alert.dueAt);
  plan.reports = [{ key: next.key, ticketId: null, kind, dueAt: next.dueAt, data: null }];
  return plan;
}
