/**
 * Incidents in Slack: /incident opens the declaration modal (or, with a number, shows the
 * incident); the automatic proposal's incident.declare opens the same modal filled in with the
 * proposal's area; the card's incident.update and incident.restore change it. Errors of the
 * declaration are shown on the modal's fields, in the person's words.
 *
 * The proposal's button opens the modal rather than declaring at once: the cause and the
 * expected time are what every resident of the area is told within minutes, so a person writes
 * them. Two people acting on one proposal still make one incident: the modal carries the
 * proposal's key, which the incident keeps (unique), and a tap on a proposal already declared
 * answers with that incident and marks the message declared.
 */
import type { App } from '@slack/bolt';
import { declareIncident } from '../../../core/incidents/declare-incident.js';
import { restoreIncident } from '../../../core/incidents/restore-incident.js';
import { updateIncident } from '../../../core/incidents/update-incident.js';
import { AppError } from '../../../core/errors.js';
import { formatMinute } from '../../../core/local-time.js';
import type { Incident } from '../../../core/model.js';
import type { Staff } from '../../../core/org/types.js';
import { canManageIncident } from '../../../core/staff/can-manage-incident.js';
import { has } from '../../../i18n/index.js';
import { actorOf, errorText, renderCtx, staffFor, tell, type SlackDeps } from '../kit.js';
import {
  INCIDENT_UPDATE_VIEW,
  INCIDENT_VIEW,
  incidentModal,
  incidentOrigin,
  incidentUpdateModal,
  readIncidentForm,
  readIncidentUpdate,
  stationsOf,
  type IncidentOrigin,
} from '../modals/incident-modal.js';
import { INCIDENT_ACTION, incidentCard, proposalArea, proposalMessage, readIncidentValue, type ProposalView } from '../render/incident-card.js';
import { actorName, tr, type RenderCtx } from '../render/names.js';
import { viewOnce } from './dedupe.js';
import { whereClicked, type ActionArgs, type CommandArgs, type ViewArgs } from './types.js';

/** The modal field a core error belongs on. */
const FIELD_OF: Record<string, string> = {
  expected_time_past: 'expected',
  unknown_station: 'stations',
  unknown_community: 'communities',
  incident_overlaps: 'communities',
  forbidden: 'communities',
  invalid_transition: 'expected',
  concurrent_update: 'cause',
};

/** A core error in the person's words (the incident's own texts first, then the app's). */
async function incidentErrorText(d: SlackDeps, e: unknown, inc?: Incident | null): Promise<string> {
  const ctx = renderCtx(d);
  if (!(e instanceof AppError)) return errorText(d, e);
  if (e.code === 'invalid_transition' && inc?.status === 'restored')
    return tr(ctx, 'incident.error.already_restored', {
      number: inc.number,
      who: actorName(ctx, inc.restoredBy),
      at: inc.restoredAt ? formatMinute(inc.restoredAt) : '',
    });
  if (e.code === 'forbidden' && typeof e.context.reason === 'string' && has(ctx.locale, `slack.incident.refuse.${e.context.reason}`))
    return tr(ctx, `incident.refuse.${e.context.reason}`);
  const vars = {
    number: String(e.context.number ?? inc?.number ?? ''),
    station: String(e.context.station ?? ''),
    community: String(e.context.community ?? ''),
  };
  if (has(ctx.locale, `slack.incident.error.${e.code}`)) return tr(ctx, `incident.error.${e.code}`, vars);
  return errorText(d, e);
}

/** The branches of the communities a form or an area names (for who may act on it). */
function branchesOf(ctx: RenderCtx, communityIds: readonly string[], stationIds: readonly string[]): string[] {
  const stations = stationsOf(ctx);
  const ids = new Set([...communityIds, ...stationIds.flatMap((s) => stations.get(s) ?? [])]);
  return [...new Set([...ids].map((id) => ctx.org.communities.get(id)?.branchId).filter((b): b is string => Boolean(b)))];
}

/** A proposal's area from its key ("station:HX-XI02@2026-11-28T06:00:00.000Z"). */
function proposalOf(ctx: RenderCtx, key: string, count: number): ProposalView | null {
  const [areaKey, start] = key.split('@');
  const m = /^(station|community):(.+)$/.exec(areaKey ?? '');
  const windowStart = new Date(start ?? '');
  if (!m || Number.isNaN(windowStart.getTime())) return null;
  const base = { areaKey: areaKey as ProposalView['areaKey'], count, windowStart, proposalKey: key };
  if (m[1] === 'station') return { ...base, stationId: m[2], communityIds: stationsOf(ctx).get(m[2]) ?? [] };
  return { ...base, communityIds: [m[2]] };
}

