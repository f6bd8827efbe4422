import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_ORG } from '../../../src/config.js';
import { dutyAt, handoverUntil, rosterOnly } from '../../../src/core/duty/duty-at.js';
import { AppError } from '../../../src/core/errors.js';
import type { ConfigIssue } from '../../../src/core/org/load-org.js';
import { parseOrg } from '../../../src/core/org/load-org.js';
import { Org } from '../../../src/core/org/org.js';
import type { DutyAssignment } from '../../../src/core/model.js';

const demo = () => parse(readFileSync(DEMO_ORG, 'utf8'));
/** xincheng's field team: 吴娟 by day, 徐刚 by night (company time, Asia/Shanghai). */
const xinchengRoster = (extra: object[] = []) => {
  const doc = demo();
  doc.duty = {
    shifts: [
      { branch: 'xincheng', unit: 'xincheng-field', name: '白班', start: '08:00', end: '20:00', staff: ['xincheng-field1'] },
      { branch: 'xincheng', unit: 'xincheng-field', name: '夜班', start: '20:00', end: '08:00', staff: ['xincheng-field2'] },
      ...extra,
    ],
  };
  return doc;
};

function issues(doc: unknown): ConfigIssue[] {
  try {
    parseOrg(doc, 'org.yaml');
  } catch (e) {
    if (e instanceof AppError && e.code === 'org_config_invalid') return e.context.issues as ConfigIssue[];
    throw e;
  }
  throw new Error('expected a config error');
}

const ids = (staff: { id: string }[]) => staff.map((s) => s.id);
const at = (iso: string) => new Date(iso);

