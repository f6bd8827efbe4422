/**
 * ticket.resolve: the branch's reply (R8g) with the service form (R8f, R14): result, work done,
 * materials, fees (yuan, stored in cents) and whether the customer signed the paper form.
 * Errors go back into the modal (response_action: errors) and nothing is stored.
 */
import type { types } from '@slack/bolt';
import type { ServiceFormInput } from '../../../core/tickets/transition-ticket.js';
import type { Ticket } from '../../../core/model.js';
import { option, section, type Block } from '../render/blocks.js';
import { tr, type RenderCtx } from '../render/names.js';
import { checkboxInput, modal, textInput } from './elements.js';
import { fieldValue, fieldValues, yuanToCents, type ModalOrigin, type ViewLike } from './view-state.js';

export const RESOLVE_VIEW = 'ticket.resolve';

export function resolveModal(ctx: RenderCtx, t: Ticket, from: ModalOrigin): types.ModalView {
  const blocks: Block[] = [
    section(tr(ctx, 'resolve.intro', { number: t.number })),
    textInput('result', tr(ctx, 'resolve.result'), { multiline: true, max: 1000, placeholder: tr(ctx, 'resolve.result_hint') }),
    textInput('work_done', tr(ctx, 'resolve.work_done'), { optional: true, multiline: true, max: 1000 }),
    textInput('materials', tr(ctx, 'resolve.materials'), { optional: true, multiline: true, max: 1000 }),
    textInput('fees', tr(ctx, 'resolve.fees'), { optional: true, placeholder: '0.00', max: 12 }),
    checkboxInput('signed', tr(ctx, 'resolve.form'), [option(tr(ctx, 'resolve.signed'), 'signed')]),
  ];
  return modal(RESOLVE_VIEW, tr(ctx, 'resolve.title'), tr(ctx, 'modal.submit'), tr(ctx, 'modal.cancel'), blocks, {
    n: t.number,
    s: t.status,
    ch: from.ch,
    ts: from.ts,
  });
}

export type ResolveInput = { note: string; form?: ServiceFormInput };

export function readResolve(
  ctx: RenderCtx,
  view: ViewLike,
  visited: boolean,
): { ok: true; value: ResolveInput } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const result = fieldValue(view, 'result');
  const workDone = fieldValue(view, 'work_done');
  const materials = fieldValue(view, 'materials');
  const feesCents = yuanToCents(fieldValue(view, 'fees'));
  const signed = fieldValues(view, 'signed').includes('signed');
  if (!result) errors.result = tr(ctx, 'resolve.error_result');
  if (feesCents === null) errors.fees = tr(ctx, 'resolve.error_fees');
  const formWanted = Boolean(workDone || materials || feesCents || signed);
  // R8f: after a visit the service form records the work; fees and a signature need it too
  if (!workDone && (visited || formWanted)) errors.work_done = tr(ctx, visited ? 'resolve.error_work_visited' : 'resolve.error_work_form');
  if (Object.keys(errors).length) return { ok: false, errors };
  const form = workDone ? { workDone, materials, feesCents: feesCents ?? 0, signed } : undefined;
  return { ok: true, value: { note: result!, form } };
}
