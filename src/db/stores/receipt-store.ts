import type { ReceiptStore } from '../../core/ports/receipt-store.js';
import type { Runner } from '../runner.js';
import { insertSql, sql, type Sql } from '../statement.js';

/**
 * The one statement that takes an inbound receipt: it changes one row the first time `key` is
 * seen and none for a replay. Other stores run it inside their own transaction when the receipt
 * must commit with the work (a report filed).
 */
export function receiptSql(key: string, at: Date): Sql {
  return sql`INSERT INTO "InboundReceipt" ("key", "receivedAt") VALUES (${key}, ${at}) ON CONFLICT ("key") DO NOTHING`;
}

/** The keys among `keys` that are stored: who handled a request before (a refused filing says which). */
export function storedReceiptsSql(keys: readonly string[]): Sql {
  return sql`SELECT "key" FROM "InboundReceipt" WHERE "key" IN ${sql.list(keys)}`;
}

/** Inbound receipts (Telegram update ids, Slack event ids, actions acted on once). */
export class SqlReceiptStore implements ReceiptStore {
  constructor(private readonly q: Runner) {}

  async seen(key: string): Promise<boolean> {
    return Boolean(await this.q.get(sql`SELECT 1 AS "one" FROM "InboundReceipt" WHERE "key" = ${key}`));
  }

  /**
   * Every handled update stores one: on SQLite it shares the commit of the transactions of the
   * same event-loop turn (a commit per update was most of the cost at a few hundred a second);
   * on PostgreSQL one autocommitted statement, where a transaction would add two round trips.
   */
  async record(keys: readonly string[], at: Date): Promise<void> {
    const unique = [...new Set(keys)];
    if (!unique.length) return;
    const q = insertSql(
      'InboundReceipt',
      unique.map((key) => ({ key, receivedAt: at })),
      { onConflictDoNothing: 'key' },
    );
    if (this.q.dialect === 'sqlite') await this.q.groupCommit((tx) => tx.run(q));
    else await this.q.run(q);
  }

  async first(key: string, at: Date): Promise<boolean> {
    const q = receiptSql(key, at);
    const changed = this.q.dialect === 'sqlite' ? await this.q.groupCommit((tx) => tx.run(q)) : await this.q.run(q);
    return changed === 1;
  }

  async forget(key: string): Promise<void> {
    await this.q.run(sql`DELETE FROM "InboundReceipt" WHERE "key" = ${key}`);
  }
}
