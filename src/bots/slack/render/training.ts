/**
 * Training in Slack (R23/R24): the answer to /training (the year so far, who has had no session,
 * the latest sessions, buttons to record a session or plan a topic), /training plan, and the
 * reminder the branch heads get on the 1st.
 */
import type { TrainingPlanItem } from '../../../core/model.js';
import type { TrainingReminderPayload } from '../../../core/reports/training-report.js';
import type { TrainingYear } from '../../../core/training/training-year.js';
import { actions, button, context, esc, header, section, type Block } from './blocks.js';
import { branchName, staffName, tr, type RenderCtx } from './names.js';

export const TRAINING_ACTION = { addSession: 'training.add_session', addPlan: 'training.add_plan' } as const;

/** How many sessions the answer lists (the dashboard has them all). */
const RECENT = 10;

export const topicName = (ctx: RenderCtx, topic: string) => tr(ctx, `training.topic.${topic}`);

/** A session's or plan item's place: "" is the whole company. */
export const placeName = (ctx: RenderCtx, branchId: string) => (branchId ? branchName(ctx, branchId) : tr(ctx, 'training.company'));

const names = (ctx: RenderCtx, ids: readonly string[]) => ids.map((id) => esc(staffName(ctx, id))).join(tr(ctx, 'training.separator'));

export function trainingSummary(ctx: RenderCtx, y: TrainingYear, o: { place: string; mayRecord: boolean }): { text: string; blocks: Block[] } {
  const title = tr(ctx, 'training.summary.title', { year: y.year, place: o.place });
  const people = y.sessions.reduce((n, s) => n + s.staffIds.length, 0);
  const blocks: Block[] = [header(title)];
  blocks.push(section(y.sessions.length ? tr(ctx, 'training.summary.held', { n: y.sessions.length, people }) : tr(ctx, 'training.summary.none')));
  const of = y.staff.filter((s) => s.service).length;
  blocks.push(
    section(
      y.untrained.length
        ? tr(ctx, 'training.summary.untrained', { n: y.untrained.length, of, names: names(ctx, y.untrained) })
        : tr(ctx, 'training.summary.all_trained'),
    ),
  );
  if (y.sessions.length) {
    const recent = y.sessions.slice(-RECENT).reverse();
    const lines = recent.map((s) =>
      tr(ctx, 'training.summary.session_line', {
        date: s.date,
        topic: topicName(ctx, s.topic),
        trainer: esc(s.trainer),
        place: placeName(ctx, s.branchId),
        n: s.staffIds.length,
      }),
    );
    blocks.push(section(`${tr(ctx, 'training.summary.recent')}\n${lines.join('\n')}`));
    if (y.sessions.length > RECENT) blocks.push(context([tr(ctx, 'training.summary.more', { n: y.sessions.length - RECENT })]));
  }
  blocks.push(context([tr(ctx, 'training.summary.plan_hint')]));
  if (o.mayRecord)
    blocks.push(
      actions('training', [
        button(tr(ctx, 'training.summary.add_session'), TRAINING_ACTION.addSession, {}, 'primary'),
        button(tr(ctx, 'training.summary.add_plan'), TRAINING_ACTION.addPlan, {}),
      ]),
    );
  return { text: title, blocks };
}

/** The plan of a year, month by month, each topic marked held when a session of it took place that year for its place. */
export function trainingPlan(ctx: RenderCtx, year: number, plan: readonly TrainingPlanItem[], y: TrainingYear): { text: string; blocks: Block[] } {
  const title = tr(ctx, 'training.plan.title', { year });
  if (!plan.length) return { text: title, blocks: [header(title), section(tr(ctx, 'training.plan.empty', { year }))] };
  const held = (p: TrainingPlanItem) => y.sessions.some((s) => s.topic === p.topic && (p.branchId === '' || s.branchId === p.branchId || s.branchId === ''));
  const lines = plan.map((p) =>
    tr(ctx, 'training.plan.line', {
      month: p.month,
      topic: topicName(ctx, p.topic),
      place: placeName(ctx, p.branchId),
      state: tr(ctx, held(p) ? 'training.plan.held' : 'training.plan.not_held'),
    }),
  );
  return { text: title, blocks: [header(title), section(lines.join('\n'))] };
}

/** The reminder of the 1st: the place's service staff with no session this year. */
export function trainingReminder(ctx: RenderCtx, p: TrainingReminderPayload): { text: string; blocks: Block[] } {
  const title = tr(ctx, 'training.report.title', { place: branchName(ctx, p.branchId), year: p.year });
  const lines = p.staffIds.map((id) => tr(ctx, 'training.report.line', { name: esc(staffName(ctx, id)) }));
  return {
    text: `${title}: ${p.staffIds.map((id) => staffName(ctx, id)).join(tr(ctx, 'training.separator'))}`,
    blocks: [header(title), section(`${tr(ctx, 'training.report.intro', { n: p.staffIds.length, of: p.of })}\n${lines.join('\n')}`)],
  };
}
