/**
 * Office-hours arithmetic for limits that only run while the office is open (billing
 * questions, suggestions): weekdays and hours from the config (a branch's own, 九, where it
 * keeps other hours), minus the company's holidays, plus the weekend days that are worked
 * instead (调休). Works in the company's local time.
 */
import { localIsoDate, localParts, zonedTimeToUtc } from '../local-time.js';
import { officeHoursOf } from '../org/branch-rules.js';
import type { OfficeHours, OrgConfig } from '../org/types.js';

function isWorkday(config: OrgConfig, hours: OfficeHours, at: Date): boolean {
  const iso = localIsoDate(at);
  if (config.workdays.includes(iso)) return true;
  if (config.holidays.includes(iso)) return false;
  const weekday = localParts(at).weekday || 7; // 1 = Monday ... 7 = Sunday
  return hours.days.includes(weekday);
}

function hm(s: string): { hour: number; minute: number } {
  const [hour, minute] = s.split(':').map(Number);
  return { hour, minute };
}

/** The office window [open, close) of the local day containing `at`. */
function windowOf(hours: OfficeHours, at: Date): { open: Date; close: Date } {
  const p = localParts(at);
  const day = { year: p.year, month: p.month, day: p.day };
  return {
    open: zonedTimeToUtc({ ...day, ...hm(hours.start) }),
    close: zonedTimeToUtc({ ...day, ...hm(hours.end) }),
  };
}

/** The start of the next local day. */
function nextDay(at: Date): Date {
  const p = localParts(at);
  return zonedTimeToUtc({ year: p.year, month: p.month, day: p.day + 1, hour: 0, minute: 0 });
}

/** `start` plus `minutes` of office time, on the office hours of the branch (the company's for null). */
export function addOfficeMinutes(config: OrgConfig, start: Date, minutes: number, branchId: string | null = null): Date {
  const hours = officeHoursOf(config, branchId);
  let remaining = minutes * 60_000;
  let cursor = start;
  for (let guard = 0; guard < 3700; guard++) {
    if (isWorkday(config, hours, cursor)) {
      const { open, close } = windowOf(hours, cursor);
      const from = cursor < open ? open : cursor;
      if (from < close) {
        const available = close.getTime() - from.getTime();
        if (remaining <= available) return new Date(from.getTime() + remaining);
        remaining -= available;
      }
    }
    cursor = nextDay(cursor);
  }
  throw new Error('office calendar has no working time in the next ten years');
}
