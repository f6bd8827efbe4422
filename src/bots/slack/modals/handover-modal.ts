/** /handover: the outgoing person reads what is open and what was logged, writes the handover and signs (R4). */
import type { types } from '@slack/bolt';
import type { HandoverSummary } from '../../../core/duty/handover-summary.js';
import { divider, section, type Block } from '../render/blocks.js';
import { handoverOverview } from '../render/handover.js';
import { branchName, tr, type RenderCtx } from '../render/names.js';
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
