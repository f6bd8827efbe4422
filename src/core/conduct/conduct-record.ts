/**
 * Each staff member's conduct record (R31-R33): the findings about them with counts per finding,
 * for the dashboard and the API. Only the company's leaders, admins and the operator read it
 * (a branch head, a leader too, reads their own branch's staff); the centre's agents, who
 * investigate, and every other branch role are refused.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { CONDUCT_FINDINGS, type ConductFindingKind } from '../model.js';
import type { ConductFindingRow } from '../ports/conduct-store.js';
import { OPERATOR, type DashboardScope } from '../staff/dashboard-scope.js';

export interface StaffConduct {
  staffId: string;
  /** their branch at the time of the latest finding (null: the centre) */
  branchId: string | null;
  counts: Record<ConductFindingKind, number>;
  findings: ConductFindingRow[];
}

export interface ConductRecord {
  month: string | null;
  staffId: string | null;
  /** null: every branch */
  branchId: string | null;
  staff: StaffConduct[];
}

const READERS: readonly string[] = ['leader', 'admin', OPERATOR];

export const mayReadConduct = (scope: Pick<DashboardScope, 'role'>): boolean => READERS.includes(scope.role);

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export async function conductRecord(core: Core, scope: DashboardScope, q: { month?: string; staffId?: string }): Promise<ConductRecord> {
  if (!mayReadConduct(scope)) throw new AppError('forbidden', `${scope.staffId} may not read conduct records`, { reason: 'leaders_only' });
  const month = q.month?.trim() || undefined;
  if (month && !MONTH.test(month)) throw new AppError('validation_failed', 'month: YYYY-MM', { field: 'month' });
  const staffId = q.staffId?.trim() || undefined;
  const rows = await core.stores.conduct.list({ month, staffId, branchId: scope.branchId ?? undefined });
  const byStaff = new Map<string, StaffConduct>();
  for (const r of rows) {
    const s = byStaff.get(r.staffId) ?? {
      staffId: r.staffId,
      branchId: r.branchId,
      counts: Object.fromEntries(CONDUCT_FINDINGS.map((f) => [f, 0])) as Record<ConductFindingKind, number>,
      findings: [],
    };
    s.counts[r.finding] += 1;
    s.findings.push(r);
    s.branchId = r.branchId;
    byStaff.set(r.staffId, s);
  }
  return { month: month ?? null, staffId: staffId ?? null, branchId: scope.branchId, staff: [...byStaff.values()] };
}
