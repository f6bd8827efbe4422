/**
 * The Open311 reads (core/open311): a page of requests in two statements whatever its size (the
 * tickets with their city request and customer's account joined in; then the latest step of each,
 * found through the TicketEvent(ticketId, at) index), and the steps of a time window in two (the
 * events along TicketEvent(at) or the primary key, then their tickets). Ids and numbers go in as one parameter each (row-set.ts),
 * so the statements stay prepared for every page size.
 */
import { TELLING_STEPS } from '../../core/open311/open311-status.js';
import { OPEN_STATUSES, STATUSES, type Status } from '../../core/tickets/status-machine.js';
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

/** Statuses as SQL text: only the names of the status machine, so nothing from outside reaches the text. */
function statusList(statuses: readonly Status[]): Sql {
  for (const s of statuses) if (!STATUSES.includes(s)) throw new Error(`not a ticket status: ${s}`);
  return sql.raw(statuses.map((s) => `'${s}'`).join(', '));
}

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
    // Few tickets are open at once against a season of closed ones: a filter on open statuses is
    // read by the Ticket(status, branchId) index, the filing window checked row by row. The
    // statuses are written into the text (a closed list) and the creation time is kept off its
    // index, because PostgreSQL's generic plan of a prepared statement, blind to the values, would
    // walk the whole window along Ticket(createdAt) instead (74 ms against 2 ms at 200,000 tickets).
    const byStatus = f.statuses !== undefined && f.statuses.length > 0 && f.statuses.every((s) => OPEN_STATUSES.includes(s));
    const created = byStatus ? dialect({ sqlite: sql`+t."createdAt"`, postgresql: sql`(t."createdAt" + INTERVAL '0 seconds')` }) : sql`t."createdAt"`;
    if (f.from) and.push(sql`${created} >= ${f.from}`);
    if (f.to) and.push(sql`${created} <= ${f.to}`);
    if (f.statuses) and.push(f.statuses.length ? sql`t."status" IN (${statusList(f.statuses)})` : sql`1 = 0`);
    if (f.hideConduct) and.push(sql`NOT ${isConduct('t')}`);
    const where = and.length ? sql.join(and, ' AND ') : sql`1 = 1`;
    const rows = await this.q.all(
      sql`SELECT ${SELECT_TICKET}, c."account" AS "c_account", ${SELECT_CITY}
        FROM "Ticket" t LEFT JOIN "CityRequest" r ON r."ticketId" = t."id" LEFT JOIN "Customer" c ON c."id" = t."customerId"
        WHERE ${where} ORDER BY ${created} DESC, t."id" DESC LIMIT ${f.limit}`,
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

  /**
   * Written so that every plan either database may pick is a short walk along one index: the
   * statements are prepared, and PostgreSQL's generic plan, blind to the values, once preferred a
   * parallel scan (10 ms to start its workers) or walked 90 days of TicketEvent(at) and sorted it.
   * - By time (no cursor): along TicketEvent(at) from the start, ordered by time then id, so it
   *   stops at the limit however wide the window.
   * - By cursor: along the primary key from the cursor, the window checked row by row (the time is
   *   kept off its index); the id's upper bound, always the largest id, is there so that the
   *   generic plan reads the id range as narrow, as a cursor's is.
   * - Conduct is a per-row lookup by the ticket's primary key: as a join, SQLite built a Bloom
   *   filter over the whole Ticket table on every poll, PostgreSQL a hash of it.
   * The page's tickets are then read by id, a second statement of at most `limit` lookups.
   */
  async steps(f: StepFilter): Promise<StepRow[]> {
    const cursor = f.after !== undefined;
    const at = cursor ? dialect({ sqlite: sql`+e."at"`, postgresql: sql`(e."at" + INTERVAL '0 seconds')` }) : sql`e."at"`;
    const and: Sql[] = [sql`${at} >= ${f.from}`, sql`${at} <= ${f.to}`, isStep('e')];
    if (cursor) and.push(sql`e."id" > ${f.after} AND e."id" <= ${MAX_ID}`);
    if (f.hideConduct) and.push(sql`(SELECT ${isConduct('c')} FROM "Ticket" c WHERE c."id" = e."ticketId") IS NOT TRUE`);
    const order = cursor ? sql`e."id"` : sql`e."at", e."id"`;
    const events = (await this.q.all(sql`SELECT e.* FROM "TicketEvent" e WHERE ${sql.join(and, ' AND ')} ORDER BY ${order} LIMIT ${f.limit}`)).map(eventOf);
    if (!events.length) return [];
    const tickets = new Map<number, StepRow['ticket']>();
    const rows = await this.q.all(
      sql`SELECT "id", "number", "kind", "category", "branchId" FROM "Ticket" WHERE "id" IN ${idSet(events.map((e) => e.ticketId))}`,
    );
    for (const r of rows) tickets.set(num(r.id), stepTicketOf(r));
    return events.map((event) => ({ event, ticket: tickets.get(event.ticketId)! }));
  }
}

/** The largest id either database's integer key holds. */
const MAX_ID = 2_147_483_647;

const stepTicketOf = columnsDecoder<StepRow['ticket']>('Ticket', ['number', 'kind', 'category', 'branchId']);
const eventOf = columnsDecoder<TicketEvent>('TicketEvent', Object.keys(COLUMNS.TicketEvent));
