/**
 * /handover: the outgoing person reads what is open and what was logged, writes the handover and
 * signs (R4); the incoming person's objection button asks what is wrong instead of signing.
 */
import type { types } from '@slack/bolt';
import type { HandoverSummary } from '../../../core/duty/handover-summary.js';
import { OBJECTION_MAX } from '../../../core/duty/object-to-handover.js';
import type { Handover } from '../../../core/model.js';
import { divider, section, type Block } from '../render/blocks.js';
import { handoverOverview } from '../render/handover.js';
import { branchName, staffName, tr, type RenderCtx } from '../render/names.js';
import { modal, textInput } from './elements.js';
import { fieldValue, type ModalOrigin, type ViewLike } from './view-state.js';

export const HANDOVER_VIEW = 'duty.handover';

export function handoverModal(ctx: RenderCtx, s: HandoverSummary, from: ModalOrigin): types.ModalView {
  const blocks: Block[] = [
    section(tr(ctx, 'handover.intro', { place: branchName(ctx, s.branchId) })),
    ...handoverOverview(ctx, s),
    divider(),
    textInput('summary', tr(ctx, 'handover.summary'), { multiline: true, max: 3000, placeholder: tr(ctx, 'handover.summary_hint') }),
    section(tr(ctx, 'handover.signature_note')),
  ];
  return modal(HANDOVER_VIEW, tr(ctx, 'handover.modal_title'), tr(ctx, 'handover.sign'), tr(ctx, 'modal.cancel'), blocks, from);
}

export function readHandover(ctx: RenderCtx, view: ViewLike): { ok: true; value: { summary: string } } | { ok: false; errors: Record<string, string> } {
  const summary = fieldValue(view, 'summary');
  if (!summary) return { ok: false, errors: { summary: tr(ctx, 'handover.error_summary') } };
  return { ok: true, value: { summary } };
}

export const OBJECTION_VIEW = 'duty.objection';

/** The objection (R4): what the incoming person objects to; `from` carries the handover and its message. */
export function objectionModal(ctx: RenderCtx, h: Handover, from: ModalOrigin): types.ModalView {
  const blocks: Block[] = [
    section(tr(ctx, 'duty.objection_intro', { who: staffName(ctx, h.outgoingStaffId) })),
    textInput('reason', tr(ctx, 'duty.objection_reason'), { multiline: true, max: OBJECTION_MAX, placeholder: tr(ctx, 'duty.objection_hint') }),
  ];
  return modal(OBJECTION_VIEW, tr(ctx, 'duty.objection_title'), tr(ctx, 'duty.objection_submit'), tr(ctx, 'modal.cancel'), blocks, from);
}

export function readObjection(ctx: RenderCtx, view: ViewLike): { ok: true; value: { reason: string } } | { ok: false; errors: Record<string, string> } {
  const reason = fieldValue(view, 'reason');
  if (!reason) return { ok: false, errors: { reason: tr(ctx, 'duty.objection_error') } };
  return { ok: true, value: { reason } };
}
