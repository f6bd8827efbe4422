/**
 * The KPI counts computed in the database: grouped queries over indexed columns, never the
 * tickets in memory (a month over 1,000,000 tickets: bench/ and the README). The rules behind
 * each count are in src/core/kpi/compute-kpis.ts and docs/kpi.md.
 *
 * The same statements serve both databases; they differ only in how an instant is compared
 * (epoch milliseconds on SQLite, timestamp(3) holding UTC wall time on PostgreSQL), how a fixed
 * time is added to one, and how a field of JSON text is read.
 */
import { PRIMARY_REPAIR_MS, REPAIR_CATEGORIES, SATISFIED_ANSWERS, SECONDARY_ONSITE_MS } from '../../core/kpi/compute-kpis.js';
import type {
  ComplaintCounts,
  KpiPeriod,
  KpiReads,
  RepeatQuery,
  SuggestionCount,
  SuggestionRow,
  SurveyCounts,
  UnreachableRow,
  WithdrawalRow,
} from '../../core/ports/kpi-reads.js';
import { noComplaintCounts } from '../../core/ports/kpi-reads.js';
import { num, toDate, type Row } from '../codec.js';
import type { Runner } from '../runner.js';
import { dialect, sql, type Sql } from '../statement.js';

/** An instant as a bound parameter comparable with DateTime columns (also where the type cannot be inferred). */
const at = (d: Date): Sql =>
  dialect({
    sqlite: sql`${d}`,
    // the ISO text carries its Z; a cast to timestamp (without zone) keeps the UTC wall time, as stored
    postgresql: sql`CAST(${d} AS TIMESTAMP(3))`,
  });

/** A DateTime expression moved later by a fixed time (a constant of the rules, written into the text). */
const plus = (expr: Sql, ms: number): Sql =>
  dialect({
    sqlite: sql`(${expr} + ${sql.raw(String(Math.trunc(ms)))})`,
    postgresql: sql`(${expr} + ${sql.raw(`INTERVAL '${Math.trunc(ms)} milliseconds'`)})`,
  });

const SAFE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A top-level string field of a JSON text column. */
const jsonText = (expr: Sql, key: string): Sql => {
  if (!SAFE_KEY.test(key)) throw new Error(`not a plain JSON key: ${key}`);
  return dialect({
    sqlite: sql`json_extract(${expr}, ${sql.raw(`'$.${key}'`)})`,
    postgresql: sql`(CAST(${expr} AS jsonb) ->> ${sql.raw(`'${key}'`)})`,
  });
};

/** A string field of an object field of a JSON text column (`before.scope` of a reclassified event). */
const jsonText2 = (expr: Sql, outer: string, key: string): Sql => {
  if (!SAFE_KEY.test(outer) || !SAFE_KEY.test(key)) throw new Error(`not a plain JSON key: ${outer}.${key}`);
  return dialect({
    sqlite: sql`json_extract(${expr}, ${sql.raw(`'$.${outer}.${key}'`)})`,
    postgresql: sql`(CAST(${expr} AS jsonb) -> ${sql.raw(`'${outer}'`)} ->> ${sql.raw(`'${key}'`)})`,
  });
};

/** The earlier of two DateTime expressions. */
const earlier = (a: Sql, b: Sql): Sql => sql`CASE WHEN ${a} < ${b} THEN ${a} ELSE ${b} END`;

/** Minutes from one DateTime expression to a later one. */
const minutesBetween = (from: Sql, until: Sql): Sql =>
  dialect({
    sqlite: sql`((${until} - ${from}) / 60000.0)`,
    postgresql: sql`(EXTRACT(EPOCH FROM (${until} - ${from})) / 60.0)`,
  });

/** Constants of the rules as literals: the planner sees them as it did when the queries were tuned. */
const literals = (xs: readonly string[]): Sql => sql.raw(xs.map((x) => `'${x.replace(/'/g, "''")}'`).join(', '));

