/**
 * forms.bulk (R8l): a branch's bundle of service forms came back to HQ: the branch and the
 * service dates it covers (both days included). Errors go back into the modal.
 */
import type { types } from '@slack/bolt';
import { localIsoDate } from '../../../core/local-time.js';
import { option, section, type Block } from '../render/blocks.js';
import { branchName, tr, type RenderCtx } from '../render/names.js';
import { modal, selectInput, textInput } from './elements.js';
import { fieldValue, type ViewLike } from './view-state.js';

export const FORMS_BULK_VIEW = 'forms.bulk';

export function formsBulkModal(ctx: RenderCtx, o: { branchId?: string; channel?: string }): types.ModalView {
  const branches = [...ctx.org.branches.keys()].map((id) => option(branchName(ctx, id), id));
  const blocks: Block[] = [
    section(tr(ctx, 'forms.bulk_intro')),
    selectInput('branch', tr(ctx, 'forms.bulk_branch'), branches, { initial: o.branchId }),
    textInput('from', tr(ctx, 'forms.bulk_from'), { placeholder: 'YYYY-MM-DD', max: 10 }),
    textInput('to', tr(ctx, 'forms.bulk_to'), { placeholder: 'YYYY-MM-DD', max: 10, initial: localIsoDate(ctx.now) }),
  ];
  return modal(FORMS_BULK_VIEW, tr(ctx, 'forms.bulk_title'), tr(ctx, 'modal.submit'), tr(ctx, 'modal.cancel'), blocks, { ch: o.channel });
}

export function readFormsBulk(
  ctx: RenderCtx,
  view: ViewLike,
): { ok: true; value: { branchId: string; from: string; to: string } } | { ok: false; errors: Record<string, string> } {
  const branchId = fieldValue(view, 'branch');
  const from = fieldValue(view, 'from');
  const to = fieldValue(view, 'to');
  const errors: Record<string, string> = {};
  if (!branchId || !ctx.org.branches.has(branchId)) errors.branch = tr(ctx, 'forms.error_branch');
  if (!from) errors.from = tr(ctx, 'forms.error_date');
  if (!to) errors.to = tr(ctx, 'forms.error_date');
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { branchId: branchId!, from: from!, to: to! } };
}
