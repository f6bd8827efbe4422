/**
 * The automatic proposal: when many no-heat or leak reports come from one community, or from the
 * communities one heat-exchange station serves, within the organisation's window, the centre's
 * triage channel and the branch's urgent channel are asked whether to declare an incident (a
 * person decides: the cause and the expected time are what thousands of residents will be told).
 * The same area is not proposed again for two hours, nor while an open incident covers it.
 *
 * planProposals is pure; proposeIncidents makes one read and one write, and a scheduler sweep
 * calls it once a minute.
 */
import type { Core } from '../context.js';
import type { OutboxItem } from '../outbox/enqueue.js';
import type { Org } from '../org/org.js';
import type { FaultReportDigest } from '../ports/read-models.js';

/** An area is not proposed again within this long. */
export const PROPOSAL_QUIET_MINUTES = 120;

/** What a proposal names: `station:<id>` or `community:<id>`. */
export type AreaKey = `station:${string}` | `community:${string}`;

export interface ProposedArea {
  areaKey: AreaKey;
  communityIds: string[];
  stationId?: string;
  /** reports counted */
  count: number;
  /** the first of them: with the area, it names the proposal (two taps on it declare one incident) */
  windowStart: Date;
  branchIds: string[];
}

/** The incident's proposalKey for a proposal: the same for every copy and every tap of it. */
export function proposalKeyOf(areaKey: string, windowStart: Date): string {
  return `${areaKey}@${windowStart.toISOString()}`;
}

/**
 * The areas to propose now. A station comes before its communities (one incident for the whole
 * station rather than one per community); an area that overlaps one already planned in this pass
 * waits, so no two proposals name the same community. Communities an open incident covers and
 * communities no longer in the organisation file are not counted.
 */
export function planProposals(org: Org, d: FaultReportDigest, now: Date): ProposedArea[] {
  const { proposeAfter } = org.config.incidents;
  const covered = new Set(d.covered);
  const quietFrom = now.getTime() - PROPOSAL_QUIET_MINUTES * 60_000;
  const recent = new Set(d.proposals.filter((p) => p.at.getTime() >= quietFrom).map((p) => p.areaKey));
  const reports = new Map(d.communities.filter((c) => org.communities.has(c.communityId) && !covered.has(c.communityId)).map((c) => [c.communityId, c]));
  if (!reports.size) return [];

  // the communities each station serves, as the organisation file lists them
  const byStation = new Map<string, string[]>();
  for (const c of org.config.communities) for (const s of c.stations) byStation.set(s, [...(byStation.get(s) ?? []), c.id]);

  const candidates: ProposedArea[] = [];
  for (const [stationId, ids] of byStation) {
    const area = areaOf(org, `station:${stationId}`, ids, reports, covered, stationId);
    if (area) candidates.push(area);
  }
  for (const id of reports.keys()) {
    const area = areaOf(org, `community:${id}`, [id], reports, covered);
    if (area) candidates.push(area);
  }

  const taken = new Set<string>();
  const out: ProposedArea[] = [];
  // stations first, then the busiest; a fixed order for ties so that two instances plan alike
  candidates.sort((a, b) => Number(!a.stationId) - Number(!b.stationId) || b.count - a.count || a.areaKey.localeCompare(b.areaKey));
  for (const a of candidates) {
    if (a.count < proposeAfter || a.communityIds.some((c) => taken.has(c))) continue;
    // proposed lately: this area, or (for a community) a station that serves it
    const stationsOf = a.stationId ? [] : (org.communities.get(a.communityIds[0])?.stations ?? []);
    const quiet = recent.has(a.areaKey) || stationsOf.some((s) => recent.has(`station:${s}`));
    for (const c of a.communityIds) taken.add(c);
    if (!quiet) out.push(a);
  }
  return out;
}

function areaOf(
  org: Org,
  areaKey: AreaKey,
  ids: string[],
  reports: Map<string, { count: number; first: Date }>,
  covered: Set<string>,
  stationId?: string,
): ProposedArea | null {
  const counted = ids.filter((id) => reports.has(id));
  if (!counted.length) return null;
  // the area is the communities without an open incident (one covered by an incident stays with it)
  const communityIds = ids.filter((id) => org.communities.has(id) && !covered.has(id));
  const count = counted.reduce((n, id) => n + reports.get(id)!.count, 0);
  const windowStart = new Date(Math.min(...counted.map((id) => reports.get(id)!.first.getTime())));
  const branchIds = [...new Set(communityIds.map((id) => org.communities.get(id)!.branchId))].sort();
  return { areaKey, communityIds, ...(stationId ? { stationId } : {}), count, windowStart, branchIds };
}

/** The proposal's messages: the centre's triage channel and each branch's urgent channel. */
export function proposalMessages(org: Org, a: ProposedArea): OutboxItem[] {
  const base = {
    areaKey: a.areaKey,
    communityIds: a.communityIds,
    ...(a.stationId ? { stationId: a.stationId } : {}),
    count: a.count,
    windowStart: a.windowStart.toISOString(),
    proposalKey: proposalKeyOf(a.areaKey, a.windowStart),
  };
  const places: { channel: string; branchId: string }[] = [];
  const triage = org.config.centre.channels.triage;
  if (triage) places.push({ channel: triage, branchId: a.branchIds[0] });
  for (const b of a.branchIds) {
    // where the incident's card would go: the urgent channel, else the dispatch channel
    const ch = org.branches.get(b)?.channels;
    const urgent = ch?.urgent ?? ch?.dispatch;
    if (urgent && !places.some((p) => p.channel === urgent)) places.push({ channel: urgent, branchId: b });
  }
  return places.map((p) => ({
    key: `inc:proposal:${a.areaKey}:${a.windowStart.getTime()}:${p.channel}`,
    platform: 'slack' as const,
    target: p.channel,
    kind: 'incident_proposal' as const,
    payload: { ...base, branchId: p.branchId },
  }));
}

/** The sweep: one read of the window's reports, the proposals owed in one write. */
export async function proposeIncidents(core: Core): Promise<{ proposed: ProposedArea[] }> {
  const now = core.clock.now();
  const since = new Date(now.getTime() - core.org.config.incidents.windowMinutes * 60_000);
  const proposedSince = new Date(now.getTime() - PROPOSAL_QUIET_MINUTES * 60_000);
  const digest = await core.stores.views.recentFaultReports(since, proposedSince);
  const proposed = planProposals(core.org, digest, now);
  const items = proposed.flatMap((a) => proposalMessages(core.org, a));
  if (items.length) await core.stores.outbox.owe(items, now);
  return { proposed };
}
