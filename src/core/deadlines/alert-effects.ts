/**
 * What each kind of alert does when it fires (R2 督促, R7, R8h, R8i, R8l, R27). Runs inside the
 * transaction that marks the alert fired, so the messages it owes are stored exactly once.
 * A deadline already met by the time it fires (the step raced the alert) does nothing.
 */
import type { Core, Tx } from '../context.js';
import { enqueue, outboxRow, type OutboxItem } from '../outbox/enqueue.js';
import type { ScheduledAlert, Ticket } from '../../db/generated/sqlite/client.js';
import { ALERT_STAGES, type DeadlineName } from '../deadlines/schedule-alerts.js';
import { buildReport } from '../reports/build-report.js';
import { insertRows } from '../../db/bulk-insert.js';
import { Params, toDate } from '../../db/sql.js';

function met(t: Ticket, d: DeadlineName): boolean {
  if (['closed', 'cancelled', 'duplicate', 'resolved', 'callback'].includes(t.status)) return true;
  if (d === 'ack') return t.acceptedAt !== null || t.status === 'accepted' || t.status === 'on_site';
  if (d === 'arrive') return t.arrivedAt !== null || t.status === 'on_site';
  return t.resolvedAt !== null;
}

/** Who is urged at each level: the assignee (or on-duty staff of the unit), the coordinator, the branch head, the HQ leader. */
function recipients(core: Core, t: Ticket, level: number): string[] {
  const { org } = core;
  if (!t.branchId) return org.staffOf(null, 'centre_agent').filter((s) => s.onDuty).map((s) => s.id);
  if (level === 0) {
    if (t.assigneeId) return [t.assigneeId];
    const unitStaff = org.config.staff.filter((s) => s.branchId === t.branchId && s.unitId === t.unitId && s.onDuty);
    return (unitStaff.length ? unitStaff : org.staffOf(t.branchId, 'branch_coordinator')).map((s) => s.id);
  }
  if (level === 1) return org.staffOf(t.branchId, 'branch_coordinator').map((s) => s.id);
  if (level === 2) return org.staffOf(t.branchId, 'leader').map((s) => s.id);
  return org.staffOf(null, 'leader').map((s) => s.id);
}

function channelFor(core: Core, t: Ticket, level: number): string | undefined {
  const c = core.org.config;
  if (level >= 3) return c.centre.channels.leaders;
  if (!t.branchId) return c.centre.channels.triage;
  const branch = core.org.branches.get(t.branchId);
  const unitChannel = t.unitId ? core.org.units.get(t.unitId)?.channel : undefined;
  return (level === 0 ? unitChannel : undefined) ?? branch?.channels.dispatch;
}

/** The rows a batch of deadline alerts writes. */
export interface DeadlineEffects {
  overdue: number[];
  events: { ticketId: number; at: Date; type: string; actor: string; note: string; data: string }[];
  next: { key: string; ticketId: number; kind: string; dueAt: Date; data: string | null }[];
  messages: ReturnType<typeof outboxRow>[];
}

export type AlertTicket = Pick<Ticket, 'id' | 'status' | 'acceptedAt' | 'arrivedAt' | 'resolvedAt' | 'branchId' | 'unitId' | 'assigneeId' | 'severity'>;

const ALERT_TICKET_FIELDS = ['id', 'status', 'acceptedAt', 'arrivedAt', 'resolvedAt', 'branchId', 'unitId', 'assigneeId', 'severity'] as const;

/** The ticket columns a deadline alert reads, for a SELECT; with `prefix`, from table t as "<prefix><column>". */
export function alertTicketColumns(prefix = ''): string {
  return ALERT_TICKET_FIELDS.map((c) => (prefix ? `t."${c}" AS "${prefix}${c}"` : `"${c}"`)).join(', ');
}

/** Those columns read back (named with `prefix`, as alertTicketColumns gave them). */
export function toAlertTicket(r: Record<string, unknown>, prefix = ''): AlertTicket {
  const v = (c: (typeof ALERT_TICKET_FIELDS)[number]) => r[prefix + c];
  return {
    id: Number(v('id')),
    status: String(v('status')),
    acceptedAt: toDate(v('acceptedAt')),
    arrivedAt: toDate(v('arrivedAt')),
    resolvedAt: toDate(v('resolvedAt')),
    branchId: (v('branchId') as string | null) ?? null,
    unitId: (v('unitId') as string | null) ?? null,
    assigneeId: (v('assigneeId') as string | null) ?? null,
    severity: String(v('severity')),
  };
}

