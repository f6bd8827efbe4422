/**
 * Who records that a service form's HQ copy came back (R8l): HQ receives the paper, so the
 * centre's agents, leaders and admins do; a branch sends its copies and does not mark them
 * itself. An API client with the write scope may (the route checks the scope), and so may a
 * staff member it names, under the same rule.
 */
import { AppError } from '../errors.js';
import type { Org } from '../org/org.js';
import type { Staff } from '../org/types.js';

export type FormRefusal = 'not_staff' | 'centre_only';

export function mayMarkForms(org: Org, staff: Staff | undefined): { allowed: true } | { allowed: false; reason: FormRefusal } {
  if (!staff || !org.staff.has(staff.id)) return { allowed: false, reason: 'not_staff' };
  const hq = staff.branchId === null && (staff.role === 'centre_agent' || staff.role === 'leader' || staff.role === 'admin');
  return hq ? { allowed: true } : { allowed: false, reason: 'centre_only' };
}

/** The actor (staff:<id> | api:<client>) may mark forms returned, or a forbidden error with the reason. */
export function assertMayMarkForms(org: Org, actor: string): void {
  if (actor.startsWith('api:')) return;
  const staff = actor.startsWith('staff:') ? org.staff.get(actor.slice(6)) : undefined;
  const may = mayMarkForms(org, staff);
  if (!may.allowed) throw new AppError('forbidden', `${actor} may not mark service forms returned (${may.reason})`, { reason: may.reason });
}