/**
 * The branch that held ticket `t` at `to`. Only a dispatch or a transfer changes the branch,
 * and both set dispatchedAt, so only tickets dispatched after `to` need their events read:
 * the first such step after `to` tells where the ticket was before it.
 */
function holderAt(to: Date): Sql {
  return sql`NULLIF(CASE WHEN t."dispatchedAt" >= ${at(to)} THEN COALESCE((
      SELECT CASE WHEN e."type" = 'transferred' THEN COALESCE(${jsonText(sql`e."data"`, 'fromBranchId')}, '') ELSE '' END
        FROM "TicketEvent" e
       WHERE e."ticketId" = t."id" AND e."type" IN ('transferred', 'dispatched') AND e."at" >= ${at(to)}
       ORDER BY e."at", e."id" LIMIT 1), t."branchId")
    ELSE t."branchId" END, '')`;
}

const branchOf = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));

export class SqlKpiReads implements KpiReads {
  constructor(private readonly q: Runner) {}

  async complaintCounts(p: KpiPeriod & { asOf: Date }): Promise<ComplaintCounts[]> {
    const to = at(p.to);
    const ev = (types: string, extra: Sql = sql``) => sql`FROM "TicketEvent" x WHERE x."ticketId" = c.src AND x."type" IN (${sql.raw(types)}) ${extra}`;
    const beforeEnd = sql`AND x."at" < ${to}`;
    const asOf = at(p.asOf);
    const primaryEnd = plus(sql`created`, PRIMARY_REPAIR_MS);
    const secondaryEnd = plus(sql`created`, SECONDARY_ONSITE_MS);
    // the first reclassification at or after `cutoff` holds, in `before`, the class the ticket had then
    const classAt = (ticket: Sql, cutoff: Sql) =>
      sql`(SELECT x."data" FROM "TicketEvent" x WHERE x."ticketId" = ${ticket} AND x."type" = 'reclassified' AND x."at" >= ${cutoff} ORDER BY x."at", x."id" LIMIT 1)`;
    const rows = await this.q.all(sql`
    WITH c AS (
      -- A duplicate (duplicateOfId) is a repair request of its own for R27, timely when its
      -- original was: its repair is the original's, so the times are read from the original (src).
      -- R29 counts the complaint once: the original's row only (dup = 1 is left out below).
      -- A duplicate marked after the end of the period was a complaint of its own then: the mark's
      -- event time decides, so marking one later does not rewrite a period already reported.
      SELECT t."id" AS id,
             COALESCE(o."id", t."id") AS src,
             CASE WHEN o."id" IS NULL THEN 0 ELSE 1 END AS dup,
             ${holderAt(p.to)} AS branch,
             t."kind" AS kind, t."category" AS category,
             -- the class at the end of the period: a reclassification after it does not move the ticket
             -- (only a ticket changed after the end can have been reclassified after it)
             CASE WHEN t."updatedAt" >= ${to} THEN ${classAt(sql`t."id"`, to)} END AS cls_end,
             COALESCE(o."scope", t."scope") AS scope_now,
             COALESCE(o."createdAt", t."createdAt") AS created,
             CASE WHEN o."id" IS NULL THEN t."resolvedAt" ELSE o."resolvedAt" END AS resolved,
             CASE WHEN o."id" IS NULL THEN t."closedAt" ELSE o."closedAt" END AS closed,
             CASE WHEN o."id" IS NULL THEN t."arrivedAt" ELSE o."arrivedAt" END AS arrived,
             t."satisfaction" AS satisfaction,
             COALESCE(o."reopenCount", t."reopenCount") AS reopens,
             -- R32/R33 are counted from the findings below (conductFindings), not from the complaint's row
             0 AS conduct,
             CASE WHEN t."repeatOfId" IS NOT NULL THEN 1 ELSE 0 END AS repeat,
             -- R29: the resolve deadline of the generation running at the end of the period (a
             -- reopen or a transfer to another branch after it started the next one; one inside
             -- the branch kept it): at most one row, through the (ticketId, name, generation) key
             r."id" AS deadline, r."dueAt" AS due, r."metAt" AS met, r."missedAt" AS missed
        FROM "Ticket" t
        LEFT JOIN "Ticket" o ON o."id" = t."duplicateOfId"
                            AND (SELECT MIN(d."at") FROM "TicketEvent" d WHERE d."ticketId" = t."id" AND d."type" = 'duplicate') < ${to}
        LEFT JOIN "Deadline" r ON r."ticketId" = t."id" AND r."name" = 'resolve' AND r."startedAt" < ${to}
                              AND (r."supersededAt" IS NULL OR r."supersededAt" >= ${to})
       WHERE t."createdAt" >= ${at(p.from)} AND t."createdAt" < ${to}
         -- a complaint at the end of the period (one reclassified to or from a complaint after it is read below)
         AND (t."kind" = 'complaint'
              OR t."updatedAt" >= ${to} AND EXISTS (SELECT 1 FROM "TicketEvent" x WHERE x."ticketId" = t."id" AND x."type" = 'reclassified' AND x."at" >= ${to}))
         -- cancelled after the end of the period: still in that period's figures
         AND (t."status" <> 'cancelled' OR t."cancelledAt" >= ${to})
         -- a duplicate names its original (marking one requires it); one that names none has no repair to be judged by
         AND (t."status" <> 'duplicate' OR t."duplicateOfId" IS NOT NULL)
    ), e AS MATERIALIZED (
      -- Columns hold the latest state. Only a reopen (which clears the resolve) changes them
      -- after the fact; for the few tickets that had one, the events tell how things stood at
      -- the end of the period. Materialized so that each look-up runs once per ticket, not once
      -- per use below.
      SELECT branch, dup, src, created, scope_now, conduct, repeat, deadline, due, met, missed,
             COALESCE(${jsonText2(sql`cls_end`, 'before', 'kind')}, kind) AS kind_end,
             CASE WHEN COALESCE(${jsonText2(sql`cls_end`, 'before', 'category')}, category) IN (${literals(REPAIR_CATEGORIES)}) THEN 1 ELSE 0 END AS repair,
             CASE WHEN reopens > 0
                  THEN (SELECT CASE WHEN x."type" = 'resolved' THEN x."at" END ${ev(`'resolved', 'reopened'`, beforeEnd)} ORDER BY x."at" DESC, x."id" DESC LIMIT 1)
                  WHEN resolved < ${to} THEN resolved
                  WHEN closed < ${to} THEN closed
             END AS finished_at,
             -- a reopen clears arrivedAt; for R27 the first time staff were on site still counts
             CASE WHEN reopens > 0 THEN (SELECT MIN(x."at") ${ev(`'arrived'`)}) ELSE arrived END AS arrived,
             CASE WHEN reopens > 0
                  THEN (SELECT cb."result" FROM "Callback" cb WHERE cb."ticketId" = c.src AND cb."status" = 'answered' AND cb."answeredAt" < ${to} ORDER BY cb."answeredAt" DESC, cb."id" DESC LIMIT 1)
                  WHEN closed < ${to} THEN satisfaction
             END AS answer,
             CASE WHEN reopens > 0 AND EXISTS (SELECT 1 ${ev(`'reopened'`, beforeEnd)}) THEN 1 ELSE 0 END AS reopened
        FROM c
    ), s AS (
      -- R27 judges the scope the report had when its first hour ended (or the period, if sooner):
      -- reclassifying a late secondary repair as primary afterwards does not make it timely, nor a
      -- primary one secondary (docs/kpi.md). The events are read only for the few repairs whose
      -- verdict the scope decides (timely by one rule and not by the other, or pending by one).
      SELECT e.*,
             CASE WHEN repair = 1
                   AND (CASE WHEN finished_at <= ${primaryEnd} THEN 1 ELSE 0 END <> CASE WHEN arrived < ${to} AND arrived <= ${secondaryEnd} THEN 1 ELSE 0 END
                        OR CASE WHEN ${primaryEnd} >= ${asOf} THEN 1 ELSE 0 END <> CASE WHEN ${secondaryEnd} >= ${asOf} THEN 1 ELSE 0 END)
                  THEN COALESCE(${jsonText2(classAt(sql`src`, earlier(plus(sql`created`, SECONDARY_ONSITE_MS), to)), 'before', 'scope')}, scope_now)
                  ELSE scope_now
             END AS scope
        FROM e
    ), j AS (
      SELECT branch, dup, repair, scope, conduct, repeat, reopened, answer, finished_at,
             CASE WHEN finished_at IS NOT NULL THEN 1 ELSE 0 END AS finished,
             -- deadlineState (core/deadlines/deadline-rows.ts) of the resolve deadline: met by the
             -- due time (in time) at the end of the period; open, not yet due and not marked
             -- missed as of asOf (pending). A complaint with no such deadline is in time when finished.
             CASE WHEN deadline IS NULL OR (met < ${to} AND met <= due) THEN 1 ELSE 0 END AS met_in_time,
             CASE WHEN deadline IS NULL OR (due >= ${asOf} AND (missed IS NULL OR missed > ${asOf})) THEN 1 ELSE 0 END AS not_yet_due,
             -- the customer's whole wait: from the first report to the resolve that stood at the end
             CASE WHEN finished_at IS NOT NULL THEN ${minutesBetween(sql`created`, sql`finished_at`)} END AS wait_minutes,
             CASE
               WHEN repair = 0 THEN 0
               WHEN scope = 'primary' THEN CASE WHEN finished_at <= ${primaryEnd} THEN 1 ELSE 0 END
               -- R27: staff on site within the hour; a repair solved on the phone is not a visit
               WHEN arrived < ${to} AND arrived <= ${secondaryEnd} THEN 1
               ELSE 0
             END AS timely,
             CASE WHEN scope = 'primary' THEN ${primaryEnd} ELSE ${secondaryEnd} END AS window_end
        FROM s
       WHERE kind_end = 'complaint'
    )
    SELECT branch,
           SUM(repair) AS repairs,
           SUM(timely) AS repairs_timely,
           SUM(CASE WHEN repair = 1 AND timely = 0 AND window_end >= ${asOf} THEN 1 ELSE 0 END) AS repairs_pending,
           SUM(1 - dup) AS assigned,
           SUM(CASE WHEN dup = 0 AND finished = 1 THEN 1 ELSE 0 END) AS finished,
           SUM(CASE WHEN dup = 0 AND finished = 1 AND met_in_time = 1 THEN 1 ELSE 0 END) AS in_time,
           SUM(CASE WHEN dup = 0 AND finished = 0 AND not_yet_due = 1 THEN 1 ELSE 0 END) AS pending,
           COALESCE(SUM(CASE WHEN dup = 0 THEN wait_minutes END), 0) AS wait_minutes,
           SUM(CASE WHEN dup = 0 AND finished = 1 AND answer IN (${literals(SATISFIED_ANSWERS)}) THEN 1 ELSE 0 END) AS satisfied,
           SUM(CASE WHEN dup = 0 THEN reopened ELSE 0 END) AS reopened,
           SUM(CASE WHEN dup = 0 THEN conduct ELSE 0 END) AS conduct,
           SUM(CASE WHEN dup = 0 THEN repeat ELSE 0 END) AS repeats
      FROM j
     GROUP BY branch`);
    const counts = rows.map((r) => ({
      branchId: branchOf(r.branch),
      repairs: num(r.repairs),
      repairsTimely: num(r.repairs_timely),
      repairsPending: num(r.repairs_pending),
      assigned: num(r.assigned),
      finished: num(r.finished),
      inTime: num(r.in_time),
      pending: num(r.pending),
      satisfied: num(r.satisfied),
      reopened: num(r.reopened),
      conduct: num(r.conduct),
      repeats: num(r.repeats),
      waitMinutes: num(r.wait_minutes),
    }));
    return this.withConductFindings(counts, p);
  }

