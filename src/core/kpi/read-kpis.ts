/**
 * The assessment of a period as everyone reads it (API, CSV, dashboard, Slack, the monthly
 * report): a closed calendar month is its frozen snapshot, never computed again, with the
 * adjustments made after the close beside it; any other period is computed live, and says which
 * closed months it overlaps (those parts are the live figures, not the frozen ones).
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { KpiAdjustment } from '../model.js';
import { computeKpis, type KpiReport } from './compute-kpis.js';
import { periodKeyOf } from './closed-period.js';
import { calendarMonth, monthsIn, type Period } from './period.js';

export interface FrozenInfo {
  periodKey: string;
  closedAt: Date;
  /** system | staff:<id> | api:<client> */
  closedBy: string;
  /** the changes after the close that would have altered the figures, oldest first */
  adjustments: KpiAdjustment[];
  /** how many adjustments each branch's figures have (null: the centre's) */
  adjustedByBranch: { branchId: string | null; count: number }[];
}

export interface KpiReading {
  report: KpiReport;
  /** set when the period is a closed month: the figures are its snapshot's */
  frozen: FrozenInfo | null;
  /** a live period's closed months (YYYY-MM) it overlaps, whose frozen figures may differ */
  overlapsClosed: string[];
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A stored report with its instants as Dates again. */
export function parseSnapshot(data: string): KpiReport {
  return JSON.parse(data, (_k, v) => (typeof v === 'string' && ISO_INSTANT.test(v) ? new Date(v) : v)) as KpiReport;
}

/** Whether the period is exactly one calendar month (company time). */
function isCalendarMonth(p: Period): boolean {
  const m = calendarMonth(Number(p.firstDay.slice(0, 4)), Number(p.firstDay.slice(5, 7)));
  return m.from.getTime() === p.from.getTime() && m.to.getTime() === p.to.getTime();
}

/** Only a branch's row and lines, as computeKpis gives them for a branch (the company row stays whole). */
function forBranch(r: KpiReport, branchId: string): KpiReport {
  const rows = r.branches.filter((b) => b.branchId === branchId);
  const lists = Object.fromEntries(
    Object.entries(r)
      .filter(([, v]) => v && typeof v === 'object' && Array.isArray((v as { items?: unknown }).items))
      .map(([k, v]) => {
        const items = (v as { items: { branchId?: string | null }[] }).items.filter((i) => i.branchId === branchId);
        return [k, { total: items.length, items }];
      }),
  );
  return { ...r, ...lists, branches: rows, centre: null } as KpiReport;
}

export async function readKpis(core: Core, period: Period, q: { branchId?: string; withdrawnLimit?: number } = {}): Promise<KpiReading> {
  if (q.branchId && !core.org.branches.has(q.branchId)) {
    throw new AppError('unknown_branch', `no branch ${q.branchId}`, { branch: q.branchId, field: 'branch' });
  }
  const s = core.stores.kpiPeriods;
  if (isCalendarMonth(period)) {
    const key = periodKeyOf(period.from);
    const snapshot = key === periodKeyOf(core.clock.now()) ? null : await s.snapshot(key);
    if (snapshot) {
      const all = parseSnapshot(snapshot.data);
      const adjustments = await s.adjustments(key, { branchId: q.branchId });
      const counts = new Map<string | null, number>();
      for (const a of adjustments) counts.set(a.branchId, (counts.get(a.branchId) ?? 0) + 1);
      return {
        report: q.branchId ? forBranch(all, q.branchId) : all,
        frozen: {
          periodKey: key,
          closedAt: snapshot.closedAt,
          closedBy: snapshot.closedBy,
          adjustments,
          adjustedByBranch: [...counts].map(([branchId, count]) => ({ branchId, count })),
        },
        overlapsClosed: [],
      };
    }
  }
  const report = await computeKpis(core, { from: period.from, to: period.to, branchId: q.branchId, withdrawnLimit: q.withdrawnLimit });
  const now = core.clock.now();
  const running = periodKeyOf(now);
  const keys = [
    ...new Set(
      monthsIn(period)
        .filter((m) => m.from < now)
        .map((m) => periodKeyOf(m.from)),
    ),
  ].filter((k) => k !== running);
  // the running month cannot be closed: a report of this month alone reads nothing more
  const closed = keys.length ? new Set((await s.closed()).map((c) => c.periodKey)) : new Set<string>();
  return { report, frozen: null, overlapsClosed: keys.filter((k) => closed.has(k)) };
}
