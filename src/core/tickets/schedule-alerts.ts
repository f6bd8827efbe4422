/**
 * Stores a ticket's time-bound alerts (R7, R27, R2 督促): a warning before each deadline and
 * an overdue alert at it. The alerts live in the database so that a restart or a second
 * instance neither loses nor doubles them; the scheduler only wakes up to fire due rows.
 */
import type { Tx } from '../context.js';
import type { OrgConfig } from '../org/types.js';

interface DueTicket {
  id: number;
  ackDueAt: Date | null;
  arriveDueAt: Date | null;
  resolveDueAt: Date | null;
}

export const DEADLINES = ['ack', 'arrive', 'resolve'] as const;
export type DeadlineName = (typeof DEADLINES)[number];

export function dueOf(t: DueTicket, d: DeadlineName): Date | null {
  return d === 'ack' ? t.ackDueAt : d === 'arrive' ? t.arriveDueAt : t.resolveDueAt;
}

export async function scheduleTicketAlerts(tx: Tx, config: OrgConfig, t: DueTicket, now: Date, generation: string | number = 0): Promise<void> {
  const lead = config.escalation.warnLeadMinutes * 60_000;
  for (const d of DEADLINES) {
    const due = dueOf(t, d);
    if (!due) continue;
    const rows = [
      { kind: `${d}_warn`, dueAt: new Date(Math.max(due.getTime() - lead, now.getTime())) },
      { kind: `${d}_overdue`, dueAt: due },
    ];
    for (const r of rows) {
      const key = `ticket:${t.id}:${r.kind}:${generation}`;
      await tx.scheduledAlert.upsert({
        where: { key },
        create: { key, ticketId: t.id, kind: r.kind, dueAt: r.dueAt, data: JSON.stringify({ deadline: d, dueAt: due }) },
        update: {},
      });
    }
  }
}

/**
 * A step that meets a deadline (accepted, on site, resolved) removes its pending alerts.
 * Removed rather than flagged, so that the sweep's index holds only alerts that may still fire.
 */
export async function cancelTicketAlerts(tx: Tx, ticketId: number, deadlines: DeadlineName[]): Promise<void> {
  if (!deadlines.length) return;
  await tx.scheduledAlert.deleteMany({
    where: { ticketId, firedAt: null, kind: { in: deadlines.flatMap((d) => ALERT_STAGES.map((s) => `${d}_${s}`)) } },
  });
}

export const ALERT_STAGES = ['warn', 'overdue', 'escalate2', 'escalate3'] as const;
