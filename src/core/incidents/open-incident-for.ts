/** The open incident a community is part of, if any: what intake asks of every no-heat report. */
import type { Core } from '../context.js';
import type { Incident } from '../model.js';

export function openIncidentFor(core: Core, communityId: string): Promise<Incident | null> {
  return core.stores.incidents.openFor(communityId);
}