describe('the duty roster in the organisation file (R4)', () => {
  it('refuses two shifts of one unit that are on at the same time, naming both', () => {
    const found = issues(
      xinchengRoster([{ branch: 'xincheng', unit: 'xincheng-field', name: '加班', days: [6], start: '19:00', end: '21:00', staff: ['xincheng-field1'] }]),
    );
    expect(found).toEqual([
      { path: 'duty.shifts[2]', code: 'duty_shift_overlap', message: '"加班" overlaps "白班" (duty.shifts[0]) of xincheng-field' },
      { path: 'duty.shifts[2]', code: 'duty_shift_overlap', message: '"加班" overlaps "夜班" (duty.shifts[1]) of xincheng-field' },
    ]);
  });

  it("refuses Sunday's night shift running into a Monday morning shift", () => {
    const doc = demo();
    doc.duty = {
      shifts: [
        { branch: 'huimin', unit: 'huimin-field', name: '周日夜班', days: [7], start: '22:00', end: '06:00', staff: ['huimin-field2'] },
        { branch: 'huimin', unit: 'huimin-field', name: '周一早班', days: [1], start: '05:00', end: '13:00', staff: ['huimin-field1'] },
      ],
    };
    expect(issues(doc).map((i) => i.code)).toEqual(['duty_shift_overlap']);
  });

  it('refuses an unknown staff id, branch or unit, and staff of another branch, each with its code', () => {
    const doc = demo();
    doc.duty = {
      shifts: [
        { branch: 'xincheng', unit: 'xincheng-field', name: '白班', start: '08:00', end: '20:00', staff: ['s-nobody', 'huimin-field1'] },
        { branch: 'nowhere', name: '夜班', start: '20:00', end: '08:00', staff: ['xincheng-field2'] },
        { branch: 'xincheng', unit: 'huimin-field', name: '夜班', start: '20:00', end: '08:00', staff: ['xincheng-field2'] },
      ],
    };
    expect(issues(doc)).toEqual([
      { path: 'duty.shifts[0].staff[0]', code: 'duty_unknown_staff', message: 'unknown staff "s-nobody"' },
      { path: 'duty.shifts[0].staff[1]', code: 'duty_staff_other_branch', message: '"huimin-field1" works for huimin, not xincheng' },
      { path: 'duty.shifts[1].branch', code: 'duty_unknown_branch', message: 'unknown branch "nowhere"' },
      { path: 'duty.shifts[2].unit', code: 'duty_unknown_unit', message: 'unit "huimin-field" is not a unit of xincheng' },
    ]);
    expect(() => parseOrg(doc, 'org.yaml')).toThrow('org.yaml: duty.shifts[0].staff[0]: [duty_unknown_staff] unknown staff "s-nobody"');
  });

  it('pages the night shift at 03:00 and the day shift at 15:00; the office, with no shifts, by its onDuty flags', () => {
    const org = new Org(parseOrg(xinchengRoster()));
    // 03:00 and 15:00 in Hohhot (UTC+8)
    expect(ids(dutyAt(org, rosterOnly(at('2026-11-28T19:00:00Z')), { branchId: 'xincheng' }))).toEqual(['xincheng-coord', 'xincheng-field2']);
    expect(ids(dutyAt(org, rosterOnly(at('2026-11-28T07:00:00Z')), { branchId: 'xincheng' }))).toEqual(['xincheng-coord', 'xincheng-field1']);
    expect(ids(dutyAt(org, rosterOnly(at('2026-11-28T19:00:00Z')), { branchId: 'xincheng', unitId: 'xincheng-field' }))).toEqual(['xincheng-field2']);
  });

  it('falls back to the onDuty flags where no roster is written', () => {
    const org = new Org(parseOrg(demo()));
    expect(ids(dutyAt(org, rosterOnly(at('2026-11-28T19:00:00Z')), { branchId: 'xincheng' }))).toEqual(['xincheng-coord', 'xincheng-field1']);
    expect(ids(dutyAt(org, rosterOnly(at('2026-11-28T19:00:00Z')), { branchId: null }))).toEqual(['agent01', 'agent02']);
  });

  it('follows the person an accepted handover made responsible until the end of that shift, then the roster again', () => {
    const org = new Org(parseOrg(xinchengRoster()));
    const moved: DutyAssignment = {
      id: 1,
      branchId: 'xincheng',
      unitId: 'xincheng-field',
      staffId: 'xincheng-coord', // 吴娟 handed the night's field duty to 周静, not to the rostered 徐刚
      from: at('2026-11-28T12:05:00Z'), // 20:05
      until: handoverUntil(org, { branchId: 'xincheng', unitId: 'xincheng-field' }, 'xincheng-field1', at('2026-11-28T12:05:00Z')),
      source: 'handover',
      handoverId: 1,
    };
    expect(moved.until).toEqual(at('2026-11-29T00:00:00Z')); // 08:00 the next morning
    const state = (iso: string) => ({ at: at(iso), assignments: [moved] });
    expect(ids(dutyAt(org, state('2026-11-28T19:00:00Z'), { branchId: 'xincheng', unitId: 'xincheng-field' }))).toEqual(['xincheng-coord']);
    expect(ids(dutyAt(org, state('2026-11-28T12:03:00Z'), { branchId: 'xincheng', unitId: 'xincheng-field' }))).toEqual(['xincheng-field2']); // before it: the roster
    expect(ids(dutyAt(org, state('2026-11-29T01:00:00Z'), { branchId: 'xincheng', unitId: 'xincheng-field' }))).toEqual(['xincheng-field1']); // 09:00: the day shift
    expect(ids(dutyAt(org, state('2026-11-29T12:30:00Z'), { branchId: 'xincheng', unitId: 'xincheng-field' }))).toEqual(['xincheng-field2']); // the next night
  });

  it('a handover signed a little before the shift changes runs to the end of the shift it hands to', () => {
    const org = new Org(parseOrg(xinchengRoster()));
    const early = handoverUntil(org, { branchId: 'xincheng', unitId: 'xincheng-field' }, 'xincheng-field1', at('2026-11-28T11:55:00Z')); // 19:55
    expect(early).toEqual(at('2026-11-29T00:00:00Z'));
    expect(
      handoverUntil(new Org(parseOrg(demo())), { branchId: 'xincheng', unitId: 'xincheng-office' }, 'xincheng-coord', at('2026-11-28T11:55:00Z')),
    ).toBeNull();
  });
});
