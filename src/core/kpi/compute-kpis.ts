/**
 * The assessment of 八 (R27-R30, R32/R33) per branch and for the company over [from, to),
 * computed in the database: two grouped queries over indexed columns, never the tickets in
 * memory. The decisions behind each number are in docs/kpi.md; in short:
 *
 * - A ticket belongs to the period it was created in, and to the branch that held it at the
 *   end of the period (after a transfer: the branch that took it over and finished it).
 * - Cancelled and duplicate tickets are in no denominator.
 * - Everything is judged as it stood at the end of the period (or now, for a running period):
 *   a complaint still open then is assigned but not finished; if its deadline had not yet
 *   passed it is also counted as pending.
 * - R28 counts customers, not answers: each customer once per period (and per branch), by
 *   their latest answer in the period; 满意 and 基本满意 are satisfied; unreached callbacks
 *   are not surveyed.
 */
import { Prisma } from '../../db/generated/sqlite/client.js';
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { HOUR } from '../clock.js';
import { makeRate, type Rate } from './rate.js';
import { dialectOf, num, type Dialect } from './sql-dialect.js';

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
}

export interface KpiQuery {
  from: Date;
  to: Date;
  /** only this branch's row (the company row is still the whole company) */
  branchId?: string;
}

interface Counts {
  repairs: number;
  repairsTimely: number;
  repairsPending: number;
  assigned: number;
  finished: number;
  inTime: number;
  pending: number;
  satisfied: number;
  reopened: number;
  conduct: number;
  surveyed: number;
  surveyedSatisfied: number;
}

const ZERO: Counts = {
  repairs: 0,
  repairsTimely: 0,
  repairsPending: 0,
  assigned: 0,
  finished: 0,
  inTime: 0,
  pending: 0,
  satisfied: 0,
  reopened: 0,
  conduct: 0,
  surveyed: 0,
  surveyedSatisfied: 0,
};

const list = (xs: readonly string[]) => Prisma.raw(xs.map((x) => `'${x}'`).join(', '));

/**
 * The branch that held ticket `t` at `to`. Only a dispatch or a transfer changes the branch,
 * and both set dispatchedAt, so only tickets dispatched after `to` need their events read:
 * the first such step after `to` tells where the ticket was before it.
 */
export function holderAt(d: Dialect, to: Date): Prisma.Sql {
  return Prisma.sql`NULLIF(CASE WHEN t."dispatchedAt" >= ${d.at(to)} THEN COALESCE((
      SELECT CASE WHEN e."type" = 'transferred' THEN COALESCE(${d.jsonText(Prisma.sql`e."data"`, 'fromBranchId')}, '') ELSE '' END
        FROM "TicketEvent" e
       WHERE e."ticketId" = t."id" AND e."type" IN ('transferred', 'dispatched') AND e."at" >= ${d.at(to)}
       ORDER BY e."at", e."id" LIMIT 1), t."branchId")
    ELSE t."branchId" END, '')`;
}

