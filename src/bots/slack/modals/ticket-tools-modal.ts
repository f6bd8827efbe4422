/**
 * The card's staff tools, each a modal that asks the reason: link to an open incident, mark as
 * a duplicate of another ticket, cancel. The reason is stored as the step's note (the card's
 * thread line, the ticket page, the resident's message for a cancel, the R30 list).
 * Here: what each modal asks, and the checks of its fields that need no database; the core's
 * refusals (original not found, itself, a chain, another branch) come back onto the same fields
 * (handlers/ticket-tools.ts, toolFieldError).
 */
import type { types } from '@slack/bolt';
import type { Incident, Ticket } from '../../../core/model.js';
import { option, section, type Block } from '../render/blocks.js';
import { communityName, tr, type RenderCtx } from '../render/names.js';
import { modal, selectInput, textInput } from './elements.js';
import { fieldValue, type ModalOrigin, type ViewLike } from './view-state.js';

export const LINK_VIEW = 'ticket.link_incident';
export const DUPLICATE_VIEW = 'ticket.duplicate';
export const CANCEL_VIEW = 'ticket.cancel';

/** The common reasons for cancelling offered first; `other` needs words of its own. */
export const CANCEL_REASONS = ['resident_withdrew', 'heat_restored', 'not_ours', 'wrong_report', 'unreachable', 'other'] as const;

const REASON_MAX = 500;

type Read<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

const meta = (t: Ticket, from: ModalOrigin) => ({ n: t.number, s: t.status, ch: from.ch, ts: from.ts });

function reasonInput(ctx: RenderCtx, o: { optional?: boolean; label?: string } = {}): Block {
  return textInput('reason', o.label ?? tr(ctx, 'tools.reason'), { multiline: true, max: REASON_MAX, optional: o.optional });
}

/** Open incidents that cover the ticket's community, or failing that its branch. */
export function incidentsFor(t: Pick<Ticket, 'communityId' | 'branchId'>, open: readonly Incident[]): Incident[] {
  const byCommunity = t.communityId ? open.filter((i) => i.communityIds.includes(t.communityId!)) : [];
  if (byCommunity.length) return byCommunity;
  return t.branchId ? open.filter((i) => i.branchIds.includes(t.branchId!)) : [];
}

export function linkModal(ctx: RenderCtx, t: Ticket, incidents: readonly Incident[], from: ModalOrigin): types.ModalView {
  const options = incidents.slice(0, 100).map((i) =>
    option(
      tr(ctx, 'tools.link.option', {
        number: i.number,
        cause: i.cause,
        communities: i.communityIds.map((c) => communityName(ctx, c)).join(tr(ctx, 'tools.link.separator')),
      }),
      String(i.id),
    ),
  );
  const blocks: Block[] = [
    section(tr(ctx, 'tools.link.intro', { number: t.number, community: communityName(ctx, t.communityId) || tr(ctx, 'card.unknown') })),
    selectInput('incident', tr(ctx, 'tools.link.incident'), options, { initial: options.length === 1 ? options[0].value : undefined }),
    reasonInput(ctx),
  ];
  return modal(LINK_VIEW, tr(ctx, 'tools.link.title'), tr(ctx, 'modal.submit'), tr(ctx, 'modal.cancel'), blocks, meta(t, from));
}

export function readLink(ctx: RenderCtx, view: ViewLike): Read<{ incidentId: number; reason: string }> {
  const errors: Record<string, string> = {};
  const raw = fieldValue(view, 'incident');
  const incidentId = raw && /^\d{1,9}$/.test(raw) ? Number(raw) : undefined;
  const reason = fieldValue(view, 'reason');
  if (!incidentId) errors.incident = tr(ctx, 'tools.link.error_incident');
  if (!reason) errors.reason = tr(ctx, 'tools.link.error_reason');
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: { incidentId: incidentId!, reason: reason! } };
}

export function duplicateModal(ctx: RenderCtx, t: Ticket, from: ModalOrigin): types.ModalView {
  const blocks: Block[] = [
    section(tr(ctx, 'tools.dup.intro', { number: t.number })),
    textInput('original', tr(ctx, 'tools.dup.original'), { placeholder: tr(ctx, 'tools.dup.original_hint'), max: 32 }),
    reasonInput(ctx),
  ];
  return modal(DUPLICATE_VIEW, tr(ctx, 'tools.dup.title'), tr(ctx, 'modal.submit'), tr(ctx, 'modal.cancel'), blocks, meta(t, from));
}

export function readDuplicate(ctx: RenderCtx, view: ViewLike): Read<{ original: string; reason: string }> {
  const errors: Record<string, string> = {};
  const original = fieldValue(view, 'original')?.toUpperCase();
  const reason = fieldValue(view, 'reason');
  if (!original) errors.original = tr(ctx, 'tools.dup.error_original');
  if (!reason) errors.reason = tr(ctx, 'tools.dup.error_reason');
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value: { original: original!, reason: reason! } };
}

export function cancelModal(ctx: RenderCtx, t: Ticket, from: ModalOrigin): types.ModalView {
  const options = CANCEL_REASONS.map((r) => option(tr(ctx, `tools.cancel_reasons.${r}`), r));
  const blocks: Block[] = [
    section(tr(ctx, 'tools.cancel_modal.intro', { number: t.number })),
    selectInput('kind', tr(ctx, 'tools.cancel_modal.kind'), options),
    reasonInput(ctx, { optional: true, label: tr(ctx, 'tools.cancel_modal.detail') }),
  ];
  return modal(CANCEL_VIEW, tr(ctx, 'tools.cancel_modal.title'), tr(ctx, 'modal.submit'), tr(ctx, 'modal.cancel'), blocks, meta(t, from));
}

/** The note a cancel stores: the common reason in words, then the details ("Withdrawn by the resident: heating is back"). */
export function readCancel(ctx: RenderCtx, view: ViewLike): Read<{ kind: string; note: string }> {
  const errors: Record<string, string> = {};
  const kind = fieldValue(view, 'kind');
  const detail = fieldValue(view, 'reason');
  const known = kind && (CANCEL_REASONS as readonly string[]).includes(kind);
  if (!known) errors.kind = tr(ctx, 'tools.cancel_modal.error_kind');
  else if (kind === 'other' && !detail) errors.reason = tr(ctx, 'tools.cancel_modal.error_detail');
  if (Object.keys(errors).length) return { ok: false, errors };
  const label = kind === 'other' ? '' : tr(ctx, `tools.cancel_reasons.${kind}`);
  const note = label && detail ? tr(ctx, 'tools.cancel_modal.note', { reason: label, detail }) : label || detail!;
  return { ok: true, value: { kind: kind!, note } };
}
