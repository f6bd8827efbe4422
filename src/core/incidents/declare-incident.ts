/**
 * Declares an incident: one cause (a failed heat-exchange station, a burst section of the
 * primary network, a community's own main) behind many reports. The affected communities are
 * the ones given and every community fed by a given station. Declaring takes over the open
 * no-heat reports of those communities filed within incidents.window (not leaks: a leak in a flat
 * is its own job), gives them the incident's time limit (R27: a primary fault repaired within
 * 24 h), owes the incident card in each affected branch's urgent channel, the leaders' message
 * when the incident is major (R8k; a primary section always is), and a notice to every resident
 * of those communities who can be reached. Two declarations of the same area make one incident.
 */
import type { Core } from '../context.js';
import { linkedCardRows } from './linked-card-rows.js';
import { AppError } from '../errors.js';
import { INCIDENT_SCOPES, type Incident, type IncidentScope } from '../model.js';
import { localDateKey } from '../local-time.js';
import { cardRows, leadersRows, noticeRows } from './incident-messages.js';

export interface IncidentDeclaration {
  communityIds?: readonly string[];
  stationIds?: readonly string[];
  scope: IncidentScope;
  cause: string;
  severity?: 'normal' | 'major';
  /** the expected restoration, as residents are told it */
  expectedAt?: Date | null;
  /** "staff:<id>", "api:<client>" or "system" */
  actor: string;
  /** declared from an automatic proposal: a second tap on it returns the same incident */
  proposalKey?: string;
}

export const CAUSE_MAX = 500;

function bad(field: string, message: string): never {
  throw new AppError('validation_failed', `${field}: ${message}`, { field });
}

/** The communities a declaration covers: those given and those the given stations feed. */
export function affectedCommunities(core: Core, d: Pick<IncidentDeclaration, 'communityIds' | 'stationIds'>): string[] {
  const out = new Set<string>();
  for (const c of d.communityIds ?? []) {
    if (!core.org.communities.has(c)) throw new AppError('unknown_community', `community ${c} is not in the organisation`, { community: c });
    out.add(c);
  }
  for (const s of d.stationIds ?? []) {
    const fed = core.org.config.communities.filter((c) => c.stations.includes(s));
    if (!fed.length) throw new AppError('unknown_station', `no community of the organisation is fed by station ${s}`, { station: s });
    for (const c of fed) out.add(c.id);
  }
  return [...out].sort();
}

/** An open incident already covering some of the communities: the same area (returned) or an overlap (refused). */
function sameOrOverlap(existing: Incident, communityIds: readonly string[]): Incident {
  const covered = new Set(existing.communityIds);
  if (communityIds.every((c) => covered.has(c))) return existing;
  throw new AppError('incident_overlaps', `incident ${existing.number} already covers some of these communities`, {
    number: existing.number,
    communities: communityIds.filter((c) => covered.has(c)),
  });
}

export async function declareIncident(core: Core, input: IncidentDeclaration): Promise<{ incident: Incident; created: boolean }> {
  if (!INCIDENT_SCOPES.includes(input.scope)) bad('scope', `must be one of ${INCIDENT_SCOPES.join(', ')}`);
  const cause = input.cause?.trim();
  if (!cause) bad('cause', 'must not be empty');
  if (cause.length > CAUSE_MAX) bad('cause', `is longer than ${CAUSE_MAX} characters`);
  if (input.severity && input.severity !== 'normal' && input.severity !== 'major') bad('severity', 'must be normal or major');
  if (!input.actor?.trim()) bad('actor', 'must not be empty');
  if (!input.communityIds?.length && !input.stationIds?.length) bad('communityIds', 'name at least one community or station');
  const now = core.clock.now();
  if (input.expectedAt && input.expectedAt.getTime() < now.getTime()) {
    throw new AppError('expected_time_past', `the expected restoration ${input.expectedAt.toISOString()} is before now`, { expectedAt: input.expectedAt });
  }
  const communityIds = affectedCommunities(core, input);
  const stores = core.stores.incidents;

  // the common case of a second declaration, answered without drawing a number
  const byKey = input.proposalKey ? await stores.byProposalKey(input.proposalKey) : null;
  if (byKey) return { incident: byKey, created: false };
  const open = await stores.openForAny(communityIds);
  if (open.length) return { incident: sameOrOverlap(open[0], communityIds), created: false };

  const branchIds = [...new Set(communityIds.map((c) => core.org.communities.get(c)!.branchId))].sort();
  const severity = input.severity === 'major' || input.scope === 'primary_section' ? 'major' : 'normal';
  const residents = await stores.residentsToNotify(communityIds, 0);
  const { incidents: policy } = core.org.config;
  const result = await stores.declare({
    counter: `I${localDateKey(now)}`,
    incident: {
      scope: input.scope,
      cause,
      severity,
      branchIds,
      communityIds,
      stationIds: [...new Set(input.stationIds ?? [])].sort(),
      expectedAt: input.expectedAt ?? null,
      resolveDueAt: new Date(now.getTime() + policy.resolveWithinMinutes * 60_000),
      declaredBy: input.actor,
      declaredAt: now,
      proposalKey: input.proposalKey ?? null,
    },
    event: {
      at: now,
      type: 'declared',
      actor: input.actor,
      note: cause,
      data: { scope: input.scope, severity, communityIds, expectedAt: input.expectedAt ?? null },
    },
    link: { since: new Date(now.getTime() - policy.windowMinutes * 60_000) },
    owes: (incident, linked) => {
      const ticketOf = new Map(linked.filter((t) => t.residentId !== null).map((t) => [t.residentId!, t.id]));
      const told = residents.map((r) => ({ ...r, ticketId: ticketOf.get(r.residentId) ?? null }));
      return [
        ...leadersRows(core.org, incident, 'declared', now),
        ...cardRows(core.org, incident, now),
        ...linkedCardRows(core.org, incident, linked, now),
        ...noticeRows(incident, 'declared', 0, told, now),
      ];
    },
  });
  if (result.created) return { incident: result.incident, created: true };
  // lost a race to another declaration: the same area is that incident, anything else overlaps
  if (input.proposalKey && result.incident.proposalKey === input.proposalKey) return { incident: result.incident, created: false };
  return { incident: sameOrOverlap(result.incident, communityIds), created: false };
}
