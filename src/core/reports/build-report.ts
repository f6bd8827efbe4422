/**
 * The numbers of a scheduled report, computed when it fires and stored in the outbox row, so
 * that a late delivery still says what was true at the time.
 */
import type { Core, Tx } from '../context.js';
import { enqueue, type OutboxItem } from '../outbox/enqueue.js';
import { localParts, zonedTimeToUtc } from '../local-time.js';
import type { ScheduledAlert } from '../../db/generated/sqlite/client.js';
import { ensureReportScheduled, type ReportKind } from './schedule-reports.js';

export interface DailyNumbers {
  newTickets: number;
  finished: number;
  overdueOpen: number;
  callbacksDone: number;
  satisfied: number;
  suggestions: number;
}

const count = (rows: { branchId: string | null; _count: { _all: number } }[], b: string | null) =>
  rows.filter((r) => b === undefined || r.branchId === b).reduce((n, r) => n + r._count._all, 0);

async function daily(core: Core, tx: Tx, from: Date, to: Date) {
  const inDay = { gte: from, lt: to };
  const [created, finished, overdue, suggestions] = await Promise.all([
    tx.ticket.groupBy({ by: ['branchId'], where: { createdAt: inDay }, _count: { _all: true } }),
    tx.ticket.groupBy({ by: ['branchId'], where: { resolvedAt: inDay }, _count: { _all: true } }),
    tx.ticket.groupBy({ by: ['branchId'], where: { overdueAt: { not: null }, status: { in: ['received', 'dispatched', 'accepted', 'on_site'] } }, _count: { _all: true } }),
    tx.ticket.groupBy({ by: ['branchId'], where: { createdAt: inDay, kind: 'suggestion' }, _count: { _all: true } }),
  ]);
  const callbacks = await tx.callback.findMany({ where: { answeredAt: inDay, status: 'answered' }, select: { result: true, ticket: { select: { branchId: true } } } });
  const numbers = (b: string | null): DailyNumbers => {
    const cbs = callbacks.filter((c) => c.ticket.branchId === b);
    return {
      newTickets: count(created, b),
      finished: count(finished, b),
      overdueOpen: count(overdue, b),
      callbacksDone: cbs.length,
      satisfied: cbs.filter((c) => c.result === 'satisfied' || c.result === 'fairly').length,
      suggestions: count(suggestions, b),
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

export async function buildReport(core: Core, tx: Tx, alert: ScheduledAlert, now: Date): Promise<void> {
  const kind = alert.kind as ReportKind;
  const date = alert.key.split(':')[1];
  const items: OutboxItem[] = [];
  const leaders = core.org.config.centre.channels.leaders;
  if (kind === 'report_daily') {
    const p = localParts(new Date(alert.dueAt.getTime() - 12 * 3600_000));
    const from = zonedTimeToUtc({ year: p.year, month: p.month, day: p.day });
    const to = zonedTimeToUtc({ year: p.year, month: p.month, day: p.day + 1 });
    const { branches, total } = await daily(core, tx, from, to);
    for (const b of branches) {
      const ch = core.org.branches.get(b.branchId)?.channels;
      const target = ch?.reports ?? ch?.dispatch;
      if (target) items.push({ key: `report:${alert.key}:${b.branchId}`, platform: 'slack', target, kind: 'report', payload: { report: 'daily', date, from, to, branchId: b.branchId, numbers: b } });
    }
    if (leaders) items.push({ key: `report:${alert.key}:company`, platform: 'slack', target: leaders, kind: 'report', payload: { report: 'daily', date, from, to, branchId: null, numbers: total, branches } });
  } else if (kind === 'report_monthly') {
    // the month that just ended; the Slack app renders its KPIs when it delivers
    const [y, m] = date.split('-').map(Number);
    const month = m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
    if (leaders) items.push({ key: `report:${alert.key}:company`, platform: 'slack', target: leaders, kind: 'report', payload: { report: 'monthly_kpi', date, month } });
  } else {
    // R8l: forms go back to HQ within half a month.
    const cutoff = new Date(now.getTime() - 15 * 86_400_000);
    const forms = await tx.serviceForm.findMany({
      where: { hqReturnedAt: null, serviceDate: { lt: cutoff } },
      select: { serviceDate: true, ticket: { select: { number: true, branchId: true } } },
      orderBy: { serviceDate: 'asc' },
      take: 2000,
    });
    const byBranch = new Map<string, string[]>();
    for (const f of forms) byBranch.set(f.ticket.branchId ?? '', [...(byBranch.get(f.ticket.branchId ?? '') ?? []), f.ticket.number]);
    for (const [branchId, numbers] of byBranch) {
      const ch = core.org.branches.get(branchId)?.channels;
      const target = ch?.reports ?? ch?.dispatch;
      if (target) items.push({ key: `report:${alert.key}:${branchId}`, platform: 'slack', target, kind: 'report', payload: { report: 'forms', date, branchId, numbers } });
    }
    if (leaders) items.push({ key: `report:${alert.key}:company`, platform: 'slack', target: leaders, kind: 'report', payload: { report: 'forms', date, branchId: null, count: forms.length, byBranch: Object.fromEntries([...byBranch].map(([b, n]) => [b, n.length])) } });
  }
  await enqueue(tx, now, items);
  await ensureReportScheduled(tx, kind, alert.dueAt);
}
