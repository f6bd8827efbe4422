import type { HousekeepingStore } from '../../core/ports/housekeeping-store.js';
import type { Runner } from '../runner.js';
import { sql } from '../statement.js';

/** Deleting old receipts and delivered messages in chunks; whether the database answers. */
export class SqlHousekeepingStore implements HousekeepingStore {
  constructor(private readonly q: Runner) {}

  get database(): 'sqlite' | 'postgresql' {
    return this.q.dialect;
  }

  async ping(): Promise<void> {
    await this.q.get(sql`SELECT 1 AS "ok"`);
  }

  // DELETE .. LIMIT is SQLite-only (and only in some builds): the chunk is chosen by a subquery on both
  deleteReceiptsBefore(before: Date, limit: number): Promise<number> {
    return this.q.run(sql`DELETE FROM "InboundReceipt" WHERE "key" IN (SELECT "key" FROM "InboundReceipt" WHERE "receivedAt" < ${before} LIMIT ${limit})`);
  }

  deleteSentMessagesBefore(before: Date, limit: number): Promise<number> {
    return this.q.run(
      sql`DELETE FROM "OutboxMessage" WHERE "id" IN (SELECT "id" FROM "OutboxMessage" WHERE "state" = 'sent' AND "sentAt" < ${before} LIMIT ${limit})`,
    );
  }
}
