/** callback.record: the centre's phone callback (R8h, R28): reached or not, satisfaction, a note. */
import type { types } from '@slack/bolt';
import { SATISFACTION, type Satisfaction } from '../../../core/domain.js';
import type { Ticket } from '../../../core/model.js';
import { option, section, type Block } from '../render/blocks.js';
import { common, tr, type RenderCtx } from '../render/names.js';
import { modal, radioInput, textInput } from './elements.js';
import { fieldValue, type ModalOrigin, type ViewLike } from './view-state.js';

export const CALLBACK_VIEW = 'callback.record';

export function callbackModal(ctx: RenderCtx, t: Ticket, callbackId: number, from: ModalOrigin): types.ModalView {
  const blocks: Block[] = [
    section(tr(ctx, 'callback.intro', { number: t.number })),
    radioInput('reached', tr(ctx, 'callback.reached'), [option(tr(ctx, 'callback.reached_yes'), 'yes'), option(tr(ctx, 'callback.reached_no'), 'no')]),
    radioInput(
      'satisfaction',
      tr(ctx, 'callback.satisfaction'),
      SATISFACTION.map((s) => option(common(ctx, `satisfaction.${s}`), s)),
      { optional: true },
    ),
    textInput('note', tr(ctx, 'callback.note'), { optional: true, multiline: true, max: 1000 }),
  ];
  return modal(CALLBACK_VIEW, tr(ctx, 'callback.modal_title'), tr(ctx, 'modal.submit'), tr(ctx, 'modal.cancel'), blocks, {
    n: t.number,
    c: callbackId,
    ch: from.ch,
    ts: from.ts,
  });
}

export type CallbackInput = { reached: boolean; satisfaction?: Satisfaction; comment?: string };

export function readCallback(ctx: RenderCtx, view: ViewLike): { ok: true; value: CallbackInput } | { ok: false; errors: Record<string, string> } {
  const reached = fieldValue(view, 'reached');
  const satisfaction = fieldValue(view, 'satisfaction') as Satisfaction | undefined;
  const comment = fieldValue(view, 'note');
  const errors: Record<string, string> = {};
  if (reached !== 'yes' && reached !== 'no') errors.reached = tr(ctx, 'callback.error_reached');
  if (reached === 'yes' && (!satisfaction || !SATISFACTION.includes(satisfaction))) errors.satisfaction = tr(ctx, 'callback.error_satisfaction');
  if (Object.keys(errors).length) return { ok: false, errors };
  return { ok: true, value: { reached: reached === 'yes', satisfaction: reached === 'yes' ? satisfaction : undefined, comment } };
}
