/**
 * Local time for people: storage is UTC, but ticket numbers, office hours and everything
 * shown use the company's time zone (TZ, default Asia/Shanghai).
 */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

export function companyTimeZone(): string {
  return process.env.TZ || DEFAULT_TIME_ZONE;
}

const partsCache = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = partsCache.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    partsCache.set(timeZone, f);
  }
  return f;
}

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

// Intl's formatToParts is slow (tens of microseconds) and every ticket needs local times a dozen
// times (its number, office hours, each deadline). A zone's offset changes only at transitions,
// which fall on quarter hours: the offset of each quarter hour asked for is kept, and the parts
// are worked out from it with UTC arithmetic.
const QUARTER = 15 * 60_000;
const offsets = new Map<string, number>();

export function localParts(at: Date, timeZone = companyTimeZone()): LocalParts {
  const t = at.getTime();
  const key = `${timeZone}|${Math.floor(t / QUARTER)}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const p = computeParts(at, timeZone);
    offset = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(t / 1000) * 1000;
    if (offsets.size > 10_000) offsets.clear();
    offsets.set(key, offset);
  }
  const local = new Date(t + offset);
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
    weekday: local.getUTCDay(),
  };
}

function computeParts(at: Date, timeZone: string): LocalParts {
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(at)) p[part.type] = part.value;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    second: Number(p.second),
    weekday: WEEKDAYS.indexOf(p.weekday),
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 20261128: the local calendar date, used in ticket numbers. */
export function localDateKey(at: Date, timeZone = companyTimeZone()): string {
  const p = localParts(at, timeZone);
  return `${p.year}${pad(p.month)}${pad(p.day)}`;
}

/** 2026-11-28: the local calendar date in ISO form (holiday calendars use it). */
export function localIsoDate(at: Date, timeZone = companyTimeZone()): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** 2026-11-28 14:05: minute precision, as R8g asks for replies. */
export function formatMinute(at: Date, timeZone = companyTimeZone()): string {
  const p = localParts(at, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}`;
}

/** 14:05 */
export function formatClock(at: Date, timeZone = companyTimeZone()): string {
  const p = localParts(at, timeZone);
  return `${pad(p.hour)}:${pad(p.minute)}`;
}

/** The UTC instant of a local wall-clock time (handles zones without DST as well as with). */
export function zonedTimeToUtc(local: { year: number; month: number; day: number; hour?: number; minute?: number }, timeZone = companyTimeZone()): Date {
  const guess = Date.UTC(local.year, local.month - 1, local.day, local.hour ?? 0, local.minute ?? 0);
  // Correct by the zone's offset at that instant (twice, in case the offset changes in between).
  let t = guess;
  for (let i = 0; i < 2; i++) {
    const p = localParts(new Date(t), timeZone);
    const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    t = guess - (asUtc - t);
  }
  return new Date(t);
}
