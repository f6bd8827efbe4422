import type { TicketKind } from '../../core/domain.js';
import type { ServiceForm } from '../../core/model.js';
import type { FormFilter, FormOfTicket, FormStore, OverdueOfBranch, ReturnMark } from '../../core/ports/form-store.js';
import { decodeRow, num, toDate, type Row } from '../codec.js';
import type { Runner } from '../runner.js';
import { sql, type Sql } from '../statement.js';

const SELECT = sql`SELECT f.*, t."number" AS "t_number", t."branchId" AS "t_branchId", t."kind" AS "t_kind" FROM "ServiceForm" f JOIN "Ticket" t ON t."id" = f."ticketId"`;

function item(r: Row): FormOfTicket {
  const { t_number, t_branchId, t_kind, ...rest } = r;
  return {
    form: decodeRow<ServiceForm>('ServiceForm', rest),
    ticketNumber: String(t_number),
    branchId: (t_branchId as string | null) ?? null,
    kind: t_kind as TicketKind,
  };
}

/** The forms a filter names, as a WHERE clause over f (the form) and t (its ticket). */
function where(filter: FormFilter): Sql {
  const status =
    filter.status === 'overdue'
      ? sql`f."hqReturnedAt" IS NULL AND f."serviceDate" < ${filter.dueBefore}`
      : filter.status === 'returned'
        ? sql`f."hqReturnedAt" IS NOT NULL`
        : sql`1 = 1`;
  const branch = filter.branchId === undefined ? sql`` : sql` AND t."branchId" = ${filter.branchId}`;
  return sql`${status}${branch}`;
}

const ORDER: Record<FormFilter['status'], Sql> = {
  overdue: sql`f."serviceDate", f."id"`,
  returned: sql`f."hqReturnedAt" DESC, f."id" DESC`,
  all: sql`f."serviceDate" DESC, f."id" DESC`,
};

/** Service forms and their HQ copies (R8f, R8l). */
export class SqlFormStore implements FormStore {
  constructor(private readonly q: Runner) {}

  async byTicketNumber(number: string): Promise<FormOfTicket | null> {
    const r = await this.q.get(sql`${SELECT} WHERE t."number" = ${number}`);
    return r ? item(r) : null;
  }

  async markReturned(formId: number, mark: ReturnMark): Promise<ServiceForm | null> {
    // the condition makes a second marker (a double click, two people) lose rather than overwrite who and when
    const r = await this.q.get(
      sql`UPDATE "ServiceForm" SET "hqReturnedAt" = ${mark.at}, "hqReturnedBy" = ${mark.by} WHERE "id" = ${formId} AND "hqReturnedAt" IS NULL RETURNING *`,
    );
    return r ? decodeRow<ServiceForm>('ServiceForm', r) : null;
  }

  markReturnedInRange(range: { branchId: string; from: Date; until: Date }, mark: ReturnMark): Promise<number> {
    return this.q.run(sql`UPDATE "ServiceForm" SET "hqReturnedAt" = ${mark.at}, "hqReturnedBy" = ${mark.by}
      WHERE "hqReturnedAt" IS NULL AND "serviceDate" >= ${range.from} AND "serviceDate" < ${range.until}
        AND "ticketId" IN (SELECT "id" FROM "Ticket" WHERE "branchId" = ${range.branchId})`);
  }

  async list(filter: FormFilter, page: { skip: number; take: number }): Promise<{ total: number; items: FormOfTicket[] }> {
    const cond = where(filter);
    const [count, rows] = await Promise.all([
      this.q.get(sql`SELECT COUNT(*) AS "n" FROM "ServiceForm" f JOIN "Ticket" t ON t."id" = f."ticketId" WHERE ${cond}`),
      this.q.all(sql`${SELECT} WHERE ${cond} ORDER BY ${ORDER[filter.status]} LIMIT ${page.take} OFFSET ${page.skip}`),
    ]);
    return { total: num(count?.n), items: rows.map(item) };
  }

  async overdueByBranch(dueBefore: Date, perBranch: number): Promise<OverdueOfBranch[]> {
    const overdue = sql`f."hqReturnedAt" IS NULL AND f."serviceDate" < ${dueBefore}`;
    const [counts, oldest] = await Promise.all([
      this.q.all(sql`SELECT t."branchId" AS "branchId", COUNT(*) AS "n" FROM "ServiceForm" f JOIN "Ticket" t ON t."id" = f."ticketId"
        WHERE ${overdue} GROUP BY t."branchId"`),
      this.q.all(sql`SELECT "number", "branchId", "serviceDate" FROM (
          SELECT t."number" AS "number", t."branchId" AS "branchId", f."serviceDate" AS "serviceDate",
            ROW_NUMBER() OVER (PARTITION BY t."branchId" ORDER BY f."serviceDate", f."id") AS "rn"
          FROM "ServiceForm" f JOIN "Ticket" t ON t."id" = f."ticketId" WHERE ${overdue}
        ) x WHERE "rn" <= ${perBranch} ORDER BY "branchId", "rn"`),
    ]);
    const key = (b: unknown) => (b as string | null) ?? null;
    return counts
      .map((c) => ({
        branchId: key(c.branchId),
        count: num(c.n),
        oldest: oldest.filter((o) => key(o.branchId) === key(c.branchId)).map((o) => ({ ticketNumber: String(o.number), serviceDate: toDate(o.serviceDate)! })),
      }))
      .sort((a, b) => (a.branchId ?? '').localeCompare(b.branchId ?? ''));
  }
}
