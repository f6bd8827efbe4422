import type { ConversationStore } from '../../core/ports/conversation-store.js';
import type { Runner } from '../runner.js';
import { sql } from '../statement.js';

/** The bot's conversations in the Conversation table: one statement per operation, the same on both databases. */
export class SqlConversationStore implements ConversationStore {
  constructor(private readonly q: Runner) {}

  async read(key: string, now: Date): Promise<string | null> {
    const r = await this.q.get(sql`SELECT "value" FROM "Conversation" WHERE "key" = ${key} AND ("expiresAt" IS NULL OR "expiresAt" > ${now})`);
    return r ? String(r.value) : null;
  }

  // INSERT .. ON CONFLICT DO UPDATE reads the same on SQLite (3.24+) and PostgreSQL
  async write(key: string, value: string, expiresAt: Date | null, at: Date): Promise<void> {
    await this.q.run(
      sql`INSERT INTO "Conversation" ("key", "value", "expiresAt", "updatedAt") VALUES (${key}, ${value}, ${expiresAt}, ${at})
          ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "expiresAt" = excluded."expiresAt", "updatedAt" = excluded."updatedAt"`,
    );
  }

  async delete(key: string): Promise<void> {
    await this.q.run(sql`DELETE FROM "Conversation" WHERE "key" = ${key}`);
  }

  deleteExpiredBefore(before: Date, limit: number): Promise<number> {
    return this.q.run(sql`DELETE FROM "Conversation" WHERE "key" IN (SELECT "key" FROM "Conversation" WHERE "expiresAt" < ${before} LIMIT ${limit})`);
  }
}
