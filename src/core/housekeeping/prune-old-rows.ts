/**
 * Keeps the tables a cold snap fills from growing all season: a receipt of an inbound update or
 * click is only needed while the platform may deliver it again (hours; kept a week), and a
 * delivered outbox message only while the change that owed it could be replayed (kept 30 days,
 * with its result for anyone looking into a complaint about a message); a dashboard session only
 * until it expires (signing out revokes it at once, expiry ends it); a bot's conversation with a
 * chat once the question it waited on has lapsed (an answer after that is an ordinary message). Tickets, their events,
 * alerts and forms are records and are kept. Deleted in chunks, letting requests in between, so
 * that a first run over a season's rows does not hold the database (or SQLite's event loop).
 */
import type { Core } from '../context.js';

export interface PruneResult {
  receipts: number;
  sentMessages: number;
  /** dashboard sessions past their 12 hours (signing in again makes a new one) */
  expiredSessions: number;
  /** the bot's conversations whose question lapsed (nothing in them is waited for) */
  expiredConversations: number;
}

export const RECEIPT_DAYS = 7;
export const SENT_MESSAGE_DAYS = 30;
const CHUNK = 5000;
const DAY = 86_400_000;

export async function pruneOldRows(core: Pick<Core, 'stores' | 'clock'>): Promise<PruneResult> {
  const now = core.clock.now().getTime();
  const store = core.stores.housekeeping;
  const receipts = await inChunks((limit) => store.deleteReceiptsBefore(new Date(now - RECEIPT_DAYS * DAY), limit));
  const sentMessages = await inChunks((limit) => store.deleteSentMessagesBefore(new Date(now - SENT_MESSAGE_DAYS * DAY), limit));
  const expiredSessions = await inChunks((limit) => core.stores.sessions.deleteExpiredBefore(new Date(now), limit));
  const expiredConversations = await inChunks((limit) => core.stores.conversations.deleteExpiredBefore(new Date(now), limit));
  return { receipts, sentMessages, expiredSessions, expiredConversations };
}

async function inChunks(deleteChunk: (limit: number) => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await deleteChunk(CHUNK);
    total += n;
    if (n < CHUNK) return total;
    await new Promise((r) => setImmediate(r));
  }
}