/**
 * What a batch of deadline alerts does (a cold snap makes thousands due at once): pure, so that
 * the same plan is written through Prisma or, on SQLite, in one synchronous transaction.
 */
export function planDeadlineAlerts(core: Core, alerts: ScheduledAlert[], tickets: Map<number, AlertTicket>, now: Date): DeadlineEffects {
  const fx: DeadlineEffects = { overdue: [], events: [], next: [], messages: [] };
  const esc = core.org.config.escalation;
  const groups = new Map<string, Due[]>();
  const route = new Map<string, { channel: string | undefined; mention: string[] }>();
  for (const alert of alerts) {
    const [deadline, stage] = alert.kind.split('_') as [DeadlineName, (typeof ALERT_STAGES)[number]];
    const t = alert.ticketId ? tickets.get(alert.ticketId) : undefined;
    if (!t || met(t as Ticket, deadline)) continue;
    const level = { warn: 0, overdue: 1, escalate2: 2, escalate3: 3 }[stage];
    const data = alert.data ? JSON.parse(alert.data) : {};
    // who and where depend only on these, the same for most of a cold snap's batch
    const whoKey = `${t.branchId}|${t.unitId}|${t.assigneeId}|${level}`;
    let who = route.get(whoKey);
    if (!who) route.set(whoKey, (who = { channel: channelFor(core, t as Ticket, level), mention: recipients(core, t as Ticket, level) }));
    const channel = who.channel;
    if (channel) {
      const due: Due = { alert, channel, payload: { ticketId: t.id, level, stage, deadline, dueAt: data.dueAt, mention: who.mention } };
      const group = `${channel}|${deadline}|${stage}|${level}`;
      const same = groups.get(group);
      if (same) same.push(due);
      else groups.set(group, [due]);
    }
    if (stage === 'overdue') {
      fx.overdue.push(t.id);
      fx.events.push({ ticketId: t.id, at: now, type: 'overdue', actor: 'system', note: deadline, data: JSON.stringify({ deadline, dueAt: data.dueAt }) });
      // the next levels, each a set delay after the deadline (the HQ leader only for major events);
      // after downtime they are due at once and fire on the next sweep
      const levels = [{ stage: 'escalate2', after: esc.secondLevelAfterMinutes }];
      if (t.severity === 'major') levels.push({ stage: 'escalate3', after: esc.thirdLevelAfterMinutes });
      for (const n of levels) {
        fx.next.push({ key: alert.key.replace('_overdue:', `_${n.stage}:`), ticketId: t.id, kind: `${deadline}_${n.stage}`, dueAt: new Date(alert.dueAt.getTime() + n.after * 60_000), data: alert.data });
      }
    } else if (stage !== 'warn') {
      fx.events.push({ ticketId: t.id, at: now, type: 'escalated', actor: 'system', note: `${deadline}:${level}`, data: JSON.stringify({ deadline, level }) });
    }
  }
  for (const group of groups.values()) fx.messages.push(...alertMessages(group, now));
  return fx;
}

/** A due alert's message before grouping: its staff_alert payload and where it goes. */
interface Due {
  alert: ScheduledAlert;
  channel: string;
  payload: { ticketId: number; level: number; stage: string; deadline: DeadlineName; dueAt?: string; mention: string[] };
}

/** From this many alerts of one kind for one channel in a batch, they go as digests. */
export const DIGEST_FROM = 4;
/** Tickets per digest: one line each keeps a message well within Slack's 3,000 characters per section. */
export const DIGEST_SIZE = 20;

/**
 * The messages for the alerts of one channel with the same deadline, stage and level. A cold snap
 * makes thousands due at once and Slack takes about one message a second per channel, so past a
 * few they go as digests of up to DIGEST_SIZE tickets, calling everyone any of them calls.
 */
