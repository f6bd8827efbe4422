/**
 * The Open311 reads (core/open311): a page of requests in two statements whatever its size (the
 * tickets with their city request and customer's account joined in; then the latest step of each,
 * found through the TicketEvent(ticketId, at) index), and the steps of a time window in one
 * (through the TicketEvent(at) index). Ids and numbers go in as one parameter each (row-set.ts),
 * so the statements stay prepared for every page size.
 */
import { TELLING_STEPS } from '../../core/open311/open311-status.js';
import type { CityRequest, TicketEvent } from '../../core/model.js';
import type { CityRequestReads, RequestFilter, RequestRow, RequestTicket, StepFilter, StepRow } from '../../core/ports/city-request-reads.js';
import { columnsDecoder, decodeRow, num, type Row } from '../codec.js';
import { COLUMNS } from '../generated/columns.js';
import { idSet } from '../row-set.js';
import type { Runner } from '../runner.js';
import { dialect, sql, type Sql } from '../statement.js';

const TICKET_FIELDS = [
  'id',
  'number',
  'kind',
  'category',
  'status',
  'description',
  'communityId',
  'address',
  'building',
  'unit',
  'room',
  'branchId',
  'conductStaffId',
  'incidentId',
  'arrivedAt',
  'arriveDueAt',
  'resolveDueAt',
  'createdAt',
  'updatedAt',
] as const satisfies readonly (keyof RequestTicket)[];
const CITY_FIELDS = Object.keys(COLUMNS.CityRequest);

const ticketOf = columnsDecoder<RequestTicket>('Ticket', TICKET_FIELDS);
const cityOf = columnsDecoder<CityRequest>('CityRequest', CITY_FIELDS, 'r_');
const SELECT_TICKET = sql.raw(TICKET_FIELDS.map((f) => `t."${f}"`).join(', '));
const SELECT_CITY = sql.raw(CITY_FIELDS.map((f) => `r."${f}" AS "r_${f}"`).join(', '));

/** A set of texts as one parameter, like idSet. */
function textSet(values: readonly string[]): Sql {
  return dialect({
    sqlite: sql`(SELECT "value" FROM json_each(${JSON.stringify(values)}))`,
    postgresql: sql`(SELECT unnest(${values}::text[]))`,
  });
}

/**
 * A step a city platform follows (isStatusStep in core/open311/open311-status.ts): it changed the
 * status, or it is a transfer, reopen or outage link, which may leave the status as it was.
 */
const isStep = (e: string): Sql =>
  sql.raw(
    `(${e}."toStatus" IS NOT NULL AND (${e}."fromStatus" IS NULL OR ${e}."fromStatus" <> ${e}."toStatus" OR ${e}."type" IN (${TELLING_STEPS.map((s) => `'${s}'`).join(', ')})))`,
  );

/** Complaints about a staff member's conduct (R31-R33): never shown to the public. */
const isConduct = (t: string): Sql => sql.raw(`(${t}."category" = 'staff_conduct' OR ${t}."conductStaffId" IS NOT NULL)`);

export class SqlCityRequestReads implements CityRequestReads {
  constructor(private readonly q: Runner) {}

  async requests(f: RequestFilter): Promise<RequestRow[]> {
    const and: Sql[] = [];
    if (f.numbers) and.push(f.numbers.length ? sql`t."number" IN ${textSet(f.numbers)}` : sql`1 = 0`);
    if (f.services) {
      const any = f.services.map((s) => (s.category ? sql`(t."kind" = ${s.kind} AND t."category" = ${s.category})` : sql`t."kind" = ${s.kind}`));
      and.push(any.length ? sql`(${sql.join(any, ' OR ')})` : sql`1 = 0`);
    }
    if (f.from) and.push(sql`t."createdAt" >= ${f.from}`);
    if (f.to) and.push(sql`t."createdAt" <= ${f.to}`);
    if (f.statuses) and.push(f.statuses.length ? sql`t."status" IN ${sql.list(f.statuses)}` : sql`1 = 0`);
    if (f.hideConduct) and.push(sql`NOT ${isConduct('t')}`);
    const where = and.length ? sql.join(and, ' AND ') : sql`1 = 1`;
    const rows = await this.q.all(
      sql`SELECT ${SELECT_TICKET}, c."account" AS "c_account", ${SELECT_CITY}
        FROM "Ticket" t LEFT JOIN "CityRequest" r ON r."ticketId" = t."id" LEFT JOIN "Customer" c ON c."id" = t."customerId"
        WHERE ${where} ORDER BY t."createdAt" DESC, t."id" DESC LIMIT ${f.limit}`,
    );
    if (!rows.length) return [];
    const ids = rows.map((r) => num(r.id));
    // the latest step of each ticket: a walk back along TicketEvent(ticketId, at) that stops at the first step
    const steps = await this.q.all(
      sql`SELECT e.* FROM "Ticket" t JOIN "TicketEvent" e ON e."id" = (
          SELECT x."id" FROM "TicketEvent" x WHERE x."ticketId" = t."id" AND ${isStep('x')} ORDER BY x."at" DESC, x."id" DESC LIMIT 1)
        WHERE t."id" IN ${idSet(ids)}`,
    );
    const latest = new Map<number, TicketEvent>();
    for (const s of steps) {
      const e = decodeRow<TicketEvent>('TicketEvent', s);
      latest.set(e.ticketId, e);
    }
    return rows.map((r: Row) => {
      const ticket = ticketOf(r);
      return {
        ticket,
        cityRequest: r.r_id === null || r.r_id === undefined ? null : cityOf(r),
        account: r.c_account === null || r.c_account === undefined ? null : String(r.c_account),
        latestStep: latest.get(ticket.id) ?? null,
      };
    });
  }

  async steps(f: StepFilter): Promise<StepRow[]> {
    // a poll by cursor reads what was stored since: the primary key drives it (on SQLite the
    // unary plus keeps the planner off the TicketEvent(at) index, whose window is then 90 days wide)
    const atCol = f.after === undefined ? sql`e."at"` : dialect({ sqlite: sql`+e."at"`, postgresql: sql`e."at"` });
    const and: Sql[] = [sql`${atCol} >= ${f.from}`, sql`${atCol} <= ${f.to}`, isStep('e')];
    if (f.after !== undefined) and.push(sql`e."id" > ${f.after}`);
    if (f.hideConduct) and.push(sql`NOT EXISTS (SELECT 1 FROM "Ticket" c WHERE c."id" = e."ticketId" AND ${isConduct('c')})`);
    // the page of events first, then their tickets: joined directly, SQLite's planner builds a Bloom
    // filter over the whole Ticket table for every poll (a scan that grows with the table)
    const rows = await this.q.all(
      sql`SELECT e.*, t."number" AS "t_number", t."kind" AS "t_kind", t."category" AS "t_category", t."branchId" AS "t_branchId"
        FROM (SELECT e.* FROM "TicketEvent" e WHERE ${sql.join(and, ' AND ')} ORDER BY e."id" LIMIT ${f.limit}) e
        JOIN "Ticket" t ON t."id" = e."ticketId" ORDER BY e."id"`,
    );
    return rows.map((r) => ({
      event: eventOf(r),
      ticket: {
        number: String(r.t_number),
        kind: r.t_kind as StepRow['ticket']['kind'],
        category: r.t_category as StepRow['ticket']['category'],
        branchId: r.t_branchId === null || r.t_branchId === undefined ? null : String(r.t_branchId),
      },
    }));
  }
}

const eventOf = columnsDecoder<TicketEvent>('TicketEvent', Object.keys(COLUMNS.TicketEvent));
