import type { StaffSession } from '../../core/model.js';
import type { SessionStore } from '../../core/ports/session-store.js';
import { decodeRow } from '../codec.js';
import type { Runner } from '../runner.js';
import { insertSql, sql } from '../statement.js';

/** Dashboard sessions in the StaffSession table, one statement per operation on both databases. */
export class SqlSessionStore implements SessionStore {
  constructor(private readonly q: Runner) {}

  async create(session: StaffSession): Promise<void> {
    await this.q.run(insertSql('StaffSession', [{ ...session }]));
  }

  async active(id: string, now: Date): Promise<StaffSession | null> {
    const r = await this.q.get(sql`SELECT * FROM "StaffSession" WHERE "id" = ${id} AND "revokedAt" IS NULL AND "expiresAt" > ${now}`);
    return r ? decodeRow<StaffSession>('StaffSession', r) : null;
  }

  async revoke(id: string, at: Date): Promise<void> {
    await this.q.run(sql`UPDATE "StaffSession" SET "revokedAt" = ${at} WHERE "id" = ${id} AND "revokedAt" IS NULL`);
  }

  // DELETE .. LIMIT is SQLite-only: the chunk is chosen by a subquery on both (as the housekeeping store does)
  deleteExpiredBefore(before: Date, limit: number): Promise<number> {
    return this.q.run(sql`DELETE FROM "StaffSession" WHERE "id" IN (SELECT "id" FROM "StaffSession" WHERE "expiresAt" < ${before} LIMIT ${limit})`);
  }
}
