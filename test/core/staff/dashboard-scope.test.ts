import { describe, expect, it } from 'vitest';
import { branchesVisible, branchShown, currentScope, dashboardScopeOf, operatorScope, seesBranch } from '../../../src/core/staff/dashboard-scope.js';
import { Org } from '../../../src/core/org/org.js';
import { demoOrg } from '../../helpers/core.js';

const org = demoOrg();
const scopeOf = (id: string) => {
  const d = dashboardScopeOf(org, org.staff.get(id));
  return d.allowed ? (d.scope.branchId ?? 'everything') : d.reason;
};

describe('what a signed-in person sees on the dashboard', () => {
  it('shows the company’s leaders, admins and the centre’s agents every branch', () => {
    expect(scopeOf('hq-leader')).toBe('everything');
    expect(scopeOf('admin')).toBe('everything');
    expect(scopeOf('agent03')).toBe('everything');
  });

  it('shows a branch head, coordinators, field and billing staff their own branch only', () => {
    expect(scopeOf('xincheng-head')).toBe('xincheng');
    expect(scopeOf('huimin-coord')).toBe('huimin');
    expect(scopeOf('saihan-field2')).toBe('saihan');
    expect(scopeOf('jinqiao-billing')).toBe('jinqiao');
  });

  it('lets nobody in who is not in the organisation file, or holds a branch role without a branch', () => {
    expect(dashboardScopeOf(org, undefined)).toEqual({ allowed: false, reason: 'not_staff' });
    const stranger = { id: 'nobody', name: 'X', role: 'leader' as const, branchId: null };
    expect(dashboardScopeOf(org, stranger)).toEqual({ allowed: false, reason: 'not_staff' });
    const config = structuredClone(org.config);
    config.staff.push({ id: 'floating', name: '无分公司', role: 'field_staff', branchId: null });
    const other = new Org(config);
    expect(dashboardScopeOf(other, other.staff.get('floating'))).toEqual({ allowed: false, reason: 'no_branch' });
  });

  it('gives a branch scope its own branch whatever is asked, and the whole company any branch it asks for', () => {
    const head = { staffId: 'xincheng-head', role: 'leader', branchId: 'xincheng' };
    expect(branchShown(head, 'huimin')).toBe('xincheng');
    expect(branchShown(head, undefined)).toBe('xincheng');
    expect(branchShown(operatorScope(), 'huimin')).toBe('huimin');
    expect(branchShown(operatorScope(), undefined)).toBeUndefined();
  });

  it('keeps the centre’s triage queue and other branches from a branch scope', () => {
    const head = { staffId: 'xincheng-head', role: 'leader', branchId: 'xincheng' };
    expect(seesBranch(head, 'xincheng')).toBe(true);
    expect(seesBranch(head, 'huimin')).toBe(false);
    expect(seesBranch(head, null)).toBe(false);
    expect(seesBranch(operatorScope(), null)).toBe(true);
    expect(branchesVisible(org, head)).toEqual(['xincheng']);
    expect(branchesVisible(org, operatorScope())).toEqual(['xincheng', 'huimin', 'yuquan', 'saihan', 'jinqiao']);
  });

  it('judges a stored session by today’s organisation file', () => {
    expect(currentScope(org, { staffId: 'operator', role: 'operator' })).toEqual(operatorScope());
    expect(currentScope(org, { staffId: 'huimin-head', role: 'leader' })?.branchId).toBe('huimin');
    const config = structuredClone(org.config);
    config.staff = config.staff.filter((s) => s.id !== 'huimin-head');
    const moved = config.staff.find((s) => s.id === 'xincheng-coord')!;
    moved.branchId = 'yuquan';
    moved.unitId = 'yuquan-office';
    const later = new Org(config);
    expect(currentScope(later, { staffId: 'huimin-head', role: 'leader' })).toBeNull();
    expect(currentScope(later, { staffId: 'xincheng-coord', role: 'branch_coordinator' })?.branchId).toBe('yuquan');
    // a staff member whose id is "operator" does not become the operator
    expect(currentScope(org, { staffId: 'operator', role: 'leader' })).toBeNull();
  });
});
