import type { Callback, CityRequest, Deadline, ServiceForm, Ticket, TicketEvent, TicketPhoto } from '../../core/model.js';
import type { FaultReportDigest, ReadModels, TicketListFilter, TicketView } from '../../core/ports/read-models.js';
import { decodeRow, num, toDate, type Row } from '../codec.js';
import { COLUMNS } from '../generated/columns.js';
import type { Runner } from '../runner.js';
import { sql, type Sql } from '../statement.js';

const ticketRow = (r: Row) => decodeRow<Ticket>('Ticket', r);
/** A city request's columns in the card's statement, aliased "r_<column>" beside the ticket's. */
const SELECT_CITY = sql.raw(
  Object.keys(COLUMNS.CityRequest)
    .map((c) => `r."${c}" AS "r_${c}"`)
    .join(', '),
);

/** What the bots and pages show: a ticket with its events, photos, form and callbacks (the card and status views), lists and pages of tickets. */
export class SqlReadModels implements ReadModels {
  constructor(private readonly q: Runner) {}

  async ticketById(id: number): Promise<Ticket | null> {
    const r = await this.q.get(sql`SELECT * FROM "Ticket" WHERE "id" = ${id}`);
    return r ? ticketRow(r) : null;
  }

  async ticketByNumber(number: string): Promise<Ticket | null> {
    const r = await this.q.get(sql`SELECT * FROM "Ticket" WHERE "number" = ${number}`);
    return r ? ticketRow(r) : null;
  }

  async ticketsByIds(ids: readonly number[]): Promise<Ticket[]> {
    if (!ids.length) return [];
    const rows = await this.q.all(sql`SELECT * FROM "Ticket" WHERE "id" IN ${sql.list([...new Set(ids)])}`);
    return rows.map(ticketRow);
  }

  /**
   * The card is rendered on every Slack step: the ticket with its form and its city request (two
   * joins, each on a unique ticketId; a ticket has at most one of each), and its
   * events, photos, callbacks and deadlines, each statement naming the ticket the same way so that all four
   * go out at once (PostgreSQL runs them side by side on the pool; on SQLite each is a prepared
   * statement of a few microseconds).
   */
  async ticketView(by: { id: number } | { number: string }): Promise<TicketView | null> {
    const where: Sql = 'id' in by ? sql`${by.id}` : sql`(SELECT "id" FROM "Ticket" WHERE "number" = ${by.number})`;
    const head = 'id' in by ? sql`t."id" = ${by.id}` : sql`t."number" = ${by.number}`;
    const [top, events, photos, callbacks, deadlines] = await Promise.all([
      this.q.get(sql`SELECT t.*, f."id" AS "f_id", f."ticketId" AS "f_ticketId", f."workDone" AS "f_workDone", f."materials" AS "f_materials",
          f."feesCents" AS "f_feesCents", f."effect" AS "f_effect", f."afterSalesTerms" AS "f_afterSalesTerms", f."signed" AS "f_signed",
          f."customerConfirmed" AS "f_customerConfirmed", f."customerOpinion" AS "f_customerOpinion", f."confirmedAt" AS "f_confirmedAt",
          f."serviceDate" AS "f_serviceDate", f."hqReturnedAt" AS "f_hqReturnedAt", f."createdBy" AS "f_createdBy", f."createdAt" AS "f_createdAt",
          ${SELECT_CITY}
        FROM "Ticket" t LEFT JOIN "ServiceForm" f ON f."ticketId" = t."id" LEFT JOIN "CityRequest" r ON r."ticketId" = t."id" WHERE ${head}`),
      this.q.all(sql`SELECT * FROM "TicketEvent" WHERE "ticketId" = ${where} ORDER BY "at", "id"`),
      this.q.all(sql`SELECT * FROM "TicketPhoto" WHERE "ticketId" = ${where} ORDER BY "id"`),
      this.q.all(sql`SELECT * FROM "Callback" WHERE "ticketId" = ${where} ORDER BY "id"`),
      this.q.all(sql`SELECT * FROM "Deadline" WHERE "ticketId" = ${where} ORDER BY "generation", "id"`),
    ]);
    if (!top) return null;
    const ticket = decodeRow<Ticket>(
      'Ticket',
      pick(top, (k) => !k.startsWith('f_') && !k.startsWith('r_')),
      '',
    );
    const form = top.f_id === null || top.f_id === undefined ? null : decodeRow<ServiceForm>('ServiceForm', top, 'f_');
    const cityRequest = top.r_id === null || top.r_id === undefined ? null : decodeRow<CityRequest>('CityRequest', top, 'r_');
    return {
      ticket,
      events: events.map((r) => decodeRow<TicketEvent>('TicketEvent', r)),
      photos: photos.map((r) => decodeRow<TicketPhoto>('TicketPhoto', r)),
      form,
      callbacks: callbacks.map((r) => decodeRow<Callback>('Callback', r)),
      deadlines: deadlines.map((r) => decodeRow<Deadline>('Deadline', r)),
      cityRequest,
    };
  }