function ticketCounts(core: Core, q: KpiQuery, asOf: Date) {
  const d = dialectOf(core);
  const to = d.at(q.to);
  const ev = (types: string, extra = Prisma.empty) =>
    Prisma.sql`FROM "TicketEvent" x WHERE x."ticketId" = c.id AND x."type" IN (${Prisma.raw(types)}) ${extra}`;
  const beforeEnd = Prisma.sql`AND x."at" < ${to}`;
  const primaryEnd = d.plus(Prisma.sql`created`, PRIMARY_REPAIR_MS);
  const secondaryEnd = d.plus(Prisma.sql`created`, SECONDARY_ONSITE_MS);
  return core.db.$queryRaw<Record<string, unknown>[]>(Prisma.sql`
    WITH c AS (
      SELECT t."id" AS id,
             ${holderAt(d, q.to)} AS branch,
             CASE WHEN t."category" IN (${list(REPAIR_CATEGORIES)}) THEN 1 ELSE 0 END AS repair,
             t."scope" AS scope,
             t."createdAt" AS created,
             t."dispatchedAt" AS dispatched,
             t."resolvedAt" AS resolved,
             t."closedAt" AS closed,
             t."arrivedAt" AS arrived,
             t."resolveDueAt" AS due,
             t."satisfaction" AS satisfaction,
             t."reopenCount" AS reopens,
             CASE WHEN t."conductConfirmed" THEN 1 ELSE 0 END AS conduct
        FROM "Ticket" t
       WHERE t."createdAt" >= ${d.at(q.from)} AND t."createdAt" < ${to}
         AND t."kind" = 'complaint' AND t."status" NOT IN ('cancelled', 'duplicate')
    ), e AS MATERIALIZED (
      -- Columns hold the latest state. Only a reopen (which clears the resolve) and a transfer
      -- (which restarts the deadline) change them after the fact; for the few tickets that had
      -- one, the events tell how things stood at the end of the period. Materialized so that
      -- each look-up runs once per ticket, not once per use below.
      SELECT branch, repair, scope, created, due, conduct,
             CASE WHEN reopens > 0
                  THEN (SELECT CASE WHEN x."type" = 'resolved' THEN x."at" END ${ev(`'resolved', 'reopened'`, beforeEnd)} ORDER BY x."at" DESC, x."id" DESC LIMIT 1)
                  WHEN resolved < ${to} THEN resolved
                  WHEN closed < ${to} THEN closed
             END AS finished_at,
             -- a reopen clears arrivedAt; for R27 the first time staff were on site still counts
             CASE WHEN reopens > 0 THEN (SELECT MIN(x."at") ${ev(`'arrived'`)}) ELSE arrived END AS arrived,
             CASE WHEN reopens > 0
                  THEN (SELECT cb."result" FROM "Callback" cb WHERE cb."ticketId" = c.id AND cb."status" = 'answered' AND cb."answeredAt" < ${to} ORDER BY cb."answeredAt" DESC, cb."id" DESC LIMIT 1)
                  WHEN closed < ${to} THEN satisfaction
             END AS answer,
             CASE WHEN reopens > 0 AND EXISTS (SELECT 1 ${ev(`'reopened'`, beforeEnd)}) THEN 1 ELSE 0 END AS reopened,
             -- the deadline restarts at every transfer and reopen: the last restart, overall and before the end
             CASE WHEN reopens > 0 OR dispatched >= ${to} THEN COALESCE((SELECT MAX(x."at") ${ev(`'transferred', 'reopened'`)}), created) END AS restart_all,
             CASE WHEN reopens > 0 OR dispatched >= ${to} THEN COALESCE((SELECT MAX(x."at") ${ev(`'transferred', 'reopened'`, beforeEnd)}), created) END AS restart_end
        FROM c
    ), j AS (
      SELECT branch, repair, scope, conduct, reopened, answer, finished_at,
             CASE WHEN finished_at IS NOT NULL THEN 1 ELSE 0 END AS finished,
             -- a deadline restarted after the end: the same limit counted from the restart before it
             CASE WHEN restart_all >= ${to} THEN restart_end + (due - restart_all) ELSE due END AS due_end,
             CASE
               WHEN repair = 0 THEN 0
               WHEN scope = 'primary' THEN CASE WHEN finished_at <= ${primaryEnd} THEN 1 ELSE 0 END
               WHEN arrived < ${to} AND arrived <= ${secondaryEnd} THEN 1
               WHEN finished_at <= ${secondaryEnd} THEN 1
               ELSE 0
             END AS timely,
             CASE WHEN scope = 'primary' THEN ${primaryEnd} ELSE ${secondaryEnd} END AS window_end
        FROM e
    )
    SELECT branch,
           SUM(repair) AS repairs,
           SUM(timely) AS repairs_timely,
           SUM(CASE WHEN repair = 1 AND timely = 0 AND window_end >= ${d.at(asOf)} THEN 1 ELSE 0 END) AS repairs_pending,
           COUNT(*) AS assigned,
           SUM(finished) AS finished,
           SUM(CASE WHEN finished = 1 AND (due_end IS NULL OR finished_at <= due_end) THEN 1 ELSE 0 END) AS in_time,
           SUM(CASE WHEN finished = 0 AND (due_end IS NULL OR due_end >= ${d.at(asOf)}) THEN 1 ELSE 0 END) AS pending,
           SUM(CASE WHEN finished = 1 AND answer IN (${list(SATISFIED_ANSWERS)}) THEN 1 ELSE 0 END) AS satisfied,
           SUM(reopened) AS reopened,
           SUM(conduct) AS conduct
      FROM j
     GROUP BY branch`);
}

