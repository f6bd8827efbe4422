/** The leaders' message of the 1st at 00:10: the month that ended is frozen, with the company's figures as frozen (R29, R30). */
import { percentFloor } from '../../../core/kpi/rate.js';
import { formatMinute } from '../../../core/local-time.js';
import type { KpiClosedPayload } from '../../../core/reports/kpi-close-report.js';
import { context, header, section, type Block } from './blocks.js';
import { tr, type RenderCtx } from './names.js';

export function kpiClosedMessage(ctx: RenderCtx, p: KpiClosedPayload): { text: string; blocks: Block[] } {
  const pct = (r: { numerator: number; denominator: number; rate: number | null }) =>
    r.rate === null ? '—' : `${percentFloor(r.rate)}% (${r.numerator}/${r.denominator})`;
  const title = tr(ctx, 'closed.report', { year: p.month.slice(0, 4), month: String(Number(p.month.slice(5, 7))) });
  const line = tr(ctx, 'closed.report_line', Object.fromEntries(Object.entries(p.rates).map(([k, r]) => [k, pct(r)])));
  return { text: title, blocks: [header(title), section(line), context([formatMinute(new Date(p.closedAt))])] };
}
