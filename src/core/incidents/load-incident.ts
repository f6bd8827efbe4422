/** An incident by id or number ("I20261206-01"), or incident_not_found. */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Incident } from '../model.js';

export async function loadIncident(core: Core, ref: number | string): Promise<Incident> {
  const s = String(ref).trim();
  const incident = /^\d+$/.test(s) ? await core.stores.incidents.byId(Number(s)) : await core.stores.incidents.byNumber(s);
  if (!incident) throw new AppError('incident_not_found', `no incident ${s}`, { incident: s });
  return incident;
}