function alertMessages(group: Due[], now: Date): ReturnType<typeof outboxRow>[] {
  if (group.length < DIGEST_FROM) {
    return group.map((d) => outboxRow({ key: `alert:${d.alert.key}`, platform: 'slack', target: d.channel, kind: 'staff_alert', payload: d.payload }, now));
  }
  const rows: ReturnType<typeof outboxRow>[] = [];
  for (let i = 0; i < group.length; i += DIGEST_SIZE) {
    const chunk = group.slice(i, i + DIGEST_SIZE);
    const { level, stage, deadline } = chunk[0].payload;
    const payload = {
      level,
      stage,
      deadline,
      tickets: chunk.map((d) => ({ ticketId: d.payload.ticketId, dueAt: d.payload.dueAt })),
      mention: [...new Set(chunk.flatMap((d) => d.payload.mention))],
    };
    // each alert fires once, in the transaction that writes this row, and alert ids are never
    // reused (AUTOINCREMENT, SERIAL): the first one's id makes the key unique and stable
    const key = `alerts:${deadline}:${stage}:${chunk[0].channel}:${chunk[0].alert.id}`;
    rows.push(outboxRow({ key, platform: 'slack', target: chunk[0].channel, kind: 'staff_alert_digest', payload }, now));
  }
  return rows;
}

/** Deadline alerts through Prisma's raw path: one read of their tickets, one statement per table. */
export async function applyDeadlineAlerts(core: Core, tx: Tx, alerts: ScheduledAlert[], now: Date): Promise<void> {
  const ids = [...new Set(alerts.map((a) => a.ticketId).filter((id): id is number => id !== null))];
  const p = new Params(core.provider);
  const raw = ids.length ? await tx.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT ${alertTicketColumns()} FROM "Ticket" WHERE "id" IN ${p.list(ids)}`, ...p.values) : [];
  const fx = planDeadlineAlerts(core, alerts, new Map(raw.map((r) => [Number(r.id), toAlertTicket(r)])), now);
  if (fx.overdue.length) {
    const q = new Params(core.provider);
    await tx.$executeRawUnsafe(`UPDATE "Ticket" SET "overdueAt" = ${q.add(now)} WHERE "overdueAt" IS NULL AND "id" IN ${q.list(fx.overdue)}`, ...q.values);
  }
  await insertRows(tx, core.provider, 'TicketEvent', fx.events);
  await insertRows(tx, core.provider, 'ScheduledAlert', fx.next);
  await insertRows(tx, core.provider, 'OutboxMessage', fx.messages);
}

async function callbackAlert(core: Core, tx: Tx, alert: ScheduledAlert, now: Date): Promise<void> {
  const { callbackId } = JSON.parse(alert.data ?? '{}') as { callbackId: number };
  const cb = await tx.callback.findUnique({ where: { id: callbackId } });
  if (!cb || cb.status !== 'pending') return;
  const channel = core.org.config.centre.channels.callbacks;
  if (alert.kind === 'callback_bot_timeout') {
    // R8h: the resident did not answer the bot; a centre agent calls.
    await tx.callback.update({ where: { id: cb.id }, data: { channel: 'phone' } });
    if (channel) await enqueue(tx, now, [{ key: `cbt:${cb.id}`, platform: 'slack', target: channel, kind: 'callback_task', payload: { ticketId: cb.ticketId, callbackId: cb.id } }]);
    return;
  }
  if (channel) {
    await enqueue(tx, now, [
      { key: `alert:${alert.key}`, platform: 'slack', target: channel, kind: 'staff_alert', payload: { ticketId: cb.ticketId, level: 1, stage: 'overdue', deadline: 'callback', mention: recipients(core, { branchId: null } as Ticket, 1) } },
    ]);
  }
}

export const isDeadlineAlert = (a: ScheduledAlert) => !a.kind.startsWith('callback_') && !a.kind.startsWith('report_');

export async function applyAlert(core: Core, tx: Tx, alert: ScheduledAlert, now: Date): Promise<void> {
  if (alert.kind.startsWith('callback_')) return callbackAlert(core, tx, alert, now);
  if (alert.kind.startsWith('report_')) return buildReport(core, tx, alert, now);
  return applyDeadlineAlerts(core, tx, [alert], now);
}
