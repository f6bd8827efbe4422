/** The assessment month by month over a heating season (or any period), for trend charts. */
import type { Core } from '../context.js';
import { computeKpis, type KpiReport } from './compute-kpis.js';
import { monthsIn, type Period } from './period.js';

export interface TrendPoint {
  period: Period;
  report: KpiReport;
}

/** One report per calendar month of `span` that has begun; months still to come are left out. */
export async function kpiTrend(core: Core, span: Period, branchId?: string): Promise<TrendPoint[]> {
  const now = core.clock.now();
  const points: TrendPoint[] = [];
  for (const month of monthsIn(span)) {
    if (month.from > now) break;
    // a chart draws the rates only: no R30 list per month
    points.push({ period: month, report: await computeKpis(core, { from: month.from, to: month.to, branchId, withdrawnLimit: 0 }) });
  }
  return points;
}
