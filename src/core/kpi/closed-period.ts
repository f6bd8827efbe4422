/**
 * Which closed month a ticket belongs to, and the adjustment a change to it owes (R29, R30).
 * A month's figures are frozen when it is closed (close-period.ts); a later change that would
 * have altered them (a cancel, a duplicate, a reclassification, a transfer, a reopen, a close, a
 * callback answer, an incident link) is stored beside the frozen figures with who, when and why,
 * in the transaction of the change itself. A person's change needs a reason (reason_required);
 * a callback answer and a resident's own action carry a reason of their own (auto:<source>).
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { localParts } from '../local-time.js';
import type { KpiAdjustmentAction, Ticket } from '../model.js';
import type { PlannedAdjustment } from '../ports/ticket-store.js';
import { calendarMonth, type Period } from './period.js';

const KEY = /^(\d{4})-(\d{2})$/;

/** YYYY-MM of the company-time month holding `at`. */
export function periodKeyOf(at: Date): string {
  const p = localParts(at);
  return `${p.year}-${String(p.month).padStart(2, '0')}`;
}

/** The calendar month a key names; invalid_period for anything else. */
export function monthOfKey(key: string): Period {
  const m = KEY.exec(key);
  const [y, mo] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || mo < 1 || mo > 12 || y < 2000 || y > 2100)
    throw new AppError('invalid_period', `"${key}" is not a month (YYYY-MM)`, { field: 'period', period: key });
  return calendarMonth(y, mo);
}

/**
 * The closed month a ticket was created in, or null. A ticket created in the running month
 * cannot be in a closed one, so the usual step reads nothing.
 */
export async function closedPeriodOf(core: Pick<Core, 'stores'>, createdAt: Date, now: Date): Promise<string | null> {
  const key = periodKeyOf(createdAt);
  if (key === periodKeyOf(now)) return null;
  return (await core.stores.kpiPeriods.isClosed(key)) ? key : null;
}

/** Where a change without a typed reason comes from: a callback answer, the resident, the system. */
export type AutomaticSource = 'callback' | 'resident' | 'system';

export interface ChangeOfClosed {
  action: KpiAdjustmentAction;
  /** staff:<id> | resident:<id> | system */
  actor: string;
  /** the API client that sent it for the staff member in actor */
  via?: string;
  /** the person's reason; required unless the change is automatic */
  reason?: string | null;
  automatic?: AutomaticSource;
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/** The automatic source an actor implies: a resident's own action or the system's. */
export function automaticOf(actor: string): AutomaticSource | undefined {
  return actor.startsWith('resident:') ? 'resident' : actor === 'system' ? 'system' : undefined;
}

/**
 * The adjustment a change to the ticket owes, or null when the ticket is in no closed month;
 * reason_required (nothing stored) when a person changes a closed month's ticket without a reason.
 */
export async function adjustmentFor(core: Pick<Core, 'stores' | 'clock'>, t: Ticket, c: ChangeOfClosed): Promise<PlannedAdjustment | null> {
  const periodKey = await closedPeriodOf(core, t.createdAt, core.clock.now());
  if (!periodKey) return null;
  const typed = c.reason?.trim();
  const automatic = c.automatic ?? automaticOf(c.actor);
  if (!typed && !automatic) {
    throw new AppError('reason_required', `ticket ${t.number} belongs to the closed period ${periodKey}: a reason is required to change it`, {
      field: 'reason',
      number: t.number,
      period: periodKey,
    });
  }
  return {
    periodKey,
    branchId: t.branchId,
    action: c.action,
    actor: c.actor,
    reason: typed || `auto:${automatic}`,
    data: JSON.stringify({ number: t.number, before: c.before, after: c.after, ...(c.via ? { via: c.via } : {}) }),
  };
}
