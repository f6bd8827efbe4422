/** An incident as its readers need it: with its linked reports (a page of them) and its timeline. */
import type { Core } from '../context.js';
import type { Incident, IncidentEvent, Ticket } from '../model.js';
import { loadIncident } from './load-incident.js';

export interface IncidentView extends Incident {
  linked: Ticket[];
  timeline: IncidentEvent[];
}

export async function getIncident(core: Core, ref: number | string, page: { take: number; skip: number } = { take: 100, skip: 0 }): Promise<IncidentView> {
  const incident = await loadIncident(core, ref);
  const [linked, timeline] = await Promise.all([core.stores.incidents.linkedTickets(incident.id, page), core.stores.incidents.events(incident.id)]);
  return { ...incident, linked, timeline };
}
