/**
 * ticket.transfer: to another branch or unit, with a reason. The first responder stays (R1): the
 * core never touches it; the new branch's card shows it.
 */
import type { types } from '@slack/bolt';
import type { Ticket } from '../../../core/model.js';
import { option, section, type Block } from '../render/blocks.js';
import { branchName, common, tr, unitName, type RenderCtx } from '../render/names.js';
import { modal, selectInput, textInput } from './elements.js';
import { fieldValue, type ModalOrigin, type ViewLike } from './view-state.js';

export const TRANSFER_VIEW = 'ticket.transfer';

export function transferModal(ctx: RenderCtx, t: Ticket, from: ModalOrigin): types.ModalView {
  const branches = [...ctx.org.branches.values()];
  const branchOptions = branches.map((b) => option(branchName(ctx, b.id), b.id));
  const groups = branches.map((b) => ({
    label: branchName(ctx, b.id),
    options: b.units.map((u) => option(`${unitName(ctx, u.id)} (${common(ctx, `unit_kind.${u.kind}`)})`, u.id)),
  }));
  const blocks: Block[] = [
    section(tr(ctx, 'transfer.intro', { number: t.number })),
    selectInput('branch', tr(ctx, 'transfer.branch'), branchOptions, { initial: t.branchId ?? undefined }),
    selectInput('unit', tr(ctx, 'transfer.unit'), [], { optional: true, groups }),
    textInput('reason', tr(ctx, 'transfer.reason'), { multiline: true, max: 500 }),
  ];
  return modal(TRANSFER_VIEW, tr(ctx, 'transfer.title'), tr(ctx, 'modal.submit'), tr(ctx, 'modal.cancel'), blocks, {
    n: t.number,
    s: t.status,
    ch: from.ch,
    ts: from.ts,
  });
}

export type TransferInput = { branchId: string; unitId?: string; note: string };

export function readTransfer(ctx: RenderCtx, view: ViewLike, t: Ticket): { ok: true; value: TransferInput } | { ok: false; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const branchId = fieldValue(view, 'branch');
  const unitId = fieldValue(view, 'unit');
  const reason = fieldValue(view, 'reason');
  if (!branchId || !ctx.org.branches.has(branchId)) errors.branch = tr(ctx, 'transfer.error_branch');
  if (unitId && branchId && ctx.org.units.get(unitId)?.branchId !== branchId)
    errors.unit = tr(ctx, 'transfer.error_unit', { branch: branchName(ctx, branchId) });
  if (!reason) errors.reason = tr(ctx, 'transfer.error_reason');
  if (branchId && !errors.unit) {
    const target = unitId ?? ctx.org.unitFor(branchId, t.category)?.id ?? null;
    if (branchId === t.branchId && target === t.unitId) errors[unitId ? 'unit' : 'branch'] = tr(ctx, 'transfer.error_same');
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { branchId: branchId!, unitId, note: reason! } };
}
