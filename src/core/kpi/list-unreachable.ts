/**
 * R28, R30: the customers a callback could not reach in a period (three counted "not reached"
 * attempts, each at least escalation.callbackRetrySpacing after the last), for the leaders: a
 * customer left out of the satisfaction survey is a name on a list, not a number that vanished.
 * Placed by the branch holding the ticket at the end of the period.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { UnreachableRow } from '../ports/kpi-reads.js';

export interface UnreachableQuery {
  from: Date;
  to: Date;
  branchId?: string;
  /** default 500; the total says when there were more */
  limit?: number;
}

export const UNREACHABLE_LIMIT = 500;

export async function listUnreachable(core: Core, q: UnreachableQuery): Promise<{ total: number; items: UnreachableRow[] }> {
  if (!(q.from.getTime() < q.to.getTime())) throw new AppError('invalid_period', 'from must be before to', { field: 'from' });
  if (q.branchId && !core.org.branches.has(q.branchId)) {
    throw new AppError('unknown_branch', `no branch ${q.branchId}`, { branch: q.branchId, field: 'branch' });
  }
  const { total, rows } = await core.stores.kpis.unreachable({ from: q.from, to: q.to, branchId: q.branchId, limit: q.limit ?? UNREACHABLE_LIMIT });
  return { total, items: rows };
}
