/**
 * Assessment periods (八): a day, an ISO week (Monday first), a calendar month, the heating
 * season (company.heatingSeason, MM-DD to MM-DD, both days included) or any [from, to).
 * Boundaries are local midnights in the company's time zone; storage and SQL stay in UTC.
 */
import { AppError } from '../errors.js';
import { localIsoDate, localParts, zonedTimeToUtc } from '../local-time.js';
import type { OrgConfig } from '../org/types.js';

export const PERIOD_KINDS = ['day', 'week', 'month', 'season', 'custom'] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];

/** A half-open interval [from, to) with what it is, for labels. */
export interface Period {
  kind: PeriodKind;
  from: Date;
  to: Date;
  /** local calendar dates of the first and the last day in the period (2026-11-01, 2026-11-30) */
  firstDay: string;
  lastDay: string;
}

type Season = OrgConfig['company']['heatingSeason'];

const localMidnight = (year: number, month: number, day: number) => zonedTimeToUtc({ year, month, day });

function addLocalDays(at: Date, days: number): Date {
  const p = localParts(at);
  // Date.UTC normalises day overflow (Nov 31 → Dec 1); the zone is applied afterwards.
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  return localMidnight(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function make(kind: PeriodKind, from: Date, to: Date): Period {
  return { kind, from, to, firstDay: localIsoDate(from), lastDay: localIsoDate(new Date(to.getTime() - 1)) };
}

export function dayOf(at: Date): Period {
  const p = localParts(at);
  const from = localMidnight(p.year, p.month, p.day);
  return make('day', from, addLocalDays(from, 1));
}

/** The ISO week (Monday to Sunday) holding `at`. */
export function weekOf(at: Date): Period {
  const p = localParts(at);
  const from = addLocalDays(localMidnight(p.year, p.month, p.day), -((p.weekday + 6) % 7));
  return make('week', from, addLocalDays(from, 7));
}

export function monthOf(at: Date): Period {
  const p = localParts(at);
  return calendarMonth(p.year, p.month);
}

export function calendarMonth(year: number, month: number): Period {
  const next = month === 12 ? { y: year + 1, m: 1 } : { y: year, m: month + 1 };
  return make('month', localMidnight(year, month, 1), localMidnight(next.y, next.m, 1));
}

const monthDay = (s: string) => {
  const [m, d] = s.split('-').map(Number);
  return { m, d, key: m * 100 + d };
};

/**
 * The heating season holding `at`; outside the season, the last one that ended (a report
 * written in July is about the winter before).
 */
export function seasonOf(at: Date, season: Season): Period {
  const p = localParts(at);
  const s = monthDay(season.start);
  const e = monthDay(season.end);
  const today = p.month * 100 + p.day;
  const wraps = s.key > e.key; // 10-15 → 04-15 runs over New Year
  // Before this year's start day we are in (or after) the season that began last year.
  const startYear = today >= s.key ? p.year : p.year - 1;
  const endYear = wraps ? startYear + 1 : startYear;
  const from = localMidnight(startYear, s.m, s.d);
  return make('season', from, addLocalDays(localMidnight(endYear, e.m, e.d), 1));
}

/** The calendar months a period touches, each clipped to the period (trend charts). */
export function monthsIn(period: Period): Period[] {
  const out: Period[] = [];
  let cursor = period.from;
  while (cursor < period.to) {
    const m = monthOf(cursor);
    const to = m.to < period.to ? m.to : period.to;
    out.push(make('month', cursor, to));
    cursor = to;
  }
  return out;
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const YEAR_MONTH = /^(\d{4})-(\d{2})$/;

/** 2026-11-01 is local midnight; 2026-11-01T08:00:00+08:00 or ...Z is that instant; nothing else. */
export function parseDateParam(name: string, value: string): Date {
  const bad = () => new AppError('invalid_date', `${name}: "${value}" is not a date (YYYY-MM-DD or an ISO date-time with a zone)`, { field: name });
  const m = DATE_ONLY.exec(value);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const check = new Date(Date.UTC(y, mo - 1, d));
    if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || y < 2000 || y > 2100) throw bad();
    return localMidnight(y, mo, d);
  }
  if (DATE_TIME.test(value)) {
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) throw bad();
    return at;
  }
  throw bad();
}

export interface PeriodQuery {
  /** day | week | month | season | custom, or a month as YYYY-MM */
  period?: string;
  from?: string;
  to?: string;
}

/**
 * What a caller asked for, as a period. A named period holds `from` (or now); custom (or no
 * period with both dates) is [from, to); nothing at all is the current month.
 */
export function resolvePeriod(q: PeriodQuery, now: Date, season: Season): Period {
  const invalid = (message: string) => new AppError('invalid_period', message, { field: 'period' });
  const from = q.from ? parseDateParam('from', q.from) : undefined;
  const to = q.to ? parseDateParam('to', q.to) : undefined;
  const ym = q.period ? YEAR_MONTH.exec(q.period) : null;
  if (ym) {
    const [y, m] = [Number(ym[1]), Number(ym[2])];
    if (m < 1 || m > 12 || y < 2000 || y > 2100) throw invalid(`period: "${q.period}" is not a month`);
    if (from || to) throw invalid('period: a month (YYYY-MM) takes no from or to');
    return calendarMonth(y, m);
  }
  const kind = q.period ?? (from || to ? 'custom' : 'month');
  if (!(PERIOD_KINDS as readonly string[]).includes(kind)) {
    throw invalid(`period: "${q.period}" must be one of ${PERIOD_KINDS.join(', ')} or YYYY-MM`);
  }
  if (kind === 'custom') {
    if (!from || !to) throw invalid('from and to are both needed for a custom period');
    if (from.getTime() >= to.getTime()) throw invalid('from must be before to');
    return make('custom', from, to);
  }
  if (to) throw invalid(`period: ${kind} is given by from (or today) alone; to is for a custom period`);
  const anchor = from ?? now;
  switch (kind as Exclude<PeriodKind, 'custom'>) {
    case 'day':
      return dayOf(anchor);
    case 'week':
      return weekOf(anchor);
    case 'month':
      return monthOf(anchor);
    case 'season':
      return seasonOf(anchor, season);
  }
}

/** The values a label of the period needs (locales hold the words: kpi.period.<kind>). */
export function describePeriod(p: Period) {
  const [y, m] = p.firstDay.split('-').map(Number);
  return { first: p.firstDay, last: p.lastDay, year: y, month: m, startYear: y, endYear: Number(p.lastDay.slice(0, 4)) };
}
