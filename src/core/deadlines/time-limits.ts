/**
 * The time-limit table (R7, R27): which limits apply to a ticket, and when they fall due.
 * A branch's own rows are tried before the company's (九); within a list the most specific
 * matching row wins (the one naming the most of kind, category, scope, severity).
 */
import type { Category, Scope, Severity, TicketKind } from '../domain.js';
import type { OrgConfig, TimeLimitRule } from '../org/types.js';
import { addOfficeMinutes } from './office-hours.js';

export interface TicketClass {
  kind: TicketKind;
  category: Category;
  scope: Scope;
  severity: Severity;
}

export interface Deadlines {
  ackDueAt: Date | null;
  arriveDueAt: Date | null;
  resolveDueAt: Date | null;
  /** minutes after the resolve at which the callback is due (R8h) */
  callbackMinutes: number | null;
  calendar: 'wall' | 'office';
}

/** Severity outweighs category, category outweighs scope, scope outweighs kind: a major leak follows the major row. */
function specificity(r: TimeLimitRule): number {
  const m = r.match;
  return (m.severity ? 8 : 0) + (m.category ? 4 : 0) + (m.scope ? 2 : 0) + (m.kind ? 1 : 0);
}

function matches(r: TimeLimitRule, t: TicketClass): boolean {
  const m = r.match;
  return (
    (m.kind === undefined || m.kind === t.kind) &&
    (m.category === undefined || m.category === t.category) &&
    (m.scope === undefined || m.scope === t.scope) &&
    (m.severity === undefined || m.severity === t.severity)
  );
}

export function pickRule(config: OrgConfig, branchId: string | null, t: TicketClass): TimeLimitRule | undefined {
  const branchRows = (branchId && config.branches.find((b) => b.id === branchId)?.timeLimits) || [];
  for (const rows of [branchRows, config.timeLimits]) {
    const best = rows.filter((r) => matches(r, t)).sort((a, b) => specificity(b) - specificity(a))[0];
    if (best) return best;
  }
  return undefined;
}

/** `start` plus `minutes` on the rule's calendar. */
export function addLimit(config: OrgConfig, start: Date, minutes: number, calendar: 'wall' | 'office'): Date {
  return calendar === 'wall' ? new Date(start.getTime() + minutes * 60_000) : addOfficeMinutes(config, start, minutes);
}

export function computeDeadlines(config: OrgConfig, branchId: string | null, t: TicketClass, start: Date): Deadlines {
  const rule = pickRule(config, branchId, t);
  if (!rule) return { ackDueAt: null, arriveDueAt: null, resolveDueAt: null, callbackMinutes: null, calendar: 'wall' };
  const due = (m: number | undefined) => (m === undefined ? null : addLimit(config, start, m, rule.calendar));
  return {
    ackDueAt: due(rule.ack),
    arriveDueAt: due(rule.arrive),
    resolveDueAt: due(rule.resolve),
    callbackMinutes: rule.callback ?? null,
    calendar: rule.calendar,
  };
}
