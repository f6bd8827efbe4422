/**
 * An incident in Slack: its card in each affected branch's urgent channel (posted once, then
 * updated in place from the incident's state at delivery: one message per incident, not one per
 * household), the leaders' message for a major one (R8k), and the automatic proposal to declare
 * one. Community ids no longer in the organisation file are shown as they are.
 */
import type { ProposedArea } from '../../../core/incidents/propose-incidents.js';
import { formatMinute } from '../../../core/local-time.js';
import type { Incident } from '../../../core/model.js';
import { actions, button, context, esc, fields, header, section, typed, type Block } from './blocks.js';
import { actorName, communityName, mention, tr, type RenderCtx } from './names.js';
import { duration } from './ticket-card.js';
import type { Message } from './alerts.js';

export const INCIDENT_ACTION = {
  declare: 'incident.declare',
  update: 'incident.update',
  restore: 'incident.restore',
} as const;

/** What an incident button carries: the incident's id, or (declare) the proposal's key and count. */
export interface IncidentValue {
  i?: number;
  p?: string;
  n?: number;
}

export function readIncidentValue(raw: string | undefined): IncidentValue | undefined {
  if (!raw) return undefined;
  try {
    const v = JSON.parse(raw) as IncidentValue;
    return v && typeof v === 'object' && typed(v, ['p'], ['i']) && (v.n === undefined || Number.isSafeInteger(v.n)) ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Names, joined; long lists cut with how many more (a field holds 2,000 characters). */
export function namesOf(ctx: RenderCtx, ids: readonly string[], name: (id: string) => string = (id) => esc(communityName(ctx, id))): string {
  if (!ids.length) return tr(ctx, 'incident.card.none');
  const shown = ids.slice(0, 40).map(name);
  const more = ids.length - shown.length;
  return `${shown.join(tr(ctx, 'incident.list_sep'))}${more > 0 ? ` …(+${more})` : ''}`;
}

function expectedField(ctx: RenderCtx, inc: Incident): string {
  if (!inc.expectedAt) return tr(ctx, 'incident.card.expected_none');
  const late = ctx.now.getTime() - inc.expectedAt.getTime();
  const at = formatMinute(inc.expectedAt);
  return inc.status === 'open' && late > 60_000
    ? tr(ctx, 'incident.card.expected_late', { at, d: duration(ctx, late) })
    : tr(ctx, 'incident.card.expected', { at });
}

function title(ctx: RenderCtx, inc: Incident): string {
  const t = tr(ctx, 'incident.card.title', { number: inc.number, scope: tr(ctx, `incident.scope.${inc.scope}`) });
  return inc.severity === 'major' ? `${t} · ${tr(ctx, 'incident.card.major')}` : t;
}

/** The facts every incident message shows. */
export function incidentFacts(ctx: RenderCtx, inc: Incident): string[] {
  const end = inc.restoredAt ?? ctx.now;
  return [
    tr(ctx, 'incident.card.cause', { cause: esc(inc.cause) }),
    tr(ctx, 'incident.card.status', { status: tr(ctx, `incident.status.${inc.status}`) }),
    tr(ctx, 'incident.card.communities', { names: namesOf(ctx, inc.communityIds) }),
    tr(ctx, 'incident.card.stations', { names: namesOf(ctx, inc.stationIds, esc) }),
    tr(ctx, 'incident.card.declared', { who: actorName(ctx, inc.declaredBy), at: formatMinute(inc.declaredAt) }),
    tr(ctx, inc.restoredAt ? 'incident.card.lasted' : 'incident.card.elapsed', { d: duration(ctx, end.getTime() - inc.declaredAt.getTime()) }),
    expectedField(ctx, inc),
    tr(ctx, 'incident.card.linked', { n: inc.linkedCount }),
  ];
}

/** The incident card: facts, and while it is open the update and restore buttons (restore asks first). */
export function incidentCard(ctx: RenderCtx, inc: Incident, o: { actions?: boolean } = {}): Message {
  const head = title(ctx, inc);
  const blocks: Block[] = [header(head), fields(incidentFacts(ctx, inc))];
  if (inc.status === 'restored') {
    blocks.push(section(tr(ctx, 'incident.card.restored', { who: actorName(ctx, inc.restoredBy), at: inc.restoredAt ? formatMinute(inc.restoredAt) : '' })));
  } else {
    blocks.push(context([tr(ctx, 'incident.card.due', { at: formatMinute(inc.resolveDueAt) })]));
    if (o.actions !== false) {
      const restore = {
        ...button(tr(ctx, 'incident.card.button_restore'), INCIDENT_ACTION.restore, { i: inc.id }, 'primary'),
        confirm: {
          title: { type: 'plain_text', text: tr(ctx, 'incident.card.confirm_title') },
          text: { type: 'plain_text', text: tr(ctx, 'incident.card.confirm_text', { number: inc.number, n: inc.linkedCount }) },
          confirm: { type: 'plain_text', text: tr(ctx, 'incident.card.confirm_yes') },
          deny: { type: 'plain_text', text: tr(ctx, 'incident.card.confirm_no') },
        },
      };
      blocks.push(actions(`incident:${inc.id}`, [button(tr(ctx, 'incident.card.button_update'), INCIDENT_ACTION.update, { i: inc.id }), restore]));
    }
  }
  return { text: `${head} · ${tr(ctx, `incident.status.${inc.status}`)}`, blocks };
}

/** The people R8k alerts for a major incident: the HQ leaders and the heads of its branches. */
export function incidentLeaders(ctx: RenderCtx, inc: Incident): string[] {
  const people = [...ctx.org.staffOf(null, 'leader'), ...inc.branchIds.flatMap((b) => ctx.org.staffOf(b, 'leader'))];
  return [...new Set(people.map((p) => mention(ctx, p.id)).filter(Boolean))];
}

/** R8k: the leaders' channel is told when a major incident is declared, updated and restored. */
export function incidentLeadersMessage(ctx: RenderCtx, inc: Incident, event: 'declared' | 'updated' | 'restored'): Message {
  const head = tr(ctx, `incident.leaders.${event}`, { number: inc.number });
  const people = incidentLeaders(ctx, inc);
  const blocks: Block[] = [header(head), fields(incidentFacts(ctx, inc))];
  if (inc.status === 'restored')
    blocks.push(section(tr(ctx, 'incident.card.restored', { who: actorName(ctx, inc.restoredBy), at: inc.restoredAt ? formatMinute(inc.restoredAt) : '' })));
  if (people.length) blocks.push(section(tr(ctx, 'incident.leaders.call', { people: people.join(' ') })));
  // the fallback text carries the mentions: that is what notifies the leaders
  return { text: `${head} ${people.join(' ')}`.trim(), blocks };
}

/** A proposal as its message shows it: the area, how many reports, since when. */
export type ProposalView = Pick<ProposedArea, 'areaKey' | 'communityIds' | 'stationId' | 'count' | 'windowStart'> & { proposalKey: string };

export function proposalArea(ctx: RenderCtx, p: Pick<ProposalView, 'communityIds' | 'stationId'>): string {
  const names = namesOf(ctx, p.communityIds);
  return p.stationId ? tr(ctx, 'incident.proposal.station', { station: esc(p.stationId), names }) : names;
}

/** "Declare an outage?" with the button, or, once someone has, who declared it and as which incident. */
export function proposalMessage(ctx: RenderCtx, p: ProposalView, declared: Incident | null): Message {
  const head = tr(ctx, 'incident.proposal.title');
  const minutes = ctx.org.config.incidents.windowMinutes;
  const blocks: Block[] = [header(head), section(tr(ctx, 'incident.proposal.body', { area: proposalArea(ctx, p), minutes, count: p.count }))];
  if (declared) {
    blocks.push(
      section(
        tr(ctx, 'incident.proposal.declared', { who: actorName(ctx, declared.declaredBy), at: formatMinute(declared.declaredAt), number: declared.number }),
      ),
    );
  } else {
    blocks.push(context([tr(ctx, 'incident.proposal.hint')]));
    blocks.push(
      actions(`proposal:${p.areaKey}`, [button(tr(ctx, 'incident.proposal.button'), INCIDENT_ACTION.declare, { p: p.proposalKey, n: p.count }, 'danger')]),
    );
  }
  return { text: `${head} ${proposalArea(ctx, p)}`, blocks };
}
