import { describe, expect, it } from 'vitest';
import { canAct, type StaffAct } from '../../../src/core/staff/can-act.js';
import { demoOrg } from '../../helpers/core.js';

const org = demoOrg();
const who = (id: string) => org.staff.get(id);
const xincheng = { branchId: 'xincheng' };
const triage = { branchId: null };

const verdict = (id: string | undefined, ticket: { branchId: string | null }, act: StaffAct) => {
  const d = canAct(org, id ? who(id) : undefined, ticket, act);
  return d.allowed ? 'yes' : d.reason;
};

describe('who may act on a ticket', () => {
  it('lets branch staff act on their own branch only', () => {
    expect(verdict('xincheng-field1', xincheng, 'step')).toBe('yes');
    expect(verdict('xincheng-billing', xincheng, 'step')).toBe('yes');
    expect(verdict('huimin-coord', xincheng, 'step')).toBe('other_branch');
    expect(verdict('xincheng-coord', triage, 'step')).toBe('not_dispatched');
  });

  it('lets the centre act anywhere, dispatch from triage and call back (R2, R8h)', () => {
    for (const act of ['step', 'dispatch', 'callback', 'ack_urgent', 'ack_major'] as const) expect(verdict('agent03', xincheng, act)).toBe('yes');
    expect(verdict('admin', triage, 'dispatch')).toBe('yes');
    expect(verdict('xincheng-coord', triage, 'dispatch')).toBe('centre_only');
    expect(verdict('xincheng-coord', xincheng, 'callback')).toBe('centre_only');
  });

  it('lets leaders read and acknowledge major events, not act on tickets (R8k)', () => {
    expect(verdict('xincheng-head', xincheng, 'see')).toBe('yes');
    expect(verdict('xincheng-head', xincheng, 'step')).toBe('leaders_see_only');
    expect(verdict('xincheng-head', xincheng, 'ack_major')).toBe('yes');
    expect(verdict('huimin-head', xincheng, 'ack_major')).toBe('other_branch');
    expect(verdict('hq-leader', xincheng, 'ack_major')).toBe('yes');
    expect(verdict('xincheng-field1', xincheng, 'ack_major')).toBe('leaders_only');
    expect(verdict('xincheng-field1', xincheng, 'ack_urgent')).toBe('yes');
  });

  it("lets only the branch's own staff record the arrival on site, never the centre (R2)", () => {
    expect(verdict('xincheng-field1', xincheng, 'on_site')).toBe('yes');
    expect(verdict('xincheng-coord', xincheng, 'on_site')).toBe('yes');
    expect(verdict('agent03', xincheng, 'on_site')).toBe('branch_on_site');
    expect(verdict('admin', xincheng, 'on_site')).toBe('branch_on_site');
    expect(verdict('huimin-field1', xincheng, 'on_site')).toBe('other_branch');
    expect(verdict('xincheng-head', xincheng, 'on_site')).toBe('leaders_see_only');
    expect(verdict('hq-leader', xincheng, 'on_site')).toBe('leaders_see_only');
  });

  it("lets the centre and the branch's coordinators cancel, mark duplicates and reclassify, not the field staff (R2, R29)", () => {
    expect(verdict('agent03', xincheng, 'amend')).toBe('yes');
    expect(verdict('agent03', triage, 'amend')).toBe('yes');
    expect(verdict('xincheng-coord', xincheng, 'amend')).toBe('yes');
    expect(verdict('xincheng-field1', xincheng, 'amend')).toBe('coordinators_only');
    expect(verdict('xincheng-billing', xincheng, 'amend')).toBe('coordinators_only');
    expect(verdict('huimin-coord', xincheng, 'amend')).toBe('other_branch');
    expect(verdict('xincheng-head', xincheng, 'amend')).toBe('leaders_see_only');
  });

  it('refuses someone who is not staff', () => {
    expect(verdict(undefined, xincheng, 'see')).toBe('not_staff');
  });
});
