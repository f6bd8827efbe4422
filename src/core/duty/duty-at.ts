/**
 * Who is on duty for a place at an instant, decided from the organisation file and the duty moved
 * by handovers, without reading anything: the person an accepted handover made responsible (until
 * the end of the shift it was handed over in), else the roster's shift at that time, else the
 * staff's onDuty flags (a file with no roster, or hours no shift covers). The paging planners are
 * pure and synchronous: their callers read the assignments once (on-duty-now.ts) and pass them in.
 */
import type { DutyAssignment } from '../model.js';
import type { Org } from '../org/org.js';
import type { DutyShift, Staff } from '../org/types.js';
import { type ShiftSpan, shiftsAt } from './shifts.js';

/** A branch (null: the centre) and, when given, one of its units; no unit: the whole branch. */
export interface DutyPlace {
  branchId: string | null;
  unitId?: string | null;
}

/** What paging decides from: the instant and the latest assignment of each place read for it. */
export interface DutyState {
  at: Date;
  assignments: readonly DutyAssignment[];
}

/** No assignment read: the roster and the flags alone (a planner called without a read). */
export const rosterOnly = (at: Date): DutyState => ({ at, assignments: [] });

const samePlace = (a: { branchId: string | null; unitId: string | null }, branchId: string | null, unitId: string | null) =>
  a.branchId === branchId && a.unitId === unitId;

/** The shifts of exactly this place (a unit, or the branch's own when unitId is null). */
export function placeShifts(org: Org, branchId: string | null, unitId: string | null): DutyShift[] {
  return org.config.duty.shifts.filter((s) => samePlace(s, branchId, unitId));
}

/** The places a query covers: one unit, or the branch's own place and each of its units. */
export function placesOf(org: Org, place: DutyPlace): { branchId: string | null; unitId: string | null }[] {
  if (place.unitId !== undefined) return [{ branchId: place.branchId, unitId: place.unitId }];
  const units = place.branchId ? (org.branches.get(place.branchId)?.units ?? []) : [];
  return [{ branchId: place.branchId, unitId: null }, ...units.map((u) => ({ branchId: place.branchId, unitId: u.id }))];
}

/** How one place's duty is decided at `at`, and by whom. */
export interface PlaceDuty {
  branchId: string | null;
  unitId: string | null;
  source: 'handover' | 'roster' | 'flag';
  staff: Staff[];
  /** the roster's shift, or the assignment's end */
  shift?: ShiftSpan;
  assignment?: DutyAssignment;
}

function onePlace(org: Org, state: DutyState, branchId: string | null, unitId: string | null): PlaceDuty {
  const at = state.at.getTime();
  const moved = state.assignments
    .filter((a) => samePlace(a, branchId, unitId) && a.from.getTime() <= at)
    .sort((a, b) => b.from.getTime() - a.from.getTime() || b.id - a.id)[0];
  if (moved && (moved.until === null || moved.until.getTime() > at)) {
    const person = org.staff.get(moved.staffId);
    if (person) return { branchId, unitId, source: 'handover', staff: [person], assignment: moved };
  }
  const [span] = shiftsAt(placeShifts(org, branchId, unitId), state.at);
  if (span) {
    const staff = span.shift.staff.map((id) => org.staff.get(id)).filter((s): s is Staff => Boolean(s));
    return { branchId, unitId, source: 'roster', staff, shift: span };
  }
  const flagged = org.config.staff.filter((s) => s.branchId === branchId && (s.unitId ?? null) === unitId && s.onDuty);
  return { branchId, unitId, source: 'flag', staff: flagged };
}

/** Each place's duty (the branch's own place first, then its units), for /duty and the dashboard. */
export function dutyByPlace(org: Org, state: DutyState, place: DutyPlace): PlaceDuty[] {
  return placesOf(org, place).map((p) => onePlace(org, state, p.branchId, p.unitId));
}

/** The staff on duty for a place at state.at, each once, in the organisation file's order. */
export function dutyAt(org: Org, state: DutyState, place: DutyPlace): Staff[] {
  const on = new Set<string>();
  for (const p of dutyByPlace(org, state, place)) for (const s of p.staff) on.add(s.id);
  // in the file's order, as people are used to reading the branch's list
  return org.config.staff.filter((s) => on.has(s.id));
}

/** A handover this close to the end of the outgoing person's own shift hands over the next shift. */
export const EARLY_HANDOVER_MS = 60 * 60_000;

/**
 * Until when a handover signed (or held by the outgoing person) at `at` decides the duty: the end
 * of the place's shift at that time, or, when the outgoing person's own shift ends within the
 * hour (a handover written a little before the change), the end of the shift that follows it. A
 * handover in the middle of a shift (someone taken ill) lasts to that shift's end. No roster:
 * until the next handover.
 */
export function handoverUntil(org: Org, place: { branchId: string | null; unitId: string | null }, outgoingStaffId: string, at: Date): Date | null {
  const shifts = placeShifts(org, place.branchId, place.unitId);
  const [now] = shiftsAt(shifts, at);
  if (!now) return null;
  if (!now.shift.staff.includes(outgoingStaffId) || now.until.getTime() - at.getTime() > EARLY_HANDOVER_MS) return now.until;
  const [next] = shiftsAt(shifts, now.until);
  return next?.until ?? now.until;
}
