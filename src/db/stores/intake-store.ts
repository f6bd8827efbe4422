import { AppError } from '../../core/errors.js';
import type { Ticket } from '../../core/model.js';
import type { Filing, IntakeStore, ResidentNote } from '../../core/ports/intake-store.js';
import { ticketNumber } from '../../core/tickets/numbering.js';
import type { Status } from '../../core/tickets/status-machine.js';
import { decodeRow, num, toDate, type Model } from '../codec.js';
import type { Runner } from '../runner.js';
import { insertSql, sql, type Cell, type Sql } from '../statement.js';
import { insertRowSet } from '../row-set.js';
import { oweSql } from './outbox-store.js';
import { receiptSql, storedReceiptsSql } from './receipt-store.js';

/** The day's next number of a counter, drawn in the caller's transaction (the row stays locked until it ends). */
const drawSql = (counter: string) =>
  sql`INSERT INTO "TicketCounter" ("key", "value") VALUES (${counter}, 1)
      ON CONFLICT ("key") DO UPDATE SET "value" = "TicketCounter"."value" + 1 RETURNING "value"`;

/** Filing a ticket: the day's number, the ticket with its events, photos, alerts and messages, what a city platform sent, and the receipts of the requests that file it, in one transaction; the per-resident flood count. */
export class SqlIntakeStore implements IntakeStore {
  constructor(private readonly q: Runner) {}

  /**
   * The hot path of a cold snap: no read before a write. The receipts come first, so a replay is
   * refused before it draws a number; the number is drawn in the same transaction as the ticket,
   * so a filing that fails gives it back with everything else.
   */
  file(f: Filing): Promise<Ticket> {
    return this.q.dialect === 'postgresql' ? this.fileInOneStatement(f) : this.fileInGroupCommit(f);
  }

  /** SQLite: statements are calls on the connection, and the group commit shares one disk write among the filings of a turn. */
  private fileInGroupCommit(f: Filing): Promise<Ticket> {
    return this.q.groupCommit(async (tx) => {
      const stored: string[] = [];
      for (const key of onceKeys(f)) if ((await tx.run(receiptSql(key, f.ticket.createdAt))) === 0) stored.push(key);
      // thrown inside the filing's savepoint: the receipts taken before the stored one go with it
      if (stored.length) throw alreadyFiled(stored);
      // counted only while the incident is open: restored meanwhile, the filing is refused (and decided again unlinked)
      if (f.incidentId !== undefined && (await tx.run(countLinkSql(f.incidentId, f.ticket.createdAt))) === 0) throw incidentClosed(f.incidentId);
      const drawn = await tx.get<{ value: unknown }>(drawSql(f.counter));
      // RETURNING *: the schema's defaults come back as stored, not as a copy kept here
      const row = await tx.get(sql`${insertSql('Ticket', [{ ...f.ticket, number: ticketNumber(f.counter, num(drawn?.value)) }])} RETURNING *`);
      const ticket = decodeRow<Ticket>('Ticket', row!);
      const eventIds = f.events.length
        ? (
            await tx.all<{ id: unknown }>(
              insertSql(
                'TicketEvent',
                f.events.map((e) => ({ ...e, ticketId: ticket.id })),
                { returning: ['id'] },
              ),
            )
          )
            .map((r) => num(r.id))
            // ids grow in the order of the rows; RETURNING promises no order
            .sort((a, b) => a - b)
        : [];
      if (f.deadlines.length) await tx.run(insertSql('Deadline', deadlineRows(ticket.id, f)));
      if (f.photos.length)
        await tx.run(
          insertSql(
            'TicketPhoto',
            f.photos.map((p) => ({ ...p, ticketId: ticket.id })),
          ),
        );
      if (f.cityRequest) await tx.run(insertSql('CityRequest', [{ ...f.cityRequest, ticketId: ticket.id }]));
      const { messages, alerts } = f.owes({ ticketId: ticket.id, eventIds });
      for (const s of oweSql(tx.dialect, messages)) await tx.run(s);
      if (alerts.length) await tx.run(insertSql('ScheduledAlert', alerts, { onConflictDoNothing: 'key' }));
      return ticket;
    });
  }

