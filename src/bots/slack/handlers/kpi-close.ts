/**
 * `/kpi close YYYY-MM`: a company leader or an administrator freezes a month that has ended
 * (R29, R30; core/kpi/close-period.ts), e.g. when the 1st's automatic close did not run. Closing
 * the company's figures is the company's decision: a branch head, like other staff, is refused.
 */
import { isAppError } from '../../../core/errors.js';
import { closePeriod } from '../../../core/kpi/close-period.js';
import { monthOfKey } from '../../../core/kpi/closed-period.js';
import { formatMinute } from '../../../core/local-time.js';
import type { Staff } from '../../../core/org/types.js';
import { whoText } from '../../slack-kpi/frozen-blocks.js';
import { actorOf, renderCtx, type SlackDeps } from '../kit.js';
import { tr } from '../render/names.js';

/** `close 2026-11` after /kpi. */
export const KPI_CLOSE = /^close(\s+|$)/i;

/** Who may close a month: the company's leaders (no branch) and administrators. */
export function mayClosePeriods(staff: Staff): boolean {
  return staff.role === 'admin' || (staff.role === 'leader' && staff.branchId === null);
}

/** The reply to /kpi close …, in words. */
export async function kpiCloseReply(d: SlackDeps, staff: Staff, text: string): Promise<string> {
  const ctx = renderCtx(d);
  if (!mayClosePeriods(staff)) return tr(ctx, 'closed.refused');
  const key = text.replace(KPI_CLOSE, '').trim();
  try {
    monthOfKey(key);
  } catch (e) {
    if (isAppError(e, 'invalid_period')) return tr(ctx, 'closed.usage');
    throw e;
  }
  const month = { year: key.slice(0, 4), month: String(Number(key.slice(5, 7))) };
  try {
    const { snapshot, created } = await closePeriod(d.core, key, actorOf(staff));
    const vars = { ...month, closedAt: formatMinute(snapshot.closedAt), who: whoText(d.core, ctx.locale, snapshot.closedBy) };
    return tr(ctx, created ? 'closed.closed' : 'closed.already', vars);
  } catch (e) {
    if (isAppError(e, 'period_not_ended')) return tr(ctx, 'closed.not_ended', month);
    throw e;
  }
}
