import type { ScheduledAlert } from '../../core/model.js';
import type {
  AlertDeadline,
  AlertStore,
  AlertTicket,
  AnsweredCallback,
  SuggestionCount,
  BranchCounts,
  DueAlert,
  FirePlan,
  FormNotBack,
  NewAlert,
} from '../../core/ports/alert-store.js';
import { columnsDecoder, num, toDate } from '../codec.js';
import type { Runner } from '../runner.js';
import { oweSql } from './outbox-store.js';
import { idSet, insertRowSet } from '../row-set.js';
import { dialect, sql, type Sql } from '../statement.js';

const TICKET_FIELDS = [
  'id',
  'status',
  'acceptedAt',
  'arrivedAt',
  'resolvedAt',
  'branchId',
  'unitId',
  'assigneeId',
  'severity',
  'kind',
  'category',
] as const satisfies readonly (keyof AlertTicket)[];
const TICKET_COLUMNS = sql.join(TICKET_FIELDS.map((c) => sql`t.${sql.ident(c)} AS ${sql.ident(`t_${c}`)}`));
const ALERT_FIELDS = ['id', 'key', 'ticketId', 'kind', 'dueAt', 'data'] as const satisfies readonly (keyof ScheduledAlert)[];
// a cold snap's batch decodes these for every alert: only what the sweep judges by
const DEADLINE_FIELDS = ['id', 'metAt', 'supersededAt'] as const satisfies readonly (keyof AlertDeadline)[];
const DEADLINE_COLUMNS = sql.join(DEADLINE_FIELDS.map((c) => sql`d.${sql.ident(c)} AS ${sql.ident(`d_${c}`)}`));

/** The statuses in which a ticket is still being worked on (a report's "overdue and open"). */
const OPEN = ['received', 'dispatched', 'accepted', 'on_site'];

class LostClaim extends Error {}

/** Time-bound alerts: claim what is due, fire (mark fired with the effects of firing); the next due time; scheduled reports. */
export class SqlAlertStore implements AlertStore {
  constructor(private readonly q: Runner) {}

  claimDue(owner: string, now: Date, leaseUntil: Date, limit: number): Promise<DueAlert[]> {
    return this.q.transaction(async (tx) => {
      // SQLite: this transaction is the only writer while it runs. PostgreSQL: rows another
      // sweep is claiming at this moment are skipped rather than waited for.
      // The running deadline an alert is about is the ticket's row of the name its kind begins
      // with ("ack_overdue": ack) that no later generation or withdrawal has superseded: at most
      // one, found through the (ticketId, name, generation) key.
      // the resident's chat: a ticket that misses a deadline tells them the branch was urged
      const rows =
        await tx.all(sql`SELECT a."id", a."key", a."ticketId", a."kind", a."dueAt", a."data", ${TICKET_COLUMNS}, ${DEADLINE_COLUMNS}, r."chatId" AS "r_chatId"
        FROM "ScheduledAlert" a LEFT JOIN "Ticket" t ON t."id" = a."ticketId"
        LEFT JOIN "Resident" r ON r."id" = t."residentId" AND r."unreachableAt" IS NULL
        LEFT JOIN "Deadline" d ON d."ticketId" = a."ticketId" AND d."supersededAt" IS NULL
          AND substr(a."kind", 1, length(d."name") + 1) = d."name" || '_'
        WHERE a."firedAt" IS NULL AND a."dueAt" <= ${now} AND (a."leaseUntil" IS NULL OR a."leaseUntil" <= ${now})
        ORDER BY a."dueAt", a."id" LIMIT ${limit}${dialect({ sqlite: sql``, postgresql: sql` FOR UPDATE OF a SKIP LOCKED` })}`);
      if (!rows.length) return [];
      await tx.run(
        sql`UPDATE "ScheduledAlert" SET "leaseOwner" = ${owner}, "leaseUntil" = ${leaseUntil} WHERE "id" IN ${idSet(rows.map((r) => Number(r.id)))}`,
      );
      return rows.map((r) => {
        // set on the decoded object rather than spread into a new one: a spread per row was most
        // of the decoding time of a large batch
        const alert = dueAlert(r) as ScheduledAlert;
        alert.firedAt = null;
        alert.cancelledAt = null;
        alert.leaseOwner = owner;
        alert.leaseUntil = leaseUntil;
        return {
          alert,
          ticket: r.t_id === null || r.t_id === undefined ? null : withChat(alertTicket(r), r.r_chatId),
          deadline: r.d_id === null || r.d_id === undefined ? null : alertDeadline(r),
        };
      });
    });
  }

