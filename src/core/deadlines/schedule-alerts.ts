/**
 * Stores a ticket's time-bound alerts (R7, R27, R2 督促): a warning before each deadline and
 * an overdue alert at it. The alerts live in the database so that a restart or a second
 * instance neither loses nor doubles them; the scheduler only wakes up to fire due rows.
 */
import type { Tx } from '../context.js';
import type { OrgConfig } from '../org/types.js';
import { insertRows } from '../../db/bulk-insert.js';
import { Params, type Provider } from '../../db/sql.js';

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

/** The warning and overdue alerts of a ticket's deadlines, as rows. */
export function alertRows(config: OrgConfig, t: DueTicket, now: Date, generation: string | number = 0) {
  const lead = config.escalation.warnLeadMinutes * 60_000;
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

export async function scheduleTicketAlerts(
  tx: Tx,
  provider: Provider,
  config: OrgConfig,
  t: DueTicket,
  now: Date,
  generation: string | number = 0,
): Promise<void> {
  // keys carry the generation, so storing the same alerts again is harmless
  await insertRows(tx, provider, 'ScheduledAlert', alertRows(config, t, now, generation), { ignoreConflictOn: 'key' });
}

/**
 * A step that meets a deadline (accepted, on site, resolved) removes its pending alerts.
 * Removed rather than flagged, so that the sweep's index holds only alerts that may still fire.
 */
export async function cancelTicketAlerts(tx: Tx, ticketId: number, deadlines: DeadlineName[], provider?: Provider): Promise<void> {
  if (!deadlines.length) return;
  const kinds = deadlines.flatMap((d) => ALERT_STAGES.map((s) => `${d}_${s}`));
  if (!provider) {
    await tx.scheduledAlert.deleteMany({ where: { ticketId, firedAt: null, kind: { in: kinds } } });
    return;
  }
  const p = new Params(provider);
  await tx.$executeRawUnsafe(`DELETE FROM "ScheduledAlert" WHERE "ticketId" = ${p.add(ticketId)} AND "firedAt" IS NULL AND "kind" IN ${p.list(kinds)}`, ...p.values);
}

export const ALERT_STAGES = ['warn', 'overdue', 'escalate2', 'escalate3'] as const;
