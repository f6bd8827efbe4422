/**
 * Keeps the tables a cold snap fills from growing all season: a receipt of an inbound update or
 * click is only needed while the platform may deliver it again (hours; kept a week), and a
 * delivered outbox message only while the change that owed it could be replayed (kept 30 days,
 * with its result for anyone looking into a complaint about a message). Tickets, their events,
 * alerts and forms are records and are kept. Deleted in chunks, letting requests in between, so
 * that a first run over a season's rows does not hold the database (or SQLite's event loop).
 */
import type { Core } from '../context.js';
import { Params } from '../../db/sql.js';

export interface PruneResult {
  receipts: number;
  sentMessages: number;
}

export const RECEIPT_DAYS = 7;
export const SENT_MESSAGE_DAYS = 30;
const CHUNK = 5000;

export async function pruneOldRows(core: Pick<Core, 'db' | 'clock' | 'provider'>): Promise<PruneResult> {
  const now = core.clock.now().getTime();
  const receipts = await inChunks(core, (p) => `DELETE FROM "InboundReceipt" WHERE "key" IN (SELECT "key" FROM "InboundReceipt" WHERE "receivedAt" < ${p.add(new Date(now - RECEIPT_DAYS * 86_400_000))} LIMIT ${p.add(CHUNK)})`);
  const sentMessages = await inChunks(
    core,
    (p) => `DELETE FROM "OutboxMessage" WHERE "id" IN (SELECT "id" FROM "OutboxMessage" WHERE "state" = 'sent' AND "sentAt" < ${p.add(new Date(now - SENT_MESSAGE_DAYS * 86_400_000))} LIMIT ${p.add(CHUNK)})`,
  );
  return { receipts, sentMessages };
}

async function inChunks(core: Pick<Core, 'db' | 'provider'>, sql: (p: Params) => string): Promise<number> {
  let total = 0;
  for (;;) {
    const p = new Params(core.provider);
    const text = sql(p);
    const n = await core.db.$executeRawUnsafe(text, ...p.values);
    total += n;
    if (n < CHUNK) return total;
    await new Promise((r) => setImmediate(r));
  }
}