  /**
   * PostgreSQL: each statement is a round trip, and every filing of the day waits for the day's
   * counter row from the moment another draws from it until that one's commit is on disk. As a
   * transaction of statements, the row stayed held over five round trips (bench/: intake bound by
   * it, a second instance gained nothing). So the ids come first (a sequence takes no lock, and
   * an id reserved but not used is harmless), and the receipts, the draw and every row then go as
   * one statement, its own transaction: the counter is held for that statement's end and its
   * commit only. The receipts are taken only if none of them is stored, the draw only if all of
   * them were taken, the ticket FROM the draw, and every other table's rows are stored only with
   * the ticket, so a refused receipt stores nothing; a failing row fails the statement, and the
   * number with it.
   */
  private async fileInOneStatement(f: Filing): Promise<Ticket> {
    const ids = await this.q.get<{ id: unknown; events: unknown[] }>(
      sql`SELECT nextval(pg_get_serial_sequence('"Ticket"', 'id')) AS "id",
                 ARRAY(SELECT nextval(pg_get_serial_sequence('"TicketEvent"', 'id')) FROM generate_series(1, ${f.events.length}::int)) AS "events"`,
    );
    const ticketId = num(ids?.id);
    const eventIds = (ids?.events ?? []).map(num);
    const { messages, alerts } = f.owes({ ticketId, eventIds });
    const parts: Sql[] = [];
    const keys = onceKeys(f);
    // one JSON parameter for the keys, so the text stays the same whatever their number
    const list = JSON.stringify(keys);
    const linked = f.incidentId !== undefined;
    if (linked) {
      // the incident's count of linked reports, only while it is open: a restore holding its row
      // makes this wait and then find it restored, and the filing stores nothing
      const fresh = keys.length ? sql` AND NOT EXISTS (SELECT 1 FROM "InboundReceipt" WHERE "key" IN (SELECT json_array_elements_text(${list}::json)))` : sql``;
      parts.push(
        sql`"o" AS (UPDATE "Incident" SET "linkedCount" = "linkedCount" + 1, "updatedAt" = ${f.ticket.createdAt}::timestamp(3)
                    WHERE "id" = ${f.incidentId}::int AND "status" = 'open'${fresh} RETURNING 1)`,
      );
    }
    if (keys.length) {
      parts.push(
        sql`"r" AS (INSERT INTO "InboundReceipt" ("key", "receivedAt")
                    SELECT "k", ${f.ticket.createdAt}::timestamp(3) FROM json_array_elements_text(${list}::json) AS "k"
                    WHERE NOT EXISTS (SELECT 1 FROM "InboundReceipt" WHERE "key" IN (SELECT json_array_elements_text(${list}::json)))${linked ? sql` AND EXISTS (SELECT 1 FROM "o")` : sql``}
                    ON CONFLICT ("key") DO NOTHING RETURNING 1)`,
      );
    }
    parts.push(
      sql`"c" AS (INSERT INTO "TicketCounter" ("key", "value") SELECT ${f.counter}::text, 1 ${keys.length ? sql`WHERE (SELECT count(*) FROM "r") = ${keys.length}::int` : linked ? sql`WHERE EXISTS (SELECT 1 FROM "o")` : sql``}
                  ON CONFLICT ("key") DO UPDATE SET "value" = "TicketCounter"."value" + 1 RETURNING "value")`,
    );
    // the number as ticketNumber (numbering.ts) writes it: at least four digits
    const number = sql`${f.counter}::text || '-' || lpad("c"."value"::text, greatest(4, length("c"."value"::text)), '0')`;
    parts.push(sql`"t" AS (${insertFrom('c', 'Ticket', { id: ticketId, ...f.ticket }, { number })} RETURNING *)`);
    // each table's rows as one JSON parameter, stored only with the ticket: the statement's text
    // is the same whatever the number of rows, so it stays prepared and planned
    const rowSet = (name: string, table: Model, rows: readonly object[], key?: string) => {
      if (rows.length) parts.push(sql`${sql.ident(name)} AS (${insertRowSet('postgresql', table, rows, key, 't')})`);
    };
    rowSet(
      'e',
      'TicketEvent',
      f.events.map((e, i) => ({ id: eventIds[i], ticketId, ...e })),
    );
    rowSet(
      'p',
      'TicketPhoto',
      f.photos.map((p) => ({ ticketId, ...p })),
    );
    rowSet('d', 'Deadline', deadlineRows(ticketId, f));
    rowSet('q', 'CityRequest', f.cityRequest ? [{ ticketId, ...f.cityRequest }] : []);
    rowSet('m', 'OutboxMessage', messages, 'key');
    rowSet('a', 'ScheduledAlert', alerts, 'key');
    const row = await this.q.get(sql`WITH ${sql.join(parts)} SELECT * FROM "t"`);
    if (!row) {
      // only a refused receipt stores no ticket; which of them were stored is read on this rare path
      const stored = keys.length ? await this.q.all<{ key: string }>(storedReceiptsSql(keys)) : [];
      if (!stored.length && f.incidentId !== undefined) throw incidentClosed(f.incidentId);
      throw alreadyFiled(stored.map((r) => r.key));
    }
    return decodeRow<Ticket>('Ticket', row);
  }

