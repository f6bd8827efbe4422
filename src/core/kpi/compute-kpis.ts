/**
 * The assessment of 八 (R27-R30, R32/R33) per branch and for the company over [from, to),
 * from counts the database makes (the KPI store: two grouped queries over indexed columns,
 * never the tickets in memory). The decisions behind each number are in docs/kpi.md; in short:
 *
 * - A ticket belongs to the period it was created in, and to the branch that held it at the
 *   end of the period (after a transfer: the branch that took it over and finished it).
 * - Cancelled tickets are in no denominator of the periods that ended after the cancel; a
 *   ticket cancelled after its period still counts in it. A duplicate (marked with a reason, kept
 *   pointing at its original) is a repair request of its own for R27, timely when its original
 *   was; R29 counts the complaint once, as the original; marked after the period, it was a
 *   complaint of its own in it. A duplicate whose resident reopens it is a complaint of its own
 *   from then on (tickets/follow-original.ts). Every repair request counts for R27: duplicates
 *   and reports linked to an incident (judged by the incident's repair) included.
 * - R27 "timely" for a secondary fault is staff on site within the hour (a fault solved on the
 *   phone is not a visit), judged by the scope the report had when that hour ended: a later
 *   reclassification does not make a late repair timely.
 * - Everything is judged as it stood at the end of the period (or now, for a running period):
 *   a complaint still open then is assigned but not finished; if its deadline had not yet
 *   passed it is also counted as pending.
 * - R28 counts customers, not answers: each customer once per period (and per branch), by
 *   their latest answer in the period; 满意 and 基本满意 are satisfied; unreached callbacks
 *   are not surveyed; a "not reached" attempt counts only when spaced (record-callback.ts), and
 *   the customers not reached are listed (list-unreachable.ts).
 * - R30: beside reopened complaints, the transfers out of each branch and the complaints that
 *   repeat an earlier one of the same customer and category (tickets/repeat-of.ts).
 */
import type { Core } from '../context.js';
import { noComplaintCounts, type ComplaintCounts, type UnreachableRow, type WithdrawalRow } from '../ports/kpi-reads.js';
import { AppError } from '../errors.js';
import { HOUR } from '../clock.js';
import { makeRate, type Rate } from './rate.js';

/** R27: the complaint categories that are repair requests (billing and conduct are not). */
export const REPAIR_CATEGORIES = ['no_heat', 'leak', 'noise_pressure'] as const;
/** R27: primary-network faults repaired within 24 h; secondary / indoor: on site within 1 h. */
export const PRIMARY_REPAIR_MS = 24 * HOUR;
export const SECONDARY_ONSITE_MS = 1 * HOUR;
/** R28, R29: the answers that count as satisfied. */
export const SATISFIED_ANSWERS = ['satisfied', 'fairly'] as const;

export interface KpiRow {
  /** null: tickets that no branch held at the end of the period (still in the centre's triage queue) */
  branchId: string | null;
  repairTimeliness: Rate;
  satisfaction: Rate;
  complaintTimeliness: Rate;
  complaintCompletion: Rate;
  complaintSatisfaction: Rate;
  /** R30: complaints of the period that were reopened (the customer complained again) */
  reopened: number;
  /** R32/R33: confirmed complaints about a staff member's conduct */
  conductConfirmed: number;
  /** R30 passing the buck: transfers of the period's tickets out of this branch to another, before the end */
  transfersOut: number;
  /** R30: complaints of the period that repeat an earlier one of the same customer and category (30 days) */
  repeats: number;
  /**
   * The customer's whole wait: the mean of the minutes from the first report to the resolve
   * that stood at the end of the period, over the finished complaints, across reopens and
   * transfers (whichever deadline each round ran against); null when none was finished.
   */
  customerWaitMinutes: number | null;
}

export interface KpiReport {
  from: Date;
  to: Date;
  /** the moment things were judged at: the end of the period, or now if that is earlier */
  asOf: Date;
  branches: KpiRow[];
  /** complaints no branch held at the end of the period; null when there were none */
  centre: KpiRow | null;
  company: KpiRow;
  /**
   * R30: tickets of the period a person cancelled, marked as a duplicate or linked to an incident,
   * each with the reason and who did it, so that withdrawing a ticket to improve a rate is seen;
   * `items` holds the first `withdrawnLimit` in the order they were done, `total` all of them.
   */
  withdrawn: { total: number; items: WithdrawalRow[] };
  /** R28, R30: callbacks of the period that reached no one after the counted attempts (the first `withdrawnLimit`) */
  unreachable: { total: number; items: UnreachableRow[] };
}

export interface KpiQuery {
  from: Date;
  to: Date;
  /** only this branch's row (the company row is still the whole company) */
  branchId?: string;
  /** how many withdrawals and unreachable callbacks to list (R30); default 100, 0 for none (a trend's months) */
  withdrawnLimit?: number;
}

