/**
 * The arithmetic of a duty roster's shifts: where a shift falls in the week (company time,
 * core/local-time.ts) and which shifts cover an instant. A shift starts on each of its days at
 * `start` and lasts until the next `end`, so 20:00-08:00 runs past midnight (and Sunday's night
 * shift into Monday).
 */
import { localParts } from '../local-time.js';
import type { DutyShift } from '../org/types.js';

const DAY = 1440;
export const WEEK_MINUTES = 7 * DAY;

export const clockMinutes = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** Minutes a shift lasts: past midnight when its end is not after its start; 24 hours when they are equal. */
export function shiftMinutes(s: Pick<DutyShift, 'start' | 'end'>): number {
  return (clockMinutes(s.end) - clockMinutes(s.start) + DAY) % DAY || DAY;
}

/** Each time the shift runs, as [start, end) minutes from Monday 00:00; an end may pass the week's end (Sunday night). */
export function weekIntervals(s: Pick<DutyShift, 'days' | 'start' | 'end'>): [number, number][] {
  const len = shiftMinutes(s);
  return s.days.map((d) => {
    const from = (d - 1) * DAY + clockMinutes(s.start);
    return [from, from + len];
  });
}

/** A shift that covers an instant, with the instants it began and ends at. */
export interface ShiftSpan {
  shift: DutyShift;
  from: Date;
  until: Date;
}

/** The shifts among these that cover `at`. */
export function shiftsAt(shifts: readonly DutyShift[], at: Date): ShiftSpan[] {
  const p = localParts(at);
  const iso = p.weekday || 7;
  const ms = (((iso - 1) * DAY + p.hour * 60 + p.minute) * 60 + p.second) * 1000 + (at.getTime() % 1000);
  const out: ShiftSpan[] = [];
  for (const shift of shifts) {
    for (const [a, b] of weekIntervals(shift)) {
      // Sunday's night shift reaches into the next week's Monday morning
      for (const here of [ms, ms + WEEK_MINUTES * 60_000]) {
        if (a * 60_000 <= here && here < b * 60_000) {
          out.push({ shift, from: new Date(at.getTime() - (here - a * 60_000)), until: new Date(at.getTime() + (b * 60_000 - here)) });
        }
      }
    }
  }
  return out;
}

/** Whether two shifts are ever on at the same time (a unit's roster must not say two things at once). */
export function overlap(a: DutyShift, b: DutyShift): boolean {
  const spans = (s: DutyShift) =>
    weekIntervals(s).flatMap(([x, y]): [number, number][] =>
      y > WEEK_MINUTES
        ? [
            [x, WEEK_MINUTES],
            [0, y - WEEK_MINUTES],
          ]
        : [[x, y]],
    );
  const bs = spans(b);
  return spans(a).some(([x, y]) => bs.some(([u, v]) => x < v && u < y));
}
