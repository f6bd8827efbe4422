/**
 * GET requests/{id} of Open311 GeoReport v2: one request by its number. A conduct complaint is not
 * found in the public view, exactly like a number that does not exist, so its existence is not told.
 */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import { requestViewOf } from './request-view.js';
import type { CityRequestView } from './types.js';

export async function getCityRequest(core: Core, number: string, opts: { publicView: boolean }): Promise<CityRequestView> {
  const [row] = await core.stores.cityRequests.requests({ numbers: [number], hideConduct: opts.publicView, limit: 1 });
  if (!row) throw new AppError('ticket_not_found', `no request ${number}`, { number });
  return requestViewOf(row);
}
