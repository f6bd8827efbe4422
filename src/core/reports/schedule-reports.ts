/**
 * Scheduled reports are stored alerts too (R8i, R18, R19, R8l), one row per occurrence keyed by
 * its local date, so each is sent once even with several instances or after downtime:
 * - daily summary at 08:00 local for the previous day, per branch and for the company;
 * - the half-month list of service forms not back at HQ, on the 1st and the 16th at 09:00;
 * - the month's KPIs (R25-R30) to the leaders, on the 1st at 08:30.
 * Firing one occurrence stores the next.
 */
import type { Core } from '../context.js';
import { localParts, zonedTimeToUtc } from '../local-time.js';

export type ReportKind = 'report_daily' | 'report_forms' | 'report_monthly' | 'report_kpi_close' | 'report_conduct' | 'report_suggestions' | 'report_training';

/**
 * When each report fires, company time: every day, or on these days of the month.
 * - report_kpi_close: the month that ended is frozen (core/kpi snapshots) before anyone reads it;
 * - report_conduct: the month's conduct findings to the leaders (R31-R33);
 * - report_suggestions: the month's suggestions and HQ's answers to the leaders (R18, R19);
 * - report_training: branch heads are reminded of staff with no training session this year (R23, R24).
 */
const SCHEDULE: Record<ReportKind, { hour: number; minute: number; days?: number[] }> = {
  report_daily: { hour: 8, minute: 0 },
  report_forms: { hour: 9, minute: 0, days: [1, 16] },
  report_monthly: { hour: 8, minute: 30, days: [1] },
  report_kpi_close: { hour: 0, minute: 10, days: [1] },
  report_conduct: { hour: 9, minute: 15, days: [1] },
  report_suggestions: { hour: 9, minute: 30, days: [1] },
  report_training: { hour: 10, minute: 0, days: [1] },
};
export const REPORT_KINDS = Object.keys(SCHEDULE) as ReportKind[];

/** The next occurrence strictly after `after`. */
export function nextOccurrence(kind: ReportKind, after: Date): { key: string; dueAt: Date } {
  const p = localParts(after);
  for (let add = 0; add < 40; add++) {
    const day = new Date(Date.UTC(p.year, p.month - 1, p.day + add));
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    const { days, hour, minute } = SCHEDULE[kind];
    if (days && !days.includes(d)) continue;
    const dueAt = zonedTimeToUtc({ year: y, month: m, day: d, hour, minute });
    if (dueAt > after) {
      const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
      return { key: `${kind}:${iso}`, dueAt };
    }
  }
  throw new Error('no next occurrence');
}

/** At start-up: make sure every report has its next occurrence stored (one of each kind, whatever the number of instances). */
export async function ensureReportsScheduled(core: Pick<Core, 'stores' | 'clock'>): Promise<void> {
  for (const kind of REPORT_KINDS) {
    const { key, dueAt } = nextOccurrence(kind, core.clock.now());
    await core.stores.alerts.scheduleReport({ key, ticketId: null, kind, dueAt, data: null });
  }
}
