/**
 * 九: each branch writes its detailed rules under the company's measures. A branch may tighten the
 * company's limits, never loosen them; the organisation file that tries is refused at start-up with
 * the path and the rule (code branch_limit_looser). What "looser" means for each setting:
 * - a time limit (ack, arrive, resolve, callback): longer, or none where the company sets one, for
 *   any kind of ticket the branch's row would decide (the most specific row wins across the two
 *   tables, time-limits.ts, so every ticket class is tried). An office-hours limit where the
 *   company's runs around the clock is looser too: the office clock stops at night and on holidays.
 *   A wall-clock limit against the company's office-hours one compares minutes: N wall minutes
 *   always end no later than N office minutes. Two office limits compare minutes as well, since
 *   the branch's office hours must cover the company's (below), so its office minutes run no slower.
 * - the basic labour fee (R12): higher costs the customer more.
 * - office hours: fewer days or a shorter day slows every office-hours limit, so they must cover
 *   the company's.
 * - escalation: a later second or third level is looser; so is a shorter warning lead (the
 *   reminder comes later before the deadline).
 */
import { CATEGORIES, SCOPES, SEVERITIES, TICKET_KINDS } from '../domain.js';
import { pickRule, type TicketClass } from '../deadlines/time-limits.js';
import type { ConfigIssue } from './load-org.js';
import type { Branch, OrgConfig, TimeLimitRule } from './types.js';

const CODE = 'branch_limit_looser';
const LIMITS = ['ack', 'arrive', 'resolve', 'callback'] as const;
type Limit = (typeof LIMITS)[number];

/** Minutes as an operator writes them: 48h, 90m. */
function span(minutes: number): string {
  return minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}m`;
}

function said(minutes: number | undefined, calendar: 'wall' | 'office'): string {
  if (minutes === undefined) return 'no limit';
  return calendar === 'office' ? `${span(minutes)} of office hours` : span(minutes);
}

function classes(): TicketClass[] {
  const out: TicketClass[] = [];
  for (const kind of TICKET_KINDS)
    for (const category of CATEGORIES) for (const scope of SCOPES) for (const severity of SEVERITIES) out.push({ kind, category, scope, severity });
  return out;
}

/** Whether the branch's limit lets a ticket wait longer than the company's. */
function looser(own: number | undefined, ownCal: 'wall' | 'office', company: number | undefined, companyCal: 'wall' | 'office'): boolean {
  if (company === undefined) return false;
  if (own === undefined) return true;
  if (ownCal === 'office' && companyCal === 'wall') return true;
  return own > company;
}

function timeLimitIssues(config: OrgConfig, b: Branch, bi: number): ConfigIssue[] {
  const found = new Map<string, ConfigIssue>();
  for (const t of classes()) {
    const own = pickRule(config, b.id, t);
    const ri = own ? b.timeLimits.indexOf(own) : -1;
    if (!own || ri < 0) continue;
    const company = pickRule(config, null, t);
    if (!company) continue;
    for (const limit of LIMITS) {
      const path = `branches[${bi}].timeLimits[${ri}].${limit}`;
      // a callback is a phone call or a bot question: it runs on the wall clock whatever the row's calendar
      const cal = (r: TimeLimitRule) => (limit === 'callback' ? 'wall' : r.calendar);
      if (found.has(path) || !looser(own[limit as Limit], cal(own), company[limit as Limit], cal(company))) continue;
      const what = Object.values(company.match).join('/') || 'every ticket';
      found.set(path, {
        path,
        code: CODE,
        message:
          `branch ${b.name} gives ${said(own[limit], cal(own))} where the company gives ${said(company[limit], cal(company))} for ${what} ` +
          `(timeLimits[${config.timeLimits.indexOf(company)}].${limit}); a branch may tighten the company's limits, not loosen them (九)`,
      });
    }
  }
  return [...found.values()];
}

function feeIssues(config: OrgConfig, b: Branch, bi: number): ConfigIssue[] {
  const own = b.basicLabourFeeCents;
  const company = config.company.basicLabourFeeCents;
  if (own === undefined || own <= company) return [];
  return [
    {
      path: `branches[${bi}].basicLabourFee`,
      code: CODE,
      message: `branch ${b.name} charges a basic labour fee of ${own / 100} yuan where the company's is ${company / 100} (R12); a branch may charge less, not more (九)`,
    },
  ];
}

function officeHourIssues(config: OrgConfig, b: Branch, bi: number): ConfigIssue[] {
  const own = b.officeHours;
  const company = config.officeHours;
  if (!own) return [];
  const out: ConfigIssue[] = [];
  const at = `branches[${bi}].officeHours`;
  const missing = company.days.filter((d) => !own.days.includes(d));
  const tail = "; office-hours limits would run slower than the company's (九)";
  if (missing.length)
    out.push({
      path: `${at}.days`,
      code: CODE,
      message: `branch ${b.name} is closed on day(s) ${missing.join(', ')} when the company's office is open${tail}`,
    });
  // HH:MM strings compare as times
  if (own.start > company.start)
    out.push({ path: `${at}.start`, code: CODE, message: `branch ${b.name} opens at ${own.start}, after the company's ${company.start}${tail}` });
  if (own.end < company.end)
    out.push({ path: `${at}.end`, code: CODE, message: `branch ${b.name} closes at ${own.end}, before the company's ${company.end}${tail}` });
  return out;
}

function escalationIssues(config: OrgConfig, b: Branch, bi: number): ConfigIssue[] {
  const own = b.escalation;
  const company = config.escalation;
  if (!own) return [];
  const out: ConfigIssue[] = [];
  const at = `branches[${bi}].escalation`;
  if (own.warnLeadMinutes !== undefined && own.warnLeadMinutes < company.warnLeadMinutes)
    out.push({
      path: `${at}.warnLead`,
      code: CODE,
      message: `branch ${b.name} warns ${span(own.warnLeadMinutes)} before a deadline where the company warns ${span(company.warnLeadMinutes)} before; a branch may warn earlier, not later (九)`,
    });
  for (const [key, name] of [
    ['secondLevelAfterMinutes', 'secondLevelAfter'],
    ['thirdLevelAfterMinutes', 'thirdLevelAfter'],
  ] as const) {
    const v = own[key];
    if (v !== undefined && v > company[key])
      out.push({
        path: `${at}.${name}`,
        code: CODE,
        message: `branch ${b.name} escalates ${span(v)} after a missed deadline where the company escalates after ${span(company[key])}; a branch may escalate sooner, not later (九)`,
      });
  }
  return out;
}

/** Every place where a branch's own rule is looser than the company's (none: the file stands). */
export function looserBranchRules(config: OrgConfig): ConfigIssue[] {
  return config.branches.flatMap((b, bi) => [
    ...timeLimitIssues(config, b, bi),
    ...feeIssues(config, b, bi),
    ...officeHourIssues(config, b, bi),
    ...escalationIssues(config, b, bi),
  ]);
}
