import type { Severity } from '../../core/domain.js';
import type { DutyAssignment, DutyLogEntry, Handover, Ticket } from '../../core/model.js';
import type { DutyRange, DutyStore, Page, Place } from '../../core/ports/duty-store.js';
import type { Status } from '../../core/tickets/status-machine.js';
import { decodeRow, type Row } from '../codec.js';
import type { Runner } from '../runner.js';
import { insertSql, sql } from '../statement.js';

const handoverRow = (r: Row) => decodeRow<Handover>('Handover', r);
const entryRow = (r: Row) => decodeRow<DutyLogEntry>('DutyLogEntry', r);
const ticketRow = (r: Row) => decodeRow<Ticket>('Ticket', r);
const assignmentRow = (r: Row) => decodeRow<DutyAssignment>('DutyAssignment', r);
const atUnit = (unitId: string | null) => (unitId === null ? sql`"unitId" IS NULL` : sql`"unitId" = ${unitId}`);
const within = (column: string, range: DutyRange) =>
  sql`${range.from ? sql` AND ${sql.ident(column)} >= ${range.from}` : sql``}${range.until ? sql` AND ${sql.ident(column)} < ${range.until}` : sql``}`;

/** The centre keeps its log and handovers without a branch. */
const atPlace = (place: Place) => (place === null ? sql`"branchId" IS NULL` : sql`"branchId" = ${place}`);

/** Duty log and shift handovers (R4). */
export class SqlDutyStore implements DutyStore {
  constructor(private readonly q: Runner) {}

  async addEntry(entry: Omit<DutyLogEntry, 'id'>): Promise<DutyLogEntry> {
    const r = await this.q.get(sql`${insertSql('DutyLogEntry', [{ ...entry }])} RETURNING *`);
    return entryRow(r!);
  }

  async entries(place: Place, range: { after: Date | null; until?: Date }, limit: number): Promise<DutyLogEntry[]> {
    const after = range.after ? sql` AND "at" > ${range.after}` : sql``;
    const until = range.until ? sql` AND "at" <= ${range.until}` : sql``;
    const rows = await this.q.all(sql`SELECT * FROM "DutyLogEntry" WHERE ${atPlace(place)}${after}${until} ORDER BY "at", "id" LIMIT ${limit}`);
    return rows.map(entryRow);
  }

  async tickets(filter: { branchId: Place; severities: readonly Severity[]; statuses: readonly Status[] }, limit: number): Promise<Ticket[]> {
    const branch = filter.branchId === null ? sql`` : sql` AND "branchId" = ${filter.branchId}`;
    const rows = await this.q.all(
      sql`SELECT * FROM "Ticket" WHERE "severity" IN ${sql.list(filter.severities)} AND "status" IN ${sql.list(filter.statuses)}${branch} ORDER BY "id" LIMIT ${limit}`,
    );
    return rows.map(ticketRow);
  }

  async ticketsByNumber(numbers: readonly string[]): Promise<Ticket[]> {
    if (!numbers.length) return [];
    const rows = await this.q.all(sql`SELECT * FROM "Ticket" WHERE "number" IN ${sql.list([...new Set(numbers)])} ORDER BY "id"`);
    return rows.map(ticketRow);
  }

  async handoverById(id: number): Promise<Handover | null> {
    const r = await this.q.get(sql`SELECT * FROM "Handover" WHERE "id" = ${id}`);
    return r ? handoverRow(r) : null;
  }

  async lastHandover(place: Place, before?: Date): Promise<Handover | null> {
    const cut = before ? sql` AND "outgoingSignedAt" < ${before}` : sql``;
    const r = await this.q.get(sql`SELECT * FROM "Handover" WHERE ${atPlace(place)}${cut} ORDER BY "outgoingSignedAt" DESC, "id" DESC LIMIT 1`);
    return r ? handoverRow(r) : null;
  }

  async startHandover(
    h: Pick<Handover, 'branchId' | 'outgoingStaffId' | 'outgoingSignedAt' | 'summary' | 'openUrgent'>,
    hold?: Omit<DutyAssignment, 'id' | 'handoverId'> | null,
  ): Promise<Handover> {
    return this.q.transaction(async (tx) => {
      const r = await tx.get(sql`${insertSql('Handover', [{ ...h, createdAt: h.outgoingSignedAt }])} RETURNING *`);
      const handover = handoverRow(r!);
      if (hold) await tx.run(insertSql('DutyAssignment', [{ ...hold, handoverId: handover.id }]));
      return handover;
    });
  }

  /** The condition on the row makes the first signature win, however many clicks arrive at once. */
  async acceptHandover(id: number, incoming: { staffId: string; at: Date }, moves?: Omit<DutyAssignment, 'id'> | null): Promise<Handover | null> {
    return this.q.transaction(async (tx) => {
      const r = await tx.get(
        sql`UPDATE "Handover" SET "incomingStaffId" = ${incoming.staffId}, "incomingSignedAt" = ${incoming.at} WHERE "id" = ${id} AND "incomingStaffId" IS NULL RETURNING *`,
      );
      if (!r) return null;
      if (moves) await tx.run(insertSql('DutyAssignment', [{ ...moves }]));
      return handoverRow(r);
    });
  }

  async objectToHandover(id: number, o: { staffId: string; text: string; at: Date }): Promise<Handover | null> {
    return this.q.transaction(async (tx) => {
      const r = await tx.get(
        sql`UPDATE "Handover" SET "objection" = ${o.text}, "objectedBy" = ${o.staffId}, "objectedAt" = ${o.at} WHERE "id" = ${id} AND "incomingStaffId" IS NULL AND "objectedAt" IS NULL RETURNING *`,
      );
      if (!r) return null;
      const h = handoverRow(r);
      await tx.run(insertSql('DutyLogEntry', [{ staffId: o.staffId, branchId: h.branchId, text: o.text, ticketNumber: null, at: o.at }]));
      return h;
    });
  }

  async assignmentsAt(places: readonly { branchId: string | null; unitId: string | null }[], at: Date): Promise<DutyAssignment[]> {
    if (!places.length) return [];
    // each place's latest row by the (branchId, unitId, from) index, in one statement
    const one = (p: { branchId: string | null; unitId: string | null }) =>
      sql`SELECT * FROM (SELECT * FROM "DutyAssignment" WHERE ${atPlace(p.branchId)} AND ${atUnit(p.unitId)} AND "from" <= ${at} ORDER BY "from" DESC, "id" DESC LIMIT 1) AS "p"`;
    const rows = await this.q.all(sql.join(places.map(one), ' UNION ALL '));
    return rows.map(assignmentRow);
  }

  async handovers(place: Place, range: DutyRange, page: Page): Promise<Handover[]> {
    const rows = await this.q.all(
      sql`SELECT * FROM "Handover" WHERE ${atPlace(place)}${within('outgoingSignedAt', range)} ORDER BY "outgoingSignedAt" DESC, "id" DESC LIMIT ${page.limit} OFFSET ${page.offset}`,
    );
    return rows.map(handoverRow);
  }

  async recentEntries(place: Place, range: DutyRange, page: Page): Promise<DutyLogEntry[]> {
    const rows = await this.q.all(
      sql`SELECT * FROM "DutyLogEntry" WHERE ${atPlace(place)}${within('at', range)} ORDER BY "at" DESC, "id" DESC LIMIT ${page.limit} OFFSET ${page.offset}`,
    );
    return rows.map(entryRow);
  }
}