  async reportsSince(residentId: number, since: Date): Promise<{ count: number; first: Date | null }> {
    const r = await this.q.get<{ n: unknown; first: unknown }>(
      sql`SELECT COUNT(*) AS "n", MIN("createdAt") AS "first" FROM "Ticket" WHERE "residentId" = ${residentId} AND "createdAt" > ${since}`,
    );
    return { count: num(r?.n), first: toDate(r?.first) };
  }

  attachPhoto(p: { residentId: number; statuses: readonly Status[]; since: Date; fileId: string; at: Date }): Promise<string | null> {
    return this.q.transaction(async (tx) => {
      const t = await tx.get<{ id: unknown; number: string }>(
        sql`SELECT "id", "number" FROM "Ticket"
            WHERE "residentId" = ${p.residentId} AND "status" IN ${sql.list(p.statuses)} AND "createdAt" >= ${p.since}
            ORDER BY "id" DESC LIMIT 1`,
      );
      if (!t) return null;
      await tx.run(insertSql('TicketPhoto', [{ ticketId: num(t.id), fileId: p.fileId, createdAt: p.at }]));
      return t.number;
    });
  }

  addNote(n: ResidentNote): Promise<number> {
    return this.q.transaction(async (tx) => {
      const r = await tx.get<{ id: unknown }>(insertSql('TicketEvent', [{ ...n.event, ticketId: n.ticketId }], { returning: ['id'] }));
      const eventId = num(r?.id);
      if (n.photos?.length)
        await tx.run(
          insertSql(
            'TicketPhoto',
            n.photos.map((ph) => ({ ...ph, ticketId: n.ticketId })),
          ),
        );
      if (n.callback) await tx.run(sql`UPDATE "Callback" SET "comment" = ${n.callback.comment} WHERE "id" = ${n.callback.id} AND "comment" IS NULL`);
      for (const s of oweSql(tx.dialect, n.owes(eventId))) await tx.run(s);
      return eventId;
    });
  }

  async cityRequestNumber(clientId: string, onceKey: string): Promise<string | null> {
    const r = await this.q.get<{ number: string }>(
      sql`SELECT t."number" FROM "CityRequest" c JOIN "Ticket" t ON t."id" = c."ticketId" WHERE c."clientId" = ${clientId} AND c."onceKey" = ${onceKey}`,
    );
    return r?.number ?? null;
  }
}

/** One more report linked to an incident (its card shows the count), while it is open. */
function countLinkSql(incidentId: number, at: Date): Sql {
  return sql`UPDATE "Incident" SET "linkedCount" = "linkedCount" + 1, "updatedAt" = ${at} WHERE "id" = ${incidentId} AND "status" = 'open'`;
}

/** The refusal of a filing linked to an incident restored since intake read it: the caller decides it again, unlinked. */
function incidentClosed(incidentId: number): AppError {
  return new AppError('concurrent_update', `incident ${incidentId} was restored while the report was being filed`, { incidentId, incidentRestored: true });
}

/** A filing's receipt keys, each once, in the caller's order. */
function onceKeys(f: Filing): string[] {
  return [...new Set(f.onceKeys ?? [])];
}

/** The refusal of a filing whose request was handled before: `keys` are the receipts stored already. */
function alreadyFiled(keys: string[]): AppError {
  return new AppError('already_filed', `${keys.join(', ')} filed already`, { keys });
}

/** A filing's deadlines as rows: the first generation of the ticket's. */
function deadlineRows(ticketId: number, f: Filing) {
  return f.deadlines.map((d) => ({ ticketId, name: d.name, generation: 0, startedAt: d.startedAt, dueAt: d.dueAt }));
}

/**
 * INSERT of one row FROM an earlier part of the same statement: the row is stored only if that
 * part gave a row. PostgreSQL types the parameters by the columns they go into.
 */
function insertFrom(from: string, table: string, row: Record<string, Cell>, computed: Record<string, Sql>): Sql {
  const cols = [...Object.keys(row), ...Object.keys(computed)];
  const values = [...Object.values(row).map((v) => sql`${v ?? null}`), ...Object.values(computed)];
  return sql`INSERT INTO ${sql.ident(table)} (${sql.join(cols.map(sql.ident))}) SELECT ${sql.join(values)} FROM ${sql.ident(from)}`;
}
