import type { Severity } from '../../core/domain.js';
import type { DutyLogEntry, Handover, Ticket } from '../../core/model.js';
import type { DutyStore, Place } from '../../core/ports/duty-store.js';
import type { Status } from '../../core/tickets/status-machine.js';
import { decodeRow, type Row } from '../codec.js';
import type { Runner } from '../runner.js';
import { insertSql, sql } from '../statement.js';

const handoverRow = (r: Row) => decodeRow<Handover>('Handover', r);
const entryRow = (r: Row) => decodeRow<DutyLogEntry>('DutyLogEntry', r);
const ticketRow = (r: Row) => decodeRow<Ticket>('Ticket', r);

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

  async startHandover(h: Pick<Handover, 'branchId' | 'outgoingStaffId' | 'outgoingSignedAt' | 'summary' | 'openUrgent'>): Promise<Handover> {
    const r = await this.q.get(sql`${insertSql('Handover', [{ ...h, createdAt: h.outgoingSignedAt }])} RETURNING *`);
    return handoverRow(r!);
  }

  /** The condition on the row makes the first signature win, however many clicks arrive at once. */
  async acceptHandover(id: number, incoming: { staffId: string; at: Date }): Promise<Handover | null> {
    const r = await this.q.get(
      sql`UPDATE "Handover" SET "incomingStaffId" = ${incoming.staffId}, "incomingSignedAt" = ${incoming.at} WHERE "id" = ${id} AND "incomingStaffId" IS NULL RETURNING *`,
    );
    return r ? handoverRow(r) : null;
  }
}
