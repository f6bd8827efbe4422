/**
 * Closed periods (八, R29/R30): a calendar month's KPIs frozen as a snapshot, and the changes
 * after the close that would have altered them, recorded beside the frozen figures (adjustments).
 * A snapshot is never rewritten: the unique period key makes the first close win, also in a race.
 */
import type { KpiAdjustment, KpiSnapshot } from '../model.js';

/** The columns a close decides. */
export type NewKpiSnapshot = Omit<KpiSnapshot, 'id'>;

/** An adjustment as decided; the store gives it its id. */
export type NewKpiAdjustment = Omit<KpiAdjustment, 'id'>;

/** A closed month as listed: its snapshot without the figures, and how many adjustments it has. */
export interface ClosedPeriod {
  periodKey: string;
  from: Date;
  to: Date;
  closedAt: Date;
  closedBy: string;
  adjustments: number;
}

export interface KpiPeriodStore {
  /**
   * Stores the snapshot unless its period is closed already; then the first snapshot comes back
   * with created=false and nothing is stored.
   */
  close(s: NewKpiSnapshot): Promise<{ snapshot: KpiSnapshot; created: boolean }>;
  snapshot(periodKey: string): Promise<KpiSnapshot | null>;
  /** one indexed read: is this month closed? (a step on an old ticket asks it) */
  isClosed(periodKey: string): Promise<boolean>;
  /** the closed months, newest first */
  closed(): Promise<ClosedPeriod[]>;
  addAdjustment(a: NewKpiAdjustment): Promise<KpiAdjustment>;
  /** a period's adjustments in the order they were made; only a branch's when branchId is given */
  adjustments(periodKey: string, o?: { branchId?: string }): Promise<KpiAdjustment[]>;
}