  async fire(owner: string, now: Date, plan: FirePlan): Promise<boolean> {
    const ids = [...new Set(plan.alertIds)];
    if (!ids.length) return true;
    try {
      await this.q.transaction(async (tx) => {
        // COALESCE hides "firedAt" from SQLite's planner, which would otherwise walk the
        // (firedAt, dueAt) index over every unfired alert of the season instead of the ids
        const marked = await tx.run(
          sql`UPDATE "ScheduledAlert" SET "firedAt" = ${now} WHERE "id" IN ${idSet(ids)} AND "leaseOwner" = ${owner} AND COALESCE("firedAt", NULL) IS NULL`,
        );
        if (marked !== ids.length) throw new LostClaim();
        if (plan.callback) {
          // an UPDATE rather than a read: on PostgreSQL it waits for an answer being stored at
          // this moment, and counts the callback only if it is still pending after it
          const { id, toPhone } = plan.callback;
          const pending = await tx.run(
            sql`UPDATE "Callback" SET "channel" = ${toPhone ? sql`'phone'` : sql`"channel"`} WHERE "id" = ${id} AND "status" = 'pending'`,
          );
          if (!pending) return;
        }
        if (plan.overdue.length) {
          await tx.run(sql`UPDATE "Ticket" SET "overdueAt" = ${now} WHERE "id" IN ${idSet([...new Set(plan.overdue)])} AND "overdueAt" IS NULL`);
        }
        if (plan.missed.length) {
          await tx.run(sql`UPDATE "Deadline" SET "missedAt" = ${now} WHERE "id" IN ${idSet([...new Set(plan.missed)])} AND "missedAt" IS NULL`);
        }
        // Escalations, reports and messages skip rows whose key is stored (by a sweep that lost
        // its lease, or by hand): kept, never doubled, never an error. Events have no key: only
        // the transaction that marked their alert fired writes them.
        if (plan.events.length) await tx.run(insertRowSet(tx.dialect, 'TicketEvent', plan.events));
        if (plan.alerts.length) await tx.run(insertRowSet(tx.dialect, 'ScheduledAlert', plan.alerts, 'key'));
        for (const r of plan.reports) await tx.run(scheduleReportSql(r));
        for (const owe of oweSql(tx.dialect, plan.messages)) await tx.run(owe);
      });
      return true;
    } catch (e) {
      if (e instanceof LostClaim) return false;
      throw e;
    }
  }

  async nextDue(): Promise<Date | null> {
    const r = await this.q.get(sql`SELECT "dueAt" FROM "ScheduledAlert" WHERE "firedAt" IS NULL ORDER BY "dueAt" LIMIT 1`);
    return r ? toDate(r.dueAt) : null;
  }

  async bringForward(key: string, at: Date): Promise<boolean> {
    return (await this.q.run(sql`UPDATE "ScheduledAlert" SET "dueAt" = ${at} WHERE "key" = ${key} AND "firedAt" IS NULL AND "dueAt" > ${at}`)) > 0;
  }

  async scheduleReport(next: NewAlert): Promise<void> {
    await this.q.run(scheduleReportSql(next));
  }

