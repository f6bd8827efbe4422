import type { Customer } from '../../core/model.js';
import type { CustomerFields, CustomerStore } from '../../core/ports/customer-store.js';
import { decodeRow, num, type Row } from '../codec.js';
import type { Runner } from '../runner.js';
import { insertSql, sql } from '../statement.js';

const customerRow = (r: Row) => decodeRow<Customer>('Customer', r);

/** The fields an import overwrites on a known account (everything but the account, id and creation time). */
const UPDATED = ['name', 'phone', 'address', 'communityId', 'building', 'unit', 'room', 'areaM2', 'updatedAt'] as const;

/** The customer register: by account or id, by phone, import in bulk. */
export class SqlCustomerStore implements CustomerStore {
  constructor(private readonly q: Runner) {}

  async count(): Promise<number> {
    return num((await this.q.get<{ n: unknown }>(sql`SELECT COUNT(*) AS "n" FROM "Customer"`))?.n);
  }

  async byAccount(account: string): Promise<Customer | null> {
    const r = await this.q.get(sql`SELECT * FROM "Customer" WHERE "account" = ${account}`);
    return r ? customerRow(r) : null;
  }

  async byId(id: number): Promise<Customer | null> {
    const r = await this.q.get(sql`SELECT * FROM "Customer" WHERE "id" = ${id}`);
    return r ? customerRow(r) : null;
  }

  async byPhone(phone: string, limit: number): Promise<Customer[]> {
    const rows = await this.q.all(sql`SELECT * FROM "Customer" WHERE "phone" = ${phone} ORDER BY "id" LIMIT ${limit}`);
    return rows.map(customerRow);
  }

  /**
   * Two statements whatever the number of rows: which accounts are known, then one multi-row
   * upsert. A re-import used to update row by row, holding SQLite's one connection for seconds
   * while every resident's message waited behind it.
   */
  async upsertByAccount(rows: readonly CustomerFields[], at: Date): Promise<{ created: number; updated: number }> {
    if (!rows.length) return { created: 0, updated: 0 };
    const accounts = rows.map((r) => r.account);
    const upsert = insertSql(
      'Customer',
      rows.map((r) => ({ ...r, createdAt: at, updatedAt: at })),
    );
    const set = sql.join(UPDATED.map((c) => sql`${sql.ident(c)} = excluded.${sql.ident(c)}`));
    return this.q.transaction(async (tx) => {
      const known = await tx.all(sql`SELECT COUNT(*) AS "n" FROM "Customer" WHERE "account" IN ${sql.list(accounts)}`);
      await tx.run(sql`${upsert} ON CONFLICT ("account") DO UPDATE SET ${set}`);
      const updated = Number(known[0]?.n ?? 0);
      return { created: rows.length - updated, updated };
    });
  }
}
