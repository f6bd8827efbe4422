/**
 * The organisation file's `duty` section: shifts per branch and unit (and the centre), checked
 * when the file is loaded. A shift naming a branch, unit or person the file does not have, a
 * person of another branch, or two shifts of one unit that are on at the same time are refused
 * with a code each, so that nobody learns of a roster mistake from an alert that paged no one.
 */
import type { ConfigIssue } from '../org/load-org.js';
import type { DutyShift } from '../org/types.js';
import { overlap } from './shifts.js';

type Raw = any; // the file after schema validation

const ALL_DAYS = [1, 2, 3, 4, 5, 6, 7];

/** The roster as OrgConfig keeps it. */
export function rosterOf(raw: Raw): DutyShift[] {
  return (raw.duty?.shifts ?? []).map((s: Raw) => ({
    branchId: s.branch ?? null,
    unitId: s.unit ?? null,
    name: s.name,
    days: s.days ? [...s.days].sort() : ALL_DAYS,
    start: s.start,
    end: s.end,
    staff: [...s.staff],
  }));
}

export function rosterIssues(raw: Raw): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const branches = new Map<string, Raw>((raw.branches ?? []).map((b: Raw) => [b.id, b]));
  const staff = new Map<string, Raw>((raw.staff ?? []).map((s: Raw) => [s.id, s]));
  const shifts = rosterOf(raw);
  shifts.forEach((s, i) => {
    const at = `duty.shifts[${i}]`;
    const branch = s.branchId === null ? null : branches.get(s.branchId);
    if (branch === undefined) {
      issues.push({ path: `${at}.branch`, code: 'duty_unknown_branch', message: `unknown branch "${s.branchId}"` });
      return;
    }
    if (s.unitId !== null && !(branch?.units ?? []).some((u: Raw) => u.id === s.unitId)) {
      issues.push({ path: `${at}.unit`, code: 'duty_unknown_unit', message: `unit "${s.unitId}" is not a unit of ${s.branchId ?? 'the centre'}` });
    }
    s.staff.forEach((id, j) => {
      const person = staff.get(id);
      if (!person) issues.push({ path: `${at}.staff[${j}]`, code: 'duty_unknown_staff', message: `unknown staff "${id}"` });
      else if ((person.branch ?? null) !== s.branchId)
        issues.push({
          path: `${at}.staff[${j}]`,
          code: 'duty_staff_other_branch',
          message: `"${id}" works for ${person.branch ?? 'the centre'}, not ${s.branchId ?? 'the centre'}`,
        });
    });
    for (let k = 0; k < i; k++) {
      const o = shifts[k];
      if (o.branchId === s.branchId && o.unitId === s.unitId && overlap(o, s)) {
        issues.push({
          path: at,
          code: 'duty_shift_overlap',
          message: `"${s.name}" overlaps "${o.name}" (duty.shifts[${k}]) of ${s.unitId ?? s.branchId ?? 'the centre'}`,
        });
      }
    }
  });
  return issues;
}
