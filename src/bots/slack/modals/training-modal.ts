/**
 * The /training modals (R23/R24): a session held (topic from the measures' list, the day, the
 * trainer, who attended: the staff the recorder may name, grouped by place, and a note), and a
 * topic put in a year's plan (year, month, topic, and for the centre the place it is for).
 */
import type { types } from '@slack/bolt';
import { localIsoDate } from '../../../core/local-time.js';
import { TRAINING_TOPICS } from '../../../core/model.js';
import type { Staff } from '../../../core/org/types.js';
import { recordableStaff } from '../../../core/training/can-record-training.js';
import { currentYear } from '../../../core/training/training-dates.js';
import { option, plain, section, type Block } from '../render/blocks.js';
import { branchName, tr, type RenderCtx } from '../render/names.js';
import { placeName, topicName } from '../render/training.js';
import { modal, selectInput, textInput } from './elements.js';
import type { ViewLike } from './view-state.js';

export const TRAINING_SESSION_VIEW = 'training.session_modal';
export const TRAINING_PLAN_VIEW = 'training.plan_modal';

/** Where the modal was opened: the channel to answer in. */
export interface TrainingOrigin {
  ch?: string;
}

export function trainingOrigin(view: ViewLike): TrainingOrigin {
  try {
    const o = view.private_metadata ? (JSON.parse(view.private_metadata) as TrainingOrigin) : {};
    return o && typeof o === 'object' && (o.ch === undefined || typeof o.ch === 'string') ? o : {};
  } catch {
    return {};
  }
}

const topics = (ctx: RenderCtx) => TRAINING_TOPICS.map((t) => option(topicName(ctx, t), t));

/** Slack shows at most 75 characters of an option. */
const opt = (text: string, value: string) => option(text.length > 75 ? `${text.slice(0, 74)}…` : text, value);

export function trainingSessionModal(ctx: RenderCtx, recorder: Staff, from: TrainingOrigin): types.ModalView {
  const staff = recordableStaff(ctx.org, recorder);
  const places = [null, ...ctx.org.branches.keys()];
  const groups = places
    .map((b) => ({ label: branchName(ctx, b), options: staff.filter((s) => s.branchId === b).map((s) => opt(s.name, s.id)) }))
    .filter((g) => g.options.length);
  const blocks: Block[] = [
    section(tr(ctx, 'training.modal.intro')),
    selectInput('topic', tr(ctx, 'training.modal.topic'), topics(ctx)),
    {
      type: 'input',
      block_id: 'date',
      label: plain(tr(ctx, 'training.modal.date')),
      element: { type: 'datepicker', action_id: 'date', initial_date: localIsoDate(ctx.now) },
    },
    textInput('trainer', tr(ctx, 'training.modal.trainer'), { max: 100, placeholder: tr(ctx, 'training.modal.trainer_hint') }),
    {
      type: 'input',
      block_id: 'attendees',
      label: plain(tr(ctx, 'training.modal.attendees')),
      element: {
        type: 'multi_static_select',
        action_id: 'attendees',
        placeholder: plain(tr(ctx, 'training.modal.attendees_hint')),
        option_groups: groups.slice(0, 100).map((g) => ({ label: plain(g.label.slice(0, 75)), options: g.options.slice(0, 100) })),
      },
    },
    textInput('note', tr(ctx, 'training.modal.note'), { optional: true, multiline: true, max: 500 }),
  ];
  return modal(TRAINING_SESSION_VIEW, tr(ctx, 'training.modal.title'), tr(ctx, 'training.modal.submit'), tr(ctx, 'training.modal.cancel'), blocks, from);
}

export function trainingPlanModal(ctx: RenderCtx, planner: Staff, from: TrainingOrigin): types.ModalView {
  const year = currentYear(ctx.now);
  const blocks: Block[] = [
    section(tr(ctx, 'training.modal.intro')),
    selectInput('year', tr(ctx, 'training.modal.year'), [option(String(year), String(year)), option(String(year + 1), String(year + 1))], {
      initial: String(year + 1),
    }),
    selectInput(
      'month',
      tr(ctx, 'training.modal.month'),
      Array.from({ length: 12 }, (_, i) => option(tr(ctx, 'training.modal.month_option', { month: i + 1 }), String(i + 1))),
    ),
    selectInput('topic', tr(ctx, 'training.modal.topic'), topics(ctx)),
  ];
  // the centre plans for the company or any branch; a branch for itself
  if (planner.branchId === null)
    blocks.push(
      selectInput(
        'branch',
        tr(ctx, 'training.modal.branch'),
        [option(placeName(ctx, ''), 'company'), ...[...ctx.org.branches.keys()].map((b) => option(branchName(ctx, b), b))],
        { initial: 'company' },
      ),
    );
  return modal(TRAINING_PLAN_VIEW, tr(ctx, 'training.modal.plan_title'), tr(ctx, 'training.modal.submit'), tr(ctx, 'training.modal.cancel'), blocks, from);
}

/** The datepicker's day (or a typed one). */
export function dateValue(view: ViewLike): string {
  const e = view.state?.values?.date?.date;
  const v = e?.selected_date ?? e?.value;
  return typeof v === 'string' ? v : '';
}
