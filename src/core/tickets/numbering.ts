import { KIND_LETTER, type TicketKind } from '../domain.js';
import { localDateKey } from '../local-time.js';
import type { Tx } from '../context.js';

/**
 * The next human number, T20261128-0042: kind letter, local date, daily sequence.
 * One atomic upsert on the counter row (INSERT .. ON CONFLICT .. RETURNING works on
 * SQLite and PostgreSQL alike), so concurrent intakes never share a number.
 */
export async function nextTicketNumber(tx: Tx, kind: TicketKind, at: Date): Promise<string> {
  const key = `${KIND_LETTER[kind]}${localDateKey(at)}`;
  const rows = await tx.$queryRaw<{ value: number | bigint }[]>`
    INSERT INTO "TicketCounter" ("key", "value") VALUES (${key}, 1)
    ON CONFLICT ("key") DO UPDATE SET "value" = "TicketCounter"."value" + 1
    RETURNING "value"`;
  const n = Number(rows[0].value);
  return `${key}-${String(n).padStart(4, '0')}`;
}