  /**
   * R32/R33: confirmed conduct complaints count against the branch the staff member worked for
   * when the finding was recorded, in the period of the finding (ConductFinding), not against the
   * complaint's holder (the centre investigates them) or the month it was filed in.
   */
  private async withConductFindings(counts: ComplaintCounts[], p: KpiPeriod): Promise<ComplaintCounts[]> {
    const found = await this.q.all(
      sql`SELECT f."branchId" AS branch, COUNT(*) AS n FROM "ConductFinding" f
           WHERE f."finding" <> 'not_confirmed' AND f."foundAt" >= ${at(p.from)} AND f."foundAt" < ${at(p.to)}
           GROUP BY f."branchId"`,
    );
    for (const r of found) {
      const branchId = branchOf(r.branch);
      const row = counts.find((c) => c.branchId === branchId);
      if (row) row.conduct = num(r.n);
      else counts.push({ ...noComplaintCounts(branchId), conduct: num(r.n) });
    }
    return counts;
  }

  /**
   * A customer is satisfied when their latest answer in the period is: the latest satisfied
   * answer is the latest answer. (Plain MAX over groups, no window functions: the same SQL on
   * both databases, and cheaper on SQLite.)
   */
  async surveyCounts(p: KpiPeriod): Promise<{ branches: (SurveyCounts & { branchId: string | null })[]; company: SurveyCounts }> {
    const rows = await this.q.all(sql`
    WITH a AS (
      SELECT ${holderAt(p.to)} AS branch,
             COALESCE(cb."customerKey", 'ticket:' || CAST(cb."ticketId" AS TEXT)) AS who,
             cb."answeredAt" AS answered,
             CASE WHEN cb."result" IN (${literals(SATISFIED_ANSWERS)}) THEN 1 ELSE 0 END AS sat
        FROM "Callback" cb
        JOIN "Ticket" t ON t."id" = cb."ticketId"
       -- COALESCE keeps the planner on the answeredAt index (the period) rather than the status one
       WHERE COALESCE(cb."status", '') = 'answered' AND cb."answeredAt" >= ${at(p.from)} AND cb."answeredAt" < ${at(p.to)}
         AND t."status" <> 'duplicate' AND (t."status" <> 'cancelled' OR t."cancelledAt" >= ${at(p.to)})
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
    const branches: (SurveyCounts & { branchId: string | null })[] = [];
    let company: SurveyCounts = { surveyed: 0, satisfied: 0 };
    for (const r of rows) {
      const counts = { surveyed: num(r.surveyed), satisfied: num(r.satisfied) };
      if (num(r.is_company) === 1) company = counts;
      else branches.push({ branchId: branchOf(r.branch), ...counts });
    }
    return { branches, company };
  }

  async suggestions(
    p: KpiPeriod & { branchId?: string; communityIds?: readonly string[]; limit: number },
  ): Promise<{ counts: SuggestionCount[]; rows: SuggestionRow[] }> {
    const base = sql`
    SELECT ${holderAt(p.to)} AS branch, t."communityId" AS community,
           NULLIF(TRIM(t."topic"), '') AS topic,
           t."category" AS category,
           t."number" AS number, t."createdAt" AS created, t."status" AS status, t."source" AS source, t."description" AS description,
           CASE WHEN COALESCE(t."resolvedAt", t."closedAt") < ${at(p.to)} THEN 1 ELSE 0 END AS answered
      FROM "Ticket" t
     WHERE t."createdAt" >= ${at(p.from)} AND t."createdAt" < ${at(p.to)}
       AND t."kind" = 'suggestion' AND t."status" NOT IN ('cancelled', 'duplicate')`;
    // a branch's own, and those HQ holds from its communities
    const onlyBranch = !p.branchId
      ? sql``
      : p.communityIds?.length
        ? sql`WHERE branch = ${p.branchId} OR (branch IS NULL AND community IN ${sql.list(p.communityIds)})`
        : sql`WHERE branch = ${p.branchId}`;
    const [groups, items] = await Promise.all([
      this.q.all(sql`
      SELECT branch, CASE WHEN branch IS NULL THEN community END AS community, topic, CASE WHEN topic IS NULL THEN category END AS category,
             COUNT(*) AS n, SUM(answered) AS answered
        FROM (${base}) s ${onlyBranch}
       GROUP BY 1, 2, 3, 4`),
      this.q.all(sql`
      SELECT * FROM (${base}) s ${onlyBranch}
       ORDER BY branch, topic, category, created, number
       LIMIT ${Math.max(0, Math.trunc(p.limit))}`),
    ]);
    return {
      counts: groups.map((r: Row) => ({
        branchId: branchOf(r.branch),
        communityId: branchOf(r.community),
        topic: (r.topic as string | null) ?? null,
        category: (r.category as string | null) ?? null,
        count: num(r.n),
        answered: num(r.answered),
      })),
      rows: items.map((r: Row) => ({
        number: String(r.number),
        createdAt: toDate(r.created)!,
        branchId: branchOf(r.branch),
        communityId: branchOf(r.community),
        topic: (r.topic as string | null) ?? null,
        category: String(r.category),
        status: String(r.status),
        source: String(r.source),
        description: String(r.description),
        answered: num(r.answered) === 1,
      })),
    };
  }

  /**
   * Through the period's tickets (the createdAt index, as the counts above) and their events (the
   * (ticketId, at) index); only tickets a withdrawal marked (cancelledAt, duplicateOfId,
   * incidentId) have their events read.
   */
  async withdrawals(p: KpiPeriod & { branchId?: string; limit: number }): Promise<{ total: number; rows: WithdrawalRow[] }> {
    const to = at(p.to);
    const base = sql`
    SELECT ${holderAt(p.to)} AS branch, t."number" AS number, e."id" AS id, e."type" AS type, e."at" AS at, e."actor" AS actor, e."note" AS note,
           ${jsonText(sql`e."data"`, 'duplicateOf')} AS original, ${jsonText(sql`e."data"`, 'number')} AS incident,
           ${jsonText(sql`e."data"`, 'onBehalfOf')} AS on_behalf_of
      FROM "Ticket" t
      JOIN "TicketEvent" e ON e."ticketId" = t."id"
     WHERE t."createdAt" >= ${at(p.from)} AND t."createdAt" < ${to}
       AND (t."cancelledAt" IS NOT NULL OR t."duplicateOfId" IS NOT NULL OR t."incidentId" IS NOT NULL)
       AND e."type" IN ('cancelled', 'duplicate', 'linked') AND e."at" < ${to}
       AND (e."type" <> 'linked' OR e."note" IS NOT NULL)`;
    const onlyBranch = p.branchId ? sql`WHERE branch = ${p.branchId}` : sql``;
    // one pass over the period's tickets: the total beside each row (0 rows: none at all)
    const items = await this.q.all(
      sql`SELECT w.*, COUNT(*) OVER () AS total FROM (${base}) w ${onlyBranch} ORDER BY at, id LIMIT ${Math.max(0, Math.trunc(p.limit))}`,
    );
    const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
    return {
      total: items.length ? num(items[0].total) : 0,
      rows: items.map((r: Row) => ({
        number: String(r.number),
        branchId: branchOf(r.branch),
        type: String(r.type) as WithdrawalRow['type'],
        at: toDate(r.at)!,
        actor: String(r.actor),
        onBehalfOf: str(r.on_behalf_of),
        reason: str(r.note),
        original: r.type === 'duplicate' ? str(r.original) : null,
        incident: r.type === 'linked' ? str(r.incident) : null,
      })),
    };
  }

  /**
   * Through the period's tickets (the createdAt index) that were ever transferred (transferCount),
   * and their events: tickets belong to the period they were created in, as every count above.
   */
  async transfersOut(p: KpiPeriod): Promise<{ branchId: string; count: number }[]> {
    const rows = await this.q.all(sql`
    SELECT ${jsonText(sql`e."data"`, 'fromBranchId')} AS branch, COUNT(*) AS n
      FROM "Ticket" t
      JOIN "TicketEvent" e ON e."ticketId" = t."id"
     WHERE t."createdAt" >= ${at(p.from)} AND t."createdAt" < ${at(p.to)} AND t."transferCount" > 0
       AND e."type" = 'transferred' AND e."at" < ${at(p.to)}
       AND ${jsonText(sql`e."data"`, 'fromBranchId')} IS NOT NULL
       AND ${jsonText(sql`e."data"`, 'fromBranchId')} <> COALESCE(${jsonText(sql`e."data"`, 'branchId')}, '')
     GROUP BY 1`);
    return rows.map((r: Row) => ({ branchId: String(r.branch), count: num(r.n) }));
  }

  /** Through Callback(answeredAt): an unreachable callback's answeredAt is when the last counted attempt marked it. */
  async unreachable(p: KpiPeriod & { branchId?: string; limit: number }): Promise<{ total: number; rows: UnreachableRow[] }> {
    const base = sql`
    SELECT ${holderAt(p.to)} AS branch, t."number" AS number, t."category" AS category, t."contactName" AS name, t."contactPhone" AS phone,
           cb."attempts" AS attempts, cb."answeredAt" AS at, cb."id" AS id
      FROM "Callback" cb
      JOIN "Ticket" t ON t."id" = cb."ticketId"
     WHERE COALESCE(cb."status", '') = 'unreachable' AND cb."answeredAt" >= ${at(p.from)} AND cb."answeredAt" < ${at(p.to)}`;
    const onlyBranch = p.branchId ? sql`WHERE branch = ${p.branchId}` : sql``;
    const items = await this.q.all(
      sql`SELECT u.*, COUNT(*) OVER () AS total FROM (${base}) u ${onlyBranch} ORDER BY at, id LIMIT ${Math.max(0, Math.trunc(p.limit))}`,
    );
    const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
    return {
      total: items.length ? num(items[0].total) : 0,
      rows: items.map((r: Row) => ({
        number: String(r.number),
        branchId: branchOf(r.branch),
        category: String(r.category),
        contactName: str(r.name),
        contactPhone: str(r.phone),
        attempts: num(r.attempts),
        at: toDate(r.at)!,
      })),
    };
  }

  /** Through Ticket(customerId, category, createdAt), (residentId, status) or (communityId, createdAt): one customer's few tickets. */
  async repeatOf(q: RepeatQuery): Promise<{ id: number; number: string } | null> {
    const who =
      q.customerId !== null
        ? sql`t."customerId" = ${q.customerId}`
        : q.residentId !== null
          ? sql`t."residentId" = ${q.residentId}`
          : q.phone && q.communityId
            ? sql`t."communityId" = ${q.communityId} AND t."contactPhone" = ${q.phone}`
            : null;
    if (!who) return null;
    const r = await this.q.get(sql`
    SELECT f."id" AS id, f."number" AS number FROM "Ticket" f
     WHERE f."id" = (SELECT COALESCE(t."repeatOfId", t."id") FROM "Ticket" t
                      WHERE ${who} AND t."category" = ${q.category} AND t."createdAt" >= ${at(q.since)}
                        AND t."kind" = 'complaint' AND t."status" NOT IN ('cancelled', 'duplicate')
                      ORDER BY t."createdAt" DESC, t."id" DESC LIMIT 1)`);
    return r ? { id: num(r.id), number: String(r.number) } : null;
  }
}