  async dailyCounts(from: Date, to: Date): Promise<{ branches: BranchCounts[]; callbacks: AnsweredCallback[]; suggestions: SuggestionCount[] }> {
    const [counts, callbacks, suggestions] = await Promise.all([
      this.q.all(sql`SELECT 'newTickets' AS "what", "branchId", COUNT(*) AS "n" FROM "Ticket" WHERE "createdAt" >= ${from} AND "createdAt" < ${to} GROUP BY "branchId"
        UNION ALL SELECT 'finished', "branchId", COUNT(*) FROM "Ticket" WHERE "resolvedAt" >= ${from} AND "resolvedAt" < ${to} GROUP BY "branchId"
        UNION ALL SELECT 'overdueOpen', "branchId", COUNT(*) FROM "Ticket" WHERE "overdueAt" IS NOT NULL AND "status" IN ${sql.list(OPEN)} GROUP BY "branchId"`),
      this.q.all<AnsweredCallback>(sql`SELECT t."branchId", c."result" FROM "Callback" c JOIN "Ticket" t ON t."id" = c."ticketId"
        WHERE c."answeredAt" >= ${from} AND c."answeredAt" < ${to} AND c."status" = 'answered'`),
      this.q.all(sql`SELECT "branchId", "communityId", COUNT(*) AS "n" FROM "Ticket"
        WHERE "createdAt" >= ${from} AND "createdAt" < ${to} AND "kind" = 'suggestion' GROUP BY "branchId", "communityId"`),
    ]);
    const byBranch = new Map<string | null, BranchCounts>();
    for (const r of counts) {
      const branchId = (r.branchId as string | null) ?? null;
      let b = byBranch.get(branchId);
      if (!b) {
        b = { branchId, newTickets: 0, finished: 0, overdueOpen: 0 };
        byBranch.set(branchId, b);
      }
      b[r.what as Exclude<keyof BranchCounts, 'branchId'>] = num(r.n);
    }
    return {
      branches: [...byBranch.values()],
      callbacks: callbacks.map((c) => ({ branchId: c.branchId ?? null, result: c.result ?? null })),
      suggestions: suggestions.map((r) => ({
        branchId: (r.branchId as string | null) ?? null,
        communityId: (r.communityId as string | null) ?? null,
        n: num(r.n),
      })),
    };
  }

  async formsNotBack(before: Date, limit: number): Promise<FormNotBack[]> {
    const rows = await this.q.all(sql`SELECT t."number", t."branchId", f."serviceDate" FROM "ServiceForm" f JOIN "Ticket" t ON t."id" = f."ticketId"
      WHERE f."hqReturnedAt" IS NULL AND f."serviceDate" < ${before} ORDER BY f."serviceDate", f."id" LIMIT ${limit}`);
    return rows.map((r) => ({ ticketNumber: String(r.number), branchId: (r.branchId as string | null) ?? null, serviceDate: toDate(r.serviceDate)! }));
  }
}

/**
 * A report's next occurrence, unless its key is stored or an occurrence of its kind is waiting.
 * Reports are the only alerts without a ticket: the (ticketId) index finds them at once, where
 * "firedAt" IS NULL alone would walk every waiting alert of the season.
 */
function scheduleReportSql(r: NewAlert): Sql {
  return sql`INSERT INTO "ScheduledAlert" ("key", "ticketId", "kind", "dueAt", "data")
    SELECT ${r.key}, ${r.ticketId}, ${r.kind}, ${r.dueAt}, ${r.data}
    WHERE NOT EXISTS (SELECT 1 FROM "ScheduledAlert" WHERE "ticketId" IS NULL AND "kind" = ${r.kind} AND "firedAt" IS NULL)
    ON CONFLICT ("key") DO NOTHING`;
}

const dueAlert = columnsDecoder<Pick<ScheduledAlert, (typeof ALERT_FIELDS)[number]>>('ScheduledAlert', ALERT_FIELDS);
const alertTicket = columnsDecoder<AlertTicket>('Ticket', TICKET_FIELDS, 't_');
function withChat(t: AlertTicket, chatId: unknown): AlertTicket {
  t.residentChatId = chatId === null || chatId === undefined ? null : String(chatId);
  return t;
}
const alertDeadline = columnsDecoder<AlertDeadline>('Deadline', DEADLINE_FIELDS, 'd_');
