/** Incidents, newest first, each with its count of linked reports. */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Incident } from '../model.js';

export const LIST_MAX = 200;

export async function listIncidents(
  core: Core,
  o: { status?: Incident['status']; take?: number; skip?: number } = {},
): Promise<{ incidents: Incident[]; total: number }> {
  if (o.status !== undefined && o.status !== 'open' && o.status !== 'restored') {
    throw new AppError('validation_failed', 'status: must be open or restored', { field: 'status' });
  }
  const take = Math.min(Math.max(Math.trunc(o.take ?? 50), 1), LIST_MAX);
  const skip = Math.max(Math.trunc(o.skip ?? 0), 0);
  return core.stores.incidents.list({ status: o.status, take, skip });
}
