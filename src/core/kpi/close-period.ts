/**
 * Freezes a calendar month's assessment (八, R25-R30): the KpiReport computed as GET /api/kpi
 * computes it, stored as the month's snapshot. From then on every reading of the month shows
 * these figures (read-kpis.ts) and a change to one of its tickets is recorded beside them
 * (closed-period.ts). Closing is idempotent: a second close returns the first snapshot.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { KpiSnapshot } from '../model.js';
import { computeKpis } from './compute-kpis.js';
import { monthOfKey } from './closed-period.js';

/** How many R30 withdrawals a snapshot keeps listed (the total is always kept). */
export const SNAPSHOT_WITHDRAWN_LIMIT = 1000;

export interface ClosedMonth {
  snapshot: KpiSnapshot;
  /** false: the month was closed before, and this is the first snapshot */
  created: boolean;
}

/**
 * Closes the month `periodKey` (YYYY-MM, company time) for `by` (system | staff:<id> |
 * api:<client>). invalid_period for a malformed key; period_not_ended for a month still running
 * or still to come.
 */
export async function closePeriod(core: Core, periodKey: string, by: string): Promise<ClosedMonth> {
  const month = monthOfKey(periodKey);
  const now = core.clock.now();
  if (now < month.to) {
    throw new AppError('period_not_ended', `${periodKey} has not ended yet: it can be closed from ${month.to.toISOString()}`, {
      period: periodKey,
      endsAt: month.to.toISOString(),
    });
  }
  const first = await core.stores.kpiPeriods.snapshot(periodKey);
  if (first) return { snapshot: first, created: false };
  const report = await computeKpis(core, { from: month.from, to: month.to, withdrawnLimit: SNAPSHOT_WITHDRAWN_LIMIT });
  return core.stores.kpiPeriods.close({ periodKey, from: month.from, to: month.to, data: JSON.stringify(report), closedAt: now, closedBy: by });
}