/** The R30 list's default length: a month of one city's cancellations fits; the total says if more. */
export const WITHDRAWN_LIMIT = 100;

/** A branch's counts: its complaints' (the store's) and its customers' survey (R28). */
type Counts = Omit<ComplaintCounts, 'branchId'> & { surveyed: number; surveyedSatisfied: number; transfersOut: number };

const { branchId: _none, ...NO_COMPLAINTS } = noComplaintCounts(null);
const ZERO: Counts = { ...NO_COMPLAINTS, transfersOut: 0, surveyed: 0, surveyedSatisfied: 0 };

function toRow(branchId: string | null, c: Counts): KpiRow {
  return {
    branchId,
    repairTimeliness: makeRate('repairTimeliness', c.repairsTimely, c.repairs, c.repairsPending),
    satisfaction: makeRate('satisfaction', c.surveyedSatisfied, c.surveyed),
    complaintTimeliness: makeRate('complaintTimeliness', c.inTime, c.assigned, c.pending),
    complaintCompletion: makeRate('complaintCompletion', c.finished, c.assigned, c.pending),
    complaintSatisfaction: makeRate('complaintSatisfaction', c.satisfied, c.assigned),
    reopened: c.reopened,
    conductConfirmed: c.conduct,
    transfersOut: c.transfersOut,
    repeats: c.repeats,
    customerWaitMinutes: c.finished ? Math.round(c.waitMinutes / c.finished) : null,
  };
}

const KEY_OF_NULL = '\u0000centre';

const COMPLAINT_COUNTS = [
  'repairs',
  'repairsTimely',
  'repairsPending',
  'assigned',
  'finished',
  'inTime',
  'pending',
  'satisfied',
  'reopened',
  'conduct',
  'repeats',
  'waitMinutes',
] as const satisfies readonly (keyof ComplaintCounts & keyof Counts)[];

export async function computeKpis(core: Core, q: KpiQuery): Promise<KpiReport> {
  if (!(q.from.getTime() < q.to.getTime())) throw new AppError('invalid_period', 'from must be before to', { field: 'from' });
  if (q.branchId && !core.org.branches.has(q.branchId)) {
    throw new AppError('unknown_branch', `no branch ${q.branchId}`, { branch: q.branchId, field: 'branch' });
  }
  const now = core.clock.now();
  const asOf = now < q.to ? now : q.to;
  const limit = q.withdrawnLimit ?? WITHDRAWN_LIMIT;
  const none = { total: 0, rows: [] };
  const [tickets, surveys, withdrawn, transfers, unreachable] = await Promise.all([
    core.stores.kpis.complaintCounts({ from: q.from, to: q.to, asOf }),
    core.stores.kpis.surveyCounts({ from: q.from, to: q.to }),
    limit > 0 ? core.stores.kpis.withdrawals({ from: q.from, to: q.to, branchId: q.branchId, limit }) : none,
    core.stores.kpis.transfersOut({ from: q.from, to: q.to }),
    limit > 0 ? core.stores.kpis.unreachable({ from: q.from, to: q.to, branchId: q.branchId, limit }) : none,
  ]);

  const byBranch = new Map<string, Counts>();
  const counts = (branch: string | null) => {
    const key = branch ?? KEY_OF_NULL;
    let c = byBranch.get(key);
    if (!c) byBranch.set(key, (c = { ...ZERO }));
    return c;
  };
  const company = { ...ZERO };
  for (const r of tickets) {
    const c = counts(r.branchId);
    for (const k of COMPLAINT_COUNTS) {
      c[k] = r[k];
      company[k] += r[k];
    }
  }
  for (const r of surveys.branches) {
    const c = counts(r.branchId);
    c.surveyed = r.surveyed;
    c.surveyedSatisfied = r.satisfied;
  }
  for (const r of transfers) {
    counts(r.branchId).transfersOut = r.count;
    company.transfersOut += r.count;
  }
  company.surveyed = surveys.company.surveyed;
  company.surveyedSatisfied = surveys.company.satisfied;

  const known = [...core.org.branches.keys()];
  // Branches that have left the organisation file still had their tickets: keep them visible.
  const former = [...byBranch.keys()].filter((k) => k !== KEY_OF_NULL && !core.org.branches.has(k)).sort();
  const wanted = q.branchId ? [q.branchId] : [...known, ...former];
  const centre = byBranch.get(KEY_OF_NULL);
  return {
    from: q.from,
    to: q.to,
    asOf,
    branches: wanted.map((id) => toRow(id, byBranch.get(id) ?? ZERO)),
    centre: centre && !q.branchId ? toRow(null, centre) : null,
    company: toRow(null, company),
    withdrawn: { total: withdrawn.total, items: withdrawn.rows },
    unreachable: { total: unreachable.total, items: unreachable.rows },
  };
}