  async eventById(id: number): Promise<TicketEvent | null> {
    const r = await this.q.get(sql`SELECT * FROM "TicketEvent" WHERE "id" = ${id}`);
    return r ? decodeRow<TicketEvent>('TicketEvent', r) : null;
  }

  async callbackById(id: number): Promise<Callback | null> {
    const r = await this.q.get(sql`SELECT * FROM "Callback" WHERE "id" = ${id}`);
    return r ? decodeRow<Callback>('Callback', r) : null;
  }

  async ticketList(f: TicketListFilter, page: { offset: number; limit: number }): Promise<{ total: number; items: Ticket[] }> {
    const where = listWhere(f);
    const [count, rows] = await Promise.all([
      this.q.get(sql`SELECT COUNT(*) AS n FROM "Ticket" WHERE ${where}`),
      this.q.all(sql`SELECT * FROM "Ticket" WHERE ${where} ORDER BY "id" DESC LIMIT ${page.limit} OFFSET ${page.offset}`),
    ]);
    return { total: num(count?.n), items: rows.map(ticketRow) };
  }

  /**
   * Three small reads at once: the reports by the Ticket(createdAt) index (a window's worth of
   * rows, grouped here rather than read), the open incidents' areas (one row per covered
   * community), and the proposals owed by the outbox's (state, nextAt) index (a proposal is due
   * at once, so its nextAt is when it was owed, or later after a failed try).
   */
  async recentFaultReports(since: Date, proposedSince: Date): Promise<FaultReportDigest> {
    const [counts, covered, proposals] = await Promise.all([
      this.q.all(sql`SELECT "communityId", COUNT(*) AS n, MIN("createdAt") AS "first" FROM "Ticket"
        WHERE "createdAt" >= ${since} AND "category" IN ('no_heat', 'leak') AND "incidentId" IS NULL AND "communityId" IS NOT NULL
          AND "duplicateOfId" IS NULL AND "status" <> 'cancelled'
        GROUP BY "communityId"`),
      this.q.all(sql`SELECT "openCommunity" FROM "IncidentArea" WHERE "openCommunity" IS NOT NULL`),
      this.q.all(sql`SELECT "payload", "createdAt" FROM "OutboxMessage"
        WHERE "state" IN ('pending', 'sent', 'dead') AND "nextAt" >= ${proposedSince} AND "kind" = 'incident_proposal' AND "createdAt" >= ${proposedSince}`),
    ]);
    return {
      communities: counts.map((r) => ({ communityId: String(r.communityId), count: num(r.n), first: toDate(r.first)! })),
      covered: covered.map((r) => String(r.openCommunity)),
      proposals: proposals.flatMap((r) => {
        const areaKey = areaKeyOf(String(r.payload));
        return areaKey ? [{ areaKey, at: toDate(r.createdAt)! }] : [];
      }),
    };
  }
}

function areaKeyOf(payload: string): string | undefined {
  try {
    const k = (JSON.parse(payload) as { areaKey?: unknown }).areaKey;
    return typeof k === 'string' ? k : undefined;
  } catch {
    return undefined;
  }
}

function listWhere(f: TicketListFilter): Sql {
  const and: Sql[] = [];
  if (f.status?.length) and.push(sql`"status" IN ${sql.list(f.status)}`);
  if (f.branchId) and.push(sql`"branchId" = ${f.branchId}`);
  if (f.kind) and.push(sql`"kind" = ${f.kind}`);
  if (f.category) and.push(sql`"category" = ${f.category}`);
  if (f.residentId) and.push(sql`"residentId" = ${f.residentId}`);
  if (f.from) and.push(sql`"createdAt" >= ${f.from}`);
  if (f.to) and.push(sql`"createdAt" < ${f.to}`);
  if (f.overdueAt) {
    const now = f.overdueAt;
    and.push(sql`(("acceptedAt" IS NULL AND "ackDueAt" < ${now} AND "status" IN ('received', 'dispatched'))
      OR ("arrivedAt" IS NULL AND "resolvedAt" IS NULL AND "arriveDueAt" < ${now} AND "status" IN ('received', 'dispatched', 'accepted'))
      OR ("resolvedAt" IS NULL AND "resolveDueAt" < ${now} AND "status" IN ('received', 'dispatched', 'accepted', 'on_site')))`);
  }
  return and.length ? sql.join(and, ' AND ') : sql`1 = 1`;
}

function pick(r: Row, keep: (k: string) => boolean): Row {
  const out: Row = {};
  for (const k of Object.keys(r)) if (keep(k)) out[k] = r[k];
  return out;
}
