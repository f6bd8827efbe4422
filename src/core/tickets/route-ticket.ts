/**
 * R8a/R8b: the customer's community decides the branch; the category decides the unit
 * inside it. No community, or one the config does not know: the centre's triage queue.
 */
import type { Category } from '../domain.js';
import type { Org } from '../org/org.js';

export interface Route {
  branchId: string | null;
  unitId: string | null;
}

export function routeTicket(org: Org, communityId: string | null | undefined, category: Category): Route {
  const community = communityId ? org.communities.get(communityId) : undefined;
  if (!community) return { branchId: null, unitId: null };
  const unit = org.unitFor(community.branchId, category);
  return { branchId: community.branchId, unitId: unit?.id ?? null };
}
