/**
 * The time-limit table (R7, R27): which limits apply to a ticket, and when they fall due.
 * The most specific matching row wins (the one naming the most of kind, category, scope,
 * severity), across the branch's own rows and the company's; at equal specificity the branch's (九).
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

/**
 * The row for a ticket: the most specific matching row of the branch's and the company's tables
 * together, the branch's at equal specificity (九: a branch writes its rules under the company's,
 * so its generic complaint row does not displace the company's rows for leaks or major events).
 */
export function pickRule(config: OrgConfig, branchId: string | null, t: TicketClass): TimeLimitRule | undefined {
  const branchRows = (branchId && config.branches.find((b) => b.id === branchId)?.timeLimits) || [];
  let best: TimeLimitRule | undefined;
  // branch rows first: a later row must be strictly more specific to win, so the branch wins ties
  for (const r of [...branchRows, ...config.timeLimits]) {
    if (matches(r, t) && (!best || specificity(r) > specificity(best))) best = r;
  }
  return best;
}

/** `start` plus `minutes` on the rule's calendar (the branch's office hours, 九, for the office one). */
export function addLimit(config: OrgConfig, start: Date, minutes: number, calendar: 'wall' | 'office', branchId: string | null = null): Date {
  return calendar === 'wall' ? new Date(start.getTime() + minutes * 60_000) : addOfficeMinutes(config, start, minutes, branchId);
}

export function computeDeadlines(config: OrgConfig, branchId: string | null, t: TicketClass, start: Date): Deadlines {
  const rule = pickRule(config, branchId, t);
  if (!rule) return { ackDueAt: null, arriveDueAt: null, resolveDueAt: null, callbackMinutes: null, calendar: 'wall' };
  const due = (m: number | undefined) => (m === undefined ? null : addLimit(config, start, m, rule.calendar, branchId));
  return {
    ackDueAt: due(rule.ack),
    arriveDueAt: due(rule.arrive),
    resolveDueAt: due(rule.resolve),
    callbackMinutes: rule.callback ?? null,
    calendar: rule.calendar,
  };
}