function refusal(ctx: RenderCtx, staff: Staff | undefined, branchIds: readonly string[]): string | null {
  const may = canManageIncident(ctx.org, staff, branchIds);
  return may.allowed ? null : tr(ctx, `incident.refuse.${may.reason}`);
}

export function registerIncidents(app: App, d: SlackDeps): void {
  /** Marks a proposal message declared (who, when, which incident); a message that cannot be updated stays as it is. */
  const markDeclared = async (a: { client: ActionArgs['client'] }, from: IncidentOrigin, inc: Incident) => {
    if (!from.p || !from.ch || !from.ts) return;
    const p = proposalOf(renderCtx(d), from.p, from.n ?? 0);
    if (!p) return;
    await a.client.chat
      .update({ channel: from.ch, ts: from.ts, ...proposalMessage(renderCtx(d), p, inc) })
      .catch((e) => d.log.warn({ err: (e as Error).message }, 'incident proposal not updated'));
  };

  app.command('/incident', async (args) => {
    const a = args as unknown as CommandArgs;
    await a.ack();
    const ctx = renderCtx(d);
    const to = { user: a.command.user_id, channel: a.command.channel_id, respond: a.respond };
    const staff = staffFor(d, a.command.user_id);
    if (!staff) return tell(a.client, d, to, tr(ctx, 'incident.refuse.not_staff'));
    try {
      const number = a.command.text.trim().toUpperCase();
      if (number) {
        const inc = await d.core.stores.incidents.byNumber(number);
        if (!inc) return tell(a.client, d, to, tr(ctx, 'incident.unknown', { number }));
        const card = incidentCard(ctx, inc, { actions: false });
        return tell(a.client, d, to, card.text, card.blocks);
      }
      const no = refusal(ctx, staff, []);
      if (no) return tell(a.client, d, to, no);
      await a.client.views.open({ trigger_id: a.command.trigger_id, view: incidentModal(ctx, staff, { ch: a.command.channel_id }) });
    } catch (e) {
      await tell(a.client, d, to, await incidentErrorText(d, e));
    }
  });

  app.action(INCIDENT_ACTION.declare, async (args) => {
    const a = args as unknown as ActionArgs;
    await a.ack();
    const ctx = renderCtx(d);
    const where = whereClicked(a.body);
    const to = { user: a.body.user.id, channel: where.ch };
    const v = readIncidentValue(a.action.value);
    const p = v?.p ? proposalOf(ctx, v.p, v.n ?? 0) : null;
    if (!p) return;
    const staff = staffFor(d, a.body.user.id);
    const no = refusal(ctx, staff, branchesOf(ctx, p.communityIds, []));
    if (no) return tell(a.client, d, to, no);
    try {
      const from: IncidentOrigin = { p: p.proposalKey, n: p.count, ch: where.ch, ts: where.ts };
      const declared = await d.core.stores.incidents.byProposalKey(p.proposalKey);
      if (declared) {
        await markDeclared(a, from, declared);
        return tell(a.client, d, to, existingText(ctx, declared));
      }
      const intro = tr(ctx, 'incident.modal.from_proposal', { area: proposalArea(ctx, p), minutes: ctx.org.config.incidents.windowMinutes, count: p.count });
      // a station some of whose communities another incident took meanwhile: the rest, by name
      const open = p.stationId ? await d.core.stores.incidents.openForAny(p.communityIds) : [];
      const taken = new Set(open.flatMap((i) => i.communityIds));
      const byStation = p.stationId && !taken.size;
      const view = incidentModal(ctx, staff!, from, {
        intro,
        communityIds: byStation ? [] : p.communityIds.filter((c) => !taken.has(c)),
        stationIds: byStation ? [p.stationId!] : [],
        scope: p.stationId ? 'station' : 'community',
      });
      await a.client.views.open({ trigger_id: a.body.trigger_id!, view });
    } catch (e) {
      await tell(a.client, d, to, await incidentErrorText(d, e));
    }
  });

  app.view(INCIDENT_VIEW, async (args) => {
    const a = args as unknown as ViewArgs;
    const ctx = renderCtx(d);
    const staff = staffFor(d, a.body.user.id);
    const r = readIncidentForm(ctx, a.view);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    const no = refusal(ctx, staff, branchesOf(ctx, r.value.communityIds, r.value.stationIds));
    if (no) return a.ack({ response_action: 'errors', errors: { communities: no } });
    const from = incidentOrigin(a.view);
    let result: { incident: Incident; created: boolean };
    try {
      // before answering Slack: what the core refuses is shown on the modal's fields
      result = await declareIncident(d.core, { ...r.value, actor: actorOf(staff!), proposalKey: from.p });
    } catch (e) {
      const field = e instanceof AppError ? (FIELD_OF[e.code] ?? (e.code === 'validation_failed' ? fieldOfValidation(e) : undefined)) : undefined;
      if (field) return a.ack({ response_action: 'errors', errors: { [field]: await incidentErrorText(d, e) } });
      await a.ack();
      return tell(a.client, d, { user: a.body.user.id, channel: from.ch }, await incidentErrorText(d, e));
    }
    await a.ack();
    d.kick?.();
    const inc = result.incident;
    await viewOnce(d, a.view.id, async () => {
      const text = result.created ? tr(ctx, 'incident.done.declared', { number: inc.number, n: inc.linkedCount }) : existingText(ctx, inc);
      await tell(a.client, d, { user: a.body.user.id, channel: from.ch }, text);
      await markDeclared(a, from, inc);
    });
  });

  /**
   * A button on an incident's card: acknowledged, the incident read and the clicker checked;
   * null (and the clicker told why) when there is nothing to do.
   */
  const clicked = async (a: ActionArgs) => {
    await a.ack();
    const ctx = renderCtx(d);
    const where = whereClicked(a.body);
    const to = { user: a.body.user.id, channel: where.ch };
    const v = readIncidentValue(a.action.value);
    if (!v?.i) return null;
    const inc = await d.core.stores.incidents.byId(v.i);
    const staff = inc ? staffFor(d, a.body.user.id) : undefined;
    const no = inc ? refusal(ctx, staff, inc.branchIds) : tr(ctx, 'incident.error.not_found');
    if (no !== null || !inc) {
      await tell(a.client, d, to, no ?? '');
      return null;
    }
    return { ctx, where, to, inc, staff: staff! };
  };

  app.action(INCIDENT_ACTION.update, async (args) => {
    const a = args as unknown as ActionArgs;
    const to = { user: a.body.user.id, channel: whereClicked(a.body).ch };
    try {
      const c = await clicked(a);
      if (!c) return;
      const { ctx, where, inc } = c;
      if (inc.status === 'restored') return tell(a.client, d, to, await incidentErrorText(d, new AppError('invalid_transition', 'restored'), inc));
      await a.client.views.open({ trigger_id: a.body.trigger_id!, view: incidentUpdateModal(ctx, inc, { i: inc.id, ch: where.ch, ts: where.ts }) });
    } catch (e) {
      await tell(a.client, d, to, await incidentErrorText(d, e));
    }
  });

  app.view(INCIDENT_UPDATE_VIEW, async (args) => {
    const a = args as unknown as ViewArgs;
    const ctx = renderCtx(d);
    const from = incidentOrigin(a.view);
    const inc = from.i ? await d.core.stores.incidents.byId(from.i) : null;
    if (!inc) return a.ack({ response_action: 'errors', errors: { cause: tr(ctx, 'incident.error.not_found') } });
    const r = readIncidentUpdate(ctx, a.view, inc);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    const staff = staffFor(d, a.body.user.id);
    const no = refusal(ctx, staff, inc.branchIds);
    if (no) return a.ack({ response_action: 'errors', errors: { cause: no } });
    try {
      await updateIncident(d.core, { id: inc.id, actor: actorOf(staff!), ...r.value });
    } catch (e) {
      const field = e instanceof AppError ? FIELD_OF[e.code] : undefined;
      const text = await incidentErrorText(d, e, await d.core.stores.incidents.byId(inc.id));
      if (field) return a.ack({ response_action: 'errors', errors: { [field]: text } });
      await a.ack();
      return tell(a.client, d, { user: a.body.user.id, channel: from.ch }, text);
    }
    await a.ack();
    d.kick?.();
    await tell(a.client, d, { user: a.body.user.id, channel: from.ch }, tr(ctx, 'incident.done.updated', { number: inc.number }));
  });

  app.action(INCIDENT_ACTION.restore, async (args) => {
    const a = args as unknown as ActionArgs;
    const c = await clicked(a);
    if (!c) return;
    const { ctx, to, inc, staff } = c;
    try {
      await restoreIncident(d.core, { id: inc.id, actor: actorOf(staff) });
    } catch (e) {
      return tell(a.client, d, to, await incidentErrorText(d, e, await d.core.stores.incidents.byId(inc.id)));
    }
    d.kick?.();
    await tell(a.client, d, to, tr(ctx, 'incident.done.restored', { number: inc.number }));
  });
}

function existingText(ctx: RenderCtx, inc: Incident): string {
  return tr(ctx, 'incident.done.existing', { number: inc.number, who: actorName(ctx, inc.declaredBy), at: formatMinute(inc.declaredAt) });
}

/** validation_failed names the core's field: the modal's block for it. */
function fieldOfValidation(e: AppError): string {
  const f = String(e.context.field ?? '');
  if (f === 'cause') return 'cause';
  if (f === 'scope') return 'scope';
  if (f === 'severity') return 'severity';
  if (f === 'expectedAt') return 'expected';
  return 'communities';
}
