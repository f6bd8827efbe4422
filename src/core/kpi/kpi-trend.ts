/** The assessment month by month over a heating season (or any period), for trend charts. */
import type { Core } from '../context.js';
import type { KpiReport } from './compute-kpis.js';
import { readKpis } from './read-kpis.js';
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
    // a chart draws the rates only: no R30 list per month; a closed month draws its frozen figures
    points.push({ period: month, report: (await readKpis(core, month, { branchId, withdrawnLimit: 0 })).report });
  }
  return points;
}
