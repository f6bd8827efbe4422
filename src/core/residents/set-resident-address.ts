/**
 * A resident without a heating account says where they live: a community of the organisation
 * and the flat in their own words. Kept on the Resident row for their later reports, which are
 * routed by that community and marked unverified.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Resident } from '../model.js';

export async function setResidentAddress(core: Core, input: { residentId: number; communityId: string; address: string }): Promise<Resident> {
  if (!core.org.communities.has(input.communityId)) {
    throw new AppError('unknown_community', `community ${input.communityId} is not in the organisation`, { community: input.communityId });
  }
  const address = input.address.trim();
  if (!address || address.length > 200) throw new AppError('validation_failed', 'address: 1 to 200 characters', { field: 'address' });
  const resident = await core.stores.residents.setAddress(input.residentId, { communityId: input.communityId, address }, core.clock.now());
  if (!resident) throw new AppError('not_found', `no resident ${input.residentId}`, { residentId: input.residentId });
  return resident;
}
