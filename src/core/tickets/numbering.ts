import { KIND_LETTER, type TicketKind } from '../domain.js';
import { localDateKey } from '../local-time.js';
import type { Tx } from '../context.js';
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

export async function nextTicketNumber(tx: Tx, kind: TicketKind, at: Date): Promise<string> {
  const key = counterKey(kind, at);
  const rows = await tx.$queryRaw<{ value: number | bigint }[]>`
    INSERT INTO "TicketCounter" ("key", "value") VALUES (${key}, 1)
    ON CONFLICT ("key") DO UPDATE SET "value" = "TicketCounter"."value" + 1
    RETURNING "value"`;
  return format(key, rows[0].value);
}

/** The same, inside a synchronous SQLite transaction (see db/sqlite-direct.ts). */
export function nextTicketNumberSync(direct: SqliteDirect, kind: TicketKind, at: Date): string {
  const key = counterKey(kind, at);
  return format(key, (direct.stmt(UPSERT).get(key) as { value: number }).value);
}
