/**
 * A ticket's time-bound alerts as rows (R7, R27, R2 督促): a warning before each deadline and
 * an overdue alert at it. The alerts live in the database so that a restart or a second
 * instance neither loses nor doubles them; the scheduler only wakes up to fire due rows.
 */
import { escalationOf } from '../org/branch-rules.js';
import type { OrgConfig } from '../org/types.js';

interface DueTicket {
  id: number;
  /** the branch whose warning lead applies (九); absent or null: the company's */
  branchId?: string | null;
  ackDueAt: Date | null;
  arriveDueAt: Date | null;
  resolveDueAt: Date | null;
}

export const DEADLINES = ['ack', 'arrive', 'resolve'] as const;
/** The deadlines a ticket gets when it is filed (the callback's opens at the resolve: model.ts DeadlineName). */
export type TicketDeadline = (typeof DEADLINES)[number];

export function dueOf(t: DueTicket, d: TicketDeadline): Date | null {
  return d === 'ack' ? t.ackDueAt : d === 'arrive' ? t.arriveDueAt : t.resolveDueAt;
}

/** The warning and overdue alerts of a ticket's deadlines, as rows. */
export function alertRows(config: OrgConfig, t: DueTicket, now: Date, generation: string | number = 0) {
  const lead = escalationOf(config, t.branchId).warnLeadMinutes * 60_000;
  const rows: { key: string; ticketId: number; kind: string; dueAt: Date; data: string }[] = [];
  for (const d of DEADLINES) {
    const due = dueOf(t, d);
    if (!due) continue;
    const data = JSON.stringify({ deadline: d, dueAt: due });
    // A reminder only when it comes before the deadline and after the ticket arrived: a limit no
    // longer than the lead (accept within 15 minutes, reminded 15 minutes before) would remind
    // the channel the moment the card is posted, which the card itself already does.
    const warnAt = due.getTime() - lead;
    if (warnAt > now.getTime()) rows.push({ key: `ticket:${t.id}:${d}_warn:${generation}`, ticketId: t.id, kind: `${d}_warn`, dueAt: new Date(warnAt), data });
    rows.push({ key: `ticket:${t.id}:${d}_overdue:${generation}`, ticketId: t.id, kind: `${d}_overdue`, dueAt: due, data });
  }
  return rows;
}

export const ALERT_STAGES = ['warn', 'overdue', 'escalate2', 'escalate3'] as const;

/**
 * The alert kinds of deadlines: those a step that meets them removes (accepted, on site,
 * resolved), and, for all three, those a restarted clock replaces. Removed rather than flagged,
 * so that the sweep's index holds only alerts that may still fire.
 */
export function deadlineAlertKinds(deadlines: readonly TicketDeadline[] = DEADLINES): string[] {
  return deadlines.flatMap((d) => ALERT_STAGES.map((s) => `${d}_${s}`));
}
