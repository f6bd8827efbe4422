/**
 * ticket.resolve: the branch's reply (R8g) with the service form (R8f, R14): result, work done,
 * effect, materials, fees (yuan, stored in cents) and whether the customer signed the paper form.
 * Paid work (R14/R15) must state the effect and the after-sales terms; own-materials paid work
 * (R12) charging more than the basic labour fee needs the confirmation box and a reason.
 * Errors go back into the modal (response_action: errors) and nothing is stored.
 */
import type { types } from '@slack/bolt';
import type { Ticket } from '../../../core/model.js';
import { labourFeeCents } from '../../../core/tickets/paid-work.js';
import type { ServiceFormInput } from '../../../core/tickets/transition-ticket.js';
import { context, option, section, type Block } from '../render/blocks.js';
import { tr, type RenderCtx } from '../render/names.js';
import { yuan } from '../render/prices.js';
import { checkboxInput, modal, textInput } from './elements.js';
import { fieldValue, fieldValues, yuanToCents, type ModalOrigin, type ViewLike } from './view-state.js';

export const RESOLVE_VIEW = 'ticket.resolve';

/** What the modal asks depends on the ticket: paid work, and whose materials. */
export type ResolveTicket = Pick<Ticket, 'number' | 'status' | 'kind' | 'paidMaterials' | 'branchId' | 'arrivedAt'>;

const paid = (t: Pick<Ticket, 'kind'>) => t.kind === 'paid_service';
const ownMaterials = (t: Pick<Ticket, 'kind' | 'paidMaterials'>) => paid(t) && t.paidMaterials === 'own';

export function resolveModal(ctx: RenderCtx, t: ResolveTicket, from: ModalOrigin): types.ModalView {
  const cap = labourFeeCents(ctx.org, t.branchId);
  const blocks: Block[] = [
    section(tr(ctx, 'resolve.intro', { number: t.number })),
    ...(paid(t) ? [context([tr(ctx, ownMaterials(t) ? 'paid.resolve_own' : 'paid.resolve_company', { fee: yuan(cap) })])] : []),
    textInput('result', tr(ctx, 'resolve.result'), { multiline: true, max: 1000, placeholder: tr(ctx, 'resolve.result_hint') }),
    textInput('work_done', tr(ctx, 'resolve.work_done'), { optional: !paid(t), multiline: true, max: 1000 }),
    textInput('effect', tr(ctx, 'paid.effect'), { optional: !paid(t), max: 1000, placeholder: tr(ctx, 'paid.effect_hint') }),
    textInput('materials', tr(ctx, 'resolve.materials'), { optional: true, multiline: true, max: 1000 }),
    textInput('fees', tr(ctx, 'resolve.fees'), { optional: true, placeholder: '0.00', max: 12 }),
    ...(paid(t) ? [textInput('after_sales', tr(ctx, 'paid.after_sales'), { multiline: true, max: 1000, placeholder: tr(ctx, 'paid.after_sales_hint') })] : []),
    ...(ownMaterials(t)
      ? [
          checkboxInput('fee_confirm', tr(ctx, 'paid.fee_confirm_label'), [option(tr(ctx, 'paid.fee_confirm'), 'over_cap')]),
          textInput('fee_reason', tr(ctx, 'paid.fee_reason'), { optional: true, max: 500 }),
        ]
      : []),
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
  t: ResolveTicket | null,
): { ok: true; value: ResolveInput } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const visited = Boolean(t?.arrivedAt) || t?.status === 'on_site';
  const result = fieldValue(view, 'result');
  const workDone = fieldValue(view, 'work_done');
  const effect = fieldValue(view, 'effect');
  const afterSalesTerms = fieldValue(view, 'after_sales');
  const materials = fieldValue(view, 'materials');
  const feesCents = yuanToCents(fieldValue(view, 'fees'));
  const signed = fieldValues(view, 'signed').includes('signed');
  const confirmed = fieldValues(view, 'fee_confirm').includes('over_cap');
  const reason = fieldValue(view, 'fee_reason');
  if (!result) errors.result = tr(ctx, 'resolve.error_result');
  if (feesCents === null) errors.fees = tr(ctx, 'resolve.error_fees');
  const formWanted = Boolean(workDone || effect || afterSalesTerms || materials || feesCents || signed);
  // R8f: after a visit the service form records the work; fees and a signature need it too; paid work always has one (R14)
  if (!workDone && (visited || formWanted || (t && paid(t))))
    errors.work_done = tr(ctx, visited || (t && paid(t)) ? 'resolve.error_work_visited' : 'resolve.error_work_form');
  if (t && paid(t)) {
    if (!effect) errors.effect = tr(ctx, 'paid.error_effect');
    if (!afterSalesTerms) errors.after_sales = tr(ctx, 'paid.error_after_sales');
  }
  if (t && ownMaterials(t) && typeof feesCents === 'number') {
    // R12: the customer brought the materials: the basic labour fee only, unless confirmed with a reason
    const cap = labourFeeCents(ctx.org, t.branchId);
    if (feesCents > cap && !(confirmed && reason)) {
      errors.fees = tr(ctx, 'paid.error_over_cap', { fee: yuan(cap) });
      if (confirmed && !reason) errors.fee_reason = tr(ctx, 'paid.error_reason');
    }
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const over = t && ownMaterials(t) && confirmed && reason ? { feeOverCapReason: reason } : {};
  const form = workDone ? { workDone, materials, effect, afterSalesTerms, feesCents: feesCents ?? 0, signed, ...over } : undefined;
  return { ok: true, value: { note: result!, form } };
}
