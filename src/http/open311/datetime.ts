/**
 * Open311's datetimes: W3C (ISO 8601) with the company's offset and whole seconds
 * (2026-12-07T19:05:00+08:00), as the specification's examples print them; a city platform
 * compares them with its own clock, so the offset is always written, never "Z".
 */
import { companyTimeZone, localParts, zonedTimeToUtc } from '../../core/local-time.js';

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** 2026-12-07T19:05:00+08:00: the instant in the company's time zone, without milliseconds. */
export function isoDateTime(at: Date, timeZone = companyTimeZone()): string {
  const p = localParts(at, timeZone);
  const whole = Math.floor(at.getTime() / 1000) * 1000;
  const offsetMin = Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - whole) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

// W3C date-times: a date alone, or a date and time (minutes at least) with Z or an offset;
// a time without a zone is refused, since it would be read in the server's zone, not the caller's.
const W3C = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A start_date / end_date parameter: undefined when absent or empty, null when it is not a W3C
 * date-time (the caller answers 400 invalid_date). A date alone is that day's midnight, company time.
 */
export function parseW3cDateTime(s: string | undefined, timeZone = companyTimeZone()): Date | undefined | null {
  if (s === undefined || s.trim() === '') return undefined;
  const text = s.trim();
  if (!W3C.test(text)) return null;
  const [y, m, d] = text.slice(0, 10).split('-').map(Number);
  // Date accepts 2026-02-30 by rolling over; the calendar date must be the one written
  const probe = new Date(Date.UTC(y, m - 1, d));
  if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d) return null;
  if (text.length === 10) return zonedTimeToUtc({ year: y, month: m, day: d }, timeZone);
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? null : at;
}
