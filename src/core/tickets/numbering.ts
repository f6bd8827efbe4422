import { KIND_LETTER, type TicketKind } from '../domain.js';
import { localDateKey } from '../local-time.js';
import type { Db } from '../../db/client.js';
import { pgDirectOf } from '../../db/pg-direct.js';
import type { SqliteDirect } from '../../db/sqlite-direct.js';

/**
 * The next human number, T20261128-0042: kind letter, local date, daily sequence.
 * One atomic upsert on the counter row (INSERT .. ON CONFLICT .. RETURNING works on
 * SQLite and PostgreSQL alike), so concurrent intakes never share a number.
 */
const UPSERT = `INSERT INTO "TicketCounter" ("key", "value") VALUES (?, 1)
  ON CONFLICT ("key") DO UPDATE SET "value" = "TicketCounter"."value" + 1 RETURNING "value"`;

const format = (key: string, n: number | bigint) => `${key}-${String(Number(n)).padStart(4, '0')}`;
const counterKey = (kind: TicketKind, at: Date) => `${KIND_LETTER[kind]}${localDateKey(at)}`;

/**
 * PostgreSQL: the number, the ticket's id and its events' ids, taken before the ticket is written,
 * in one statement that commits without waiting for the disk (synchronous_commit off for its own
 * implicit transaction). Taken inside the ticket's transaction, the day's counter row stayed
 * locked until that commit's fsync, so every intake queued behind the one before it, whatever
 * the number of instances (bench/). It is safe: the ticket's own commit flushes the log up to
 * itself, counter included, so a stored ticket's number is never given again after a crash. A
 * ticket that fails after this leaves a gap in the day's numbers (nothing requires none), and
 * ids known in advance let the ticket's rows go to the database as one statement.
 */
export async function reserveTicketPg(db: Db, kind: TicketKind, at: Date, events: number): Promise<{ number: string; id: number; eventIds: number[] }> {
  const key = counterKey(kind, at);
  const sql = `WITH cfg AS (SELECT set_config('synchronous_commit', 'off', true)),
          c AS (INSERT INTO "TicketCounter" ("key", "value") SELECT $1, 1 FROM cfg
                ON CONFLICT ("key") DO UPDATE SET "value" = "TicketCounter"."value" + 1 RETURNING "value")
     SELECT c."value", nextval(pg_get_serial_sequence('"Ticket"', 'id')) AS "id",
            ARRAY(SELECT nextval(pg_get_serial_sequence('"TicketEvent"', 'id')) FROM generate_series(1, $2::int)) AS "events"
     FROM c`;
  type Row = { value: number | bigint; id: number | bigint; events: (number | bigint | string)[] };
  const [row] = await pgDirectOf(db).query<Row>(sql, [key, events]);
  return { number: format(key, row.value), id: Number(row.id), eventIds: row.events.map(Number) };
}

/** The same, inside a synchronous SQLite transaction (see db/sqlite-direct.ts). */
export function nextTicketNumberSync(direct: SqliteDirect, kind: TicketKind, at: Date): string {
  const key = counterKey(kind, at);
  return format(key, (direct.stmt(UPSERT).get(key) as { value: number }).value);
}
