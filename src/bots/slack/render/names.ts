/** Names people read: staff, branches, units, communities and actors, in the staff's language. */
import type { Org } from '../../../core/org/org.js';
import { OPERATOR_CLIENT } from '../../../core/org/types.js';
import { clientIdOf } from '../../../core/tickets/event-actor.js';
import { t, type Locale } from '../../../i18n/index.js';

export interface RenderCtx {
  org: Org;
  locale: Locale;
  now: Date;
}

export const tr = (ctx: Pick<RenderCtx, 'locale'>, key: string, vars: Record<string, string | number | null | undefined> = {}) =>
  t(ctx.locale, `slack.${key}`, vars);
export const common = (ctx: Pick<RenderCtx, 'locale'>, key: string) => t(ctx.locale, `common.${key}`);

const localName = (ctx: RenderCtx, x: { name: string; nameEn?: string } | undefined) => (x ? (ctx.locale === 'en' && x.nameEn ? x.nameEn : x.name) : '');

export function branchName(ctx: RenderCtx, branchId: string | null | undefined): string {
  if (!branchId) return common(ctx, 'centre');
  return localName(ctx, ctx.org.branches.get(branchId)) || branchId;
}

export function unitName(ctx: RenderCtx, unitId: string | null | undefined): string {
  if (!unitId) return '';
  return localName(ctx, ctx.org.units.get(unitId)) || unitId;
}

export function communityName(ctx: RenderCtx, communityId: string | null | undefined): string {
  if (!communityId) return '';
  return ctx.org.communities.get(communityId)?.name ?? communityId;
}

export function staffName(ctx: RenderCtx, staffId: string | null | undefined): string {
  if (!staffId) return '';
  return ctx.org.staff.get(staffId)?.name ?? staffId;
}

/** "staff:agent01" → their name, "resident:7" → the resident, "system" → the system, "telegram" → Telegram. */
export function actorName(ctx: RenderCtx, actor: string | null | undefined): string {
  if (!actor) return '';
  if (actor.startsWith('staff:')) return staffName(ctx, actor.slice(6));
  if (actor.startsWith('resident:')) return tr(ctx, 'actor.resident');
  if (actor === 'system') return tr(ctx, 'actor.system');
  if (actor === 'telegram') return common(ctx, 'source.telegram');
  if (actor === 'suggestion_box') return common(ctx, 'source.suggestion_box');
  const client = clientIdOf(actor);
  if (client === OPERATOR_CLIENT) return tr(ctx, 'actor.operator');
  if (client !== undefined) return tr(ctx, 'actor.api', { name: ctx.org.apiClients.get(client)?.name ?? client });
  return actor;
}

/** An event's actor, with the staff member an API client acted for: "API client “ERP” for Wu Juan". */
export function eventActorName(ctx: RenderCtx, actor: string, onBehalfOf: string | undefined): string {
  const who = actorName(ctx, actor);
  return onBehalfOf ? tr(ctx, 'actor.on_behalf', { client: who, staff: actorName(ctx, onBehalfOf) }) : who;
}

/** R1: the first responder with where they work (Li Lei · the centre), or the channel that took it. */
export function firstResponderName(ctx: RenderCtx, fr: string): string {
  if (!fr.startsWith('staff:')) return actorName(ctx, fr);
  const staff = ctx.org.staff.get(fr.slice(6));
  if (!staff) return fr.slice(6);
  return `${staff.name} · ${branchName(ctx, staff.branchId)}`;
}

/** A Slack mention for a staff member, or their name when they have no Slack id. */
export function mention(ctx: RenderCtx, staffId: string | null | undefined): string {
  if (!staffId) return '';
  const staff = ctx.org.staff.get(staffId);
  return staff?.slackUserId ? `<@${staff.slackUserId}>` : staffName(ctx, staffId);
}