/**
 * R28 per branch (is_company = 0) and for the company (1), where a customer answering about
 * tickets of two branches is still one customer. A customer is satisfied when their latest
 * answer in the period is: the latest satisfied answer is the latest answer. (Plain MAX over
 * groups, no window functions: the same SQL on both databases, and cheaper on SQLite.)
 */
function surveyCounts(core: Core, q: KpiQuery) {
  const d = dialectOf(core);
  return core.db.$queryRaw<Record<string, unknown>[]>(Prisma.sql`
    WITH a AS (
      SELECT ${holderAt(d, q.to)} AS branch,
             COALESCE(cb."customerKey", 'ticket:' || CAST(cb."ticketId" AS TEXT)) AS who,
             cb."answeredAt" AS answered,
             CASE WHEN cb."result" IN (${list(SATISFIED_ANSWERS)}) THEN 1 ELSE 0 END AS sat
        FROM "Callback" cb
        JOIN "Ticket" t ON t."id" = cb."ticketId"
       -- COALESCE keeps the planner on the answeredAt index (the period) rather than the status one
       WHERE COALESCE(cb."status", '') = 'answered' AND cb."answeredAt" >= ${d.at(q.from)} AND cb."answeredAt" < ${d.at(q.to)}
         AND t."status" NOT IN ('cancelled', 'duplicate')
    ), b AS MATERIALIZED (
      SELECT branch, who, MAX(answered) AS last, MAX(CASE WHEN sat = 1 THEN answered END) AS last_sat
        FROM a GROUP BY branch, who
    ), c AS (
      SELECT who, MAX(last) AS last, MAX(last_sat) AS last_sat FROM b GROUP BY who
    )
    SELECT branch, 0 AS is_company, COUNT(*) AS surveyed, SUM(CASE WHEN last_sat = last THEN 1 ELSE 0 END) AS satisfied
      FROM b GROUP BY branch
    UNION ALL
    SELECT NULL, 1, COUNT(*), SUM(CASE WHEN last_sat = last THEN 1 ELSE 0 END) FROM c`);
}

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
  };
}

const KEY_OF_NULL = '\u0000centre';

export async function computeKpis(core: Core, q: KpiQuery): Promise<KpiReport> {
  if (!(q.from.getTime() < q.to.getTime())) throw new AppError('invalid_period', 'from must be before to', { field: 'from' });
  if (q.branchId && !core.org.branches.has(q.branchId)) {
    throw new AppError('unknown_branch', `no branch ${q.branchId}`, { branch: q.branchId, field: 'branch' });
  }
  const now = core.clock.now();
  const asOf = now < q.to ? now : q.to;
  const [tickets, surveys] = await Promise.all([ticketCounts(core, q, asOf), surveyCounts(core, q)]);

  const byBranch = new Map<string, Counts>();
  const counts = (branch: unknown) => {
    const key = branch === null || branch === undefined ? KEY_OF_NULL : String(branch);
    let c = byBranch.get(key);
    if (!c) byBranch.set(key, (c = { ...ZERO }));
    return c;
  };
  const company = { ...ZERO };
  for (const r of tickets) {
    const c = counts(r.branch);
    c.repairs = num(r.repairs);
    c.repairsTimely = num(r.repairs_timely);
    c.repairsPending = num(r.repairs_pending);
    c.assigned = num(r.assigned);
    c.finished = num(r.finished);
    c.inTime = num(r.in_time);
    c.pending = num(r.pending);
    c.satisfied = num(r.satisfied);
    c.reopened = num(r.reopened);
    c.conduct = num(r.conduct);
    for (const k of ['repairs', 'repairsTimely', 'repairsPending', 'assigned', 'finished', 'inTime', 'pending', 'satisfied', 'reopened', 'conduct'] as const) {
      company[k] += c[k];
    }
  }
  for (const r of surveys) {
    const target = num(r.is_company) === 1 ? company : counts(r.branch);
    target.surveyed = num(r.surveyed);
    target.surveyedSatisfied = num(r.satisfied);
  }

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
  };
}
