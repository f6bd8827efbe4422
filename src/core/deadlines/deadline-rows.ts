/**
 * A ticket's deadlines as rows (R7, R27, R29, R8h), and the one rule for how a deadline stands.
 * The sweep, the card and the KPIs all judge a deadline by its row: met (in time or late),
 * missed, still open, or withdrawn. The KPI statement (db/stores/kpi-reads.ts) is this rule
 * written in SQL for the resolve deadline; the two must say the same.
 */
import type { Deadline, DeadlineName, Ticket } from '../model.js';
import type { Deadlines } from './time-limits.js';

/** A deadline to open: the store gives it its ticket and generation. */
export type NewDeadline = Pick<Deadline, 'name' | 'startedAt' | 'dueAt'>;

/** The due times a ticket carries beside its rows: the running generation's, for the card and the lists. */
export type DueColumns = Pick<Ticket, 'ackDueAt' | 'arriveDueAt' | 'resolveDueAt'>;

/** Every deadline a ticket may run against. */
export const DEADLINE_NAMES = ['ack', 'arrive', 'resolve', 'callback'] as const satisfies readonly DeadlineName[];

/** The deadlines the time-limit table sets at intake and whenever the clock starts again. */
export const TABLE_DEADLINES = ['ack', 'arrive', 'resolve'] as const satisfies readonly DeadlineName[];

/**
 * The rows of a generation that starts at `start` with the table's due times, and the ticket's
 * due columns from the very same times. The columns are written only from here (intake, a
 * restarted clock, a reclassification), in the transaction that writes the rows, so the two
 * cannot disagree.
 */
export function generationOf(d: Pick<Deadlines, 'ackDueAt' | 'arriveDueAt' | 'resolveDueAt'>, start: Date): { rows: NewDeadline[]; columns: DueColumns } {
  const columns: DueColumns = { ackDueAt: d.ackDueAt, arriveDueAt: d.arriveDueAt, resolveDueAt: d.resolveDueAt };
  const rows: NewDeadline[] = [];
  for (const name of TABLE_DEADLINES) {
    const dueAt = dueColumn(columns, name);
    if (dueAt) rows.push({ name, startedAt: start, dueAt });
  }
  return { rows, columns };
}

export function dueColumn(c: DueColumns, name: DeadlineName): Date | null {
  return name === 'ack' ? c.ackDueAt : name === 'arrive' ? c.arriveDueAt : name === 'resolve' ? c.resolveDueAt : null;
}

/**
 * How a deadline stood at `at`:
 * - `met`: its step was done by the due time (R29 "in time"); `met_late`: done, after it;
 * - `missed`: not done, and past due or its overdue alert fired;
 * - `open`: not done and not yet due (R29 "pending");
 * - `withdrawn`: its generation ended (reopen, transfer to another branch) or the ticket was
 *   withdrawn before it was done.
 * What happened after `at` does not count.
 */
export type DeadlineState = 'met' | 'met_late' | 'missed' | 'open' | 'withdrawn';

export function deadlineState(d: Pick<Deadline, 'dueAt' | 'metAt' | 'missedAt' | 'supersededAt'>, at: Date): DeadlineState {
  const t = at.getTime();
  if (d.metAt && d.metAt.getTime() <= t) return d.metAt.getTime() <= d.dueAt.getTime() ? 'met' : 'met_late';
  if (d.supersededAt && d.supersededAt.getTime() <= t) return 'withdrawn';
  if ((d.missedAt && d.missedAt.getTime() <= t) || d.dueAt.getTime() < t) return 'missed';
  return 'open';
}

/**
 * Whether a deadline still runs, so that its alerts have something to say: not met and not
 * withdrawn. A ticket with no running row of that name runs against none (a kind without the
 * limit, a withdrawn ticket): its alerts are fired as done and say nothing.
 */
export function deadlineRunning(d: Pick<Deadline, 'metAt' | 'supersededAt'> | null | undefined): boolean {
  return d !== null && d !== undefined && d.metAt === null && d.supersededAt === null;
}
