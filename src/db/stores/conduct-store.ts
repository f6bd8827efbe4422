import { AppError } from '../../core/errors.js';
import type { ConductFinding } from '../../core/model.js';
import type { ConductFilter, ConductFindingRow, ConductStore, NewConductFinding, OpenConductComplaint } from '../../core/ports/conduct-store.js';
import type { StepPlan } from '../../core/ports/ticket-store.js';
import { OPEN_STATUSES } from '../../core/tickets/status-machine.js';
import { decodeRow, toDate, type Row } from '../codec.js';
import type { Runner } from '../runner.js';
import { insertSql, sql, type Sql } from '../statement.js';
import { SqlTicketStore } from './ticket-store.js';

/** Conduct findings (R31-R33): the finding and its ticket's steps in one transaction. */
export class SqlConductStore implements ConductStore {
  constructor(private readonly q: Runner) {}

  record(finding: NewConductFinding, plan: StepPlan) {
    return this.q.transaction(async (tx) => {
      // the unique ticketId decides two findings recorded at once; the loser stores nothing
      const row = await tx.get(sql`${insertSql('ConductFinding', [finding])} ON CONFLICT ("ticketId") DO NOTHING RETURNING *`);
      if (!row) throw new AppError('finding_exists', `ticket ${finding.ticketId} has a conduct finding already`, { ticketId: finding.ticketId });
      // the ticket store's own statements, so that the rule of a resolve is written once
      const applied = await new SqlTicketStore(tx).applyStep(plan);
      return { finding: decodeRow<ConductFinding>('ConductFinding', row), applied };
    });
  }

  async ofTicket(ticketId: number): Promise<ConductFinding | null> {
    const r = await this.q.get(sql`SELECT * FROM "ConductFinding" WHERE "ticketId" = ${ticketId}`);
    return r ? decodeRow<ConductFinding>('ConductFinding', r) : null;
  }

  async list(filter: ConductFilter): Promise<ConductFindingRow[]> {
    const where: Sql[] = [sql`1 = 1`];
    if (filter.month) where.push(sql`f."month" = ${filter.month}`);
    if (filter.staffId) where.push(sql`f."staffId" = ${filter.staffId}`);
    if (filter.branchId) where.push(sql`f."branchId" = ${filter.branchId}`);
    const rows = await this.q.all(
      sql`SELECT f.*, t."number" AS "ticketNumber" FROM "ConductFinding" f JOIN "Ticket" t ON t."id" = f."ticketId"
           WHERE ${sql.join(where, ' AND ')} ORDER BY f."foundAt", f."id"`,
    );
    return rows.map((r: Row) => ({ ...decodeRow<ConductFinding>('ConductFinding', r), ticketNumber: String(r.ticketNumber) }));
  }

  async open(): Promise<OpenConductComplaint[]> {
    const rows = await this.q.all(
      sql`SELECT t."id", t."number", t."status", t."conductStaffId", t."createdAt" FROM "Ticket" t
           WHERE t."kind" = ${'complaint'} AND t."category" = ${'staff_conduct'} AND t."branchId" IS NULL AND t."status" IN ${sql.list(OPEN_STATUSES)}
             AND NOT EXISTS (SELECT 1 FROM "ConductFinding" f WHERE f."ticketId" = t."id")
           ORDER BY t."createdAt", t."id"`,
    );
    return rows.map((r: Row) => ({
      ticketId: Number(r.id),
      number: String(r.number),
      status: String(r.status),
      conductStaffId: (r.conductStaffId as string | null) ?? null,
      createdAt: toDate(r.createdAt)!,
    }));
  }
}
