/**
 * At 00:10 on the 1st the month that just ended is closed (core/kpi/close-period.ts): its KPIs
 * are frozen before anyone reads them, and the leaders are told so with the company's figures
 * as frozen. A second firing (another instance, a restart) finds the month closed and sends the
 * same message under the same key, which the outbox keeps once.
 */
import type { MonthlyBuilder } from './monthly-builder.js';
import { closePeriod } from '../kpi/close-period.js';
import { parseSnapshot } from '../kpi/read-kpis.js';
import { RATE_NAMES, type RateName } from '../kpi/rate.js';

/** What the leaders' message says: the month, when and by whom it was frozen, and the company's rates. */
export interface KpiClosedPayload {
  report: 'kpi_closed';
  month: string;
  closedAt: string;
  closedBy: string;
  rates: Record<RateName, { numerator: number; denominator: number; rate: number | null }>;
}

export const kpiCloseReport: MonthlyBuilder = async (core, occurrence) => {
  const { snapshot } = await closePeriod(core, occurrence.month, 'system');
  const target = core.org.config.centre.channels.leaders;
  if (!target) return [];
  const company = parseSnapshot(snapshot.data).company;
  const payload: KpiClosedPayload = {
    report: 'kpi_closed',
    month: occurrence.month,
    closedAt: snapshot.closedAt.toISOString(),
    closedBy: snapshot.closedBy,
    rates: Object.fromEntries(
      RATE_NAMES.map((n) => [n, { numerator: company[n].numerator, denominator: company[n].denominator, rate: company[n].rate }]),
    ) as KpiClosedPayload['rates'],
  };
  return [{ key: `report:${occurrence.key}:company`, platform: 'slack', target, kind: 'report', payload: payload as unknown as Record<string, unknown> }];
};
