import type { KpiAdjustment, KpiSnapshot } from '../../core/model.js';
import type { ClosedPeriod, KpiPeriodStore, NewKpiAdjustment, NewKpiSnapshot } from '../../core/ports/kpi-period-store.js';
import { decodeRow, toDate, type Row } from '../codec.js';
import type { Runner } from '../runner.js';
import { insertSql, sql } from '../statement.js';

const snapshotRow = (r: Row) => decodeRow<KpiSnapshot>('KpiSnapshot', r);
export const adjustmentRow = (r: Row) => decodeRow<KpiAdjustment>('KpiAdjustment', r);

/** Frozen months and their adjustments (KpiSnapshot, KpiAdjustment). */
export class SqlKpiPeriodStore implements KpiPeriodStore {
  constructor(private readonly q: Runner) {}

  close(s: NewKpiSnapshot): Promise<{ snapshot: KpiSnapshot; created: boolean }> {
    return this.q.transaction(async (tx) => {
      // the unique periodKey decides a race: the loser inserts nothing and reads the winner
      const r = await tx.get(sql`${insertSql('KpiSnapshot', [{ ...s }], { onConflictDoNothing: 'periodKey' })} RETURNING *`);
      if (r) return { snapshot: snapshotRow(r), created: true };
      const first = await tx.get(sql`SELECT * FROM "KpiSnapshot" WHERE "periodKey" = ${s.periodKey}`);
      return { snapshot: snapshotRow(first!), created: false };
    });
  }

  async snapshot(periodKey: string): Promise<KpiSnapshot | null> {
    const r = await this.q.get(sql`SELECT * FROM "KpiSnapshot" WHERE "periodKey" = ${periodKey}`);
    return r ? snapshotRow(r) : null;
  }

  async isClosed(periodKey: string): Promise<boolean> {
    return Boolean(await this.q.get(sql`SELECT 1 AS "one" FROM "KpiSnapshot" WHERE "periodKey" = ${periodKey}`));
  }

  async closed(): Promise<ClosedPeriod[]> {
    const rows = await this.q.all(
      sql`SELECT s."periodKey", s."from", s."to", s."closedAt", s."closedBy", (SELECT COUNT(*) FROM "KpiAdjustment" a WHERE a."periodKey" = s."periodKey") AS "adjustments"
           FROM "KpiSnapshot" s ORDER BY s."periodKey" DESC`,
    );
    return rows.map((r) => ({
      periodKey: String(r.periodKey),
      from: toDate(r.from)!,
      to: toDate(r.to)!,
      closedAt: toDate(r.closedAt)!,
      closedBy: String(r.closedBy),
      adjustments: Number(r.adjustments),
    }));
  }

  async addAdjustment(a: NewKpiAdjustment): Promise<KpiAdjustment> {
    const r = await this.q.get(sql`${insertSql('KpiAdjustment', [{ ...a }])} RETURNING *`);
    return adjustmentRow(r!);
  }

  async adjustments(periodKey: string, o: { branchId?: string } = {}): Promise<KpiAdjustment[]> {
    const branch = o.branchId ? sql` AND "branchId" = ${o.branchId}` : sql``;
    const rows = await this.q.all(sql`SELECT * FROM "KpiAdjustment" WHERE "periodKey" = ${periodKey}${branch} ORDER BY "at", "id"`);
    return rows.map(adjustmentRow);
  }
}
