/**
 * /training (R23/R24): with no words, the year so far for the asker's place (their branch, or the
 * whole company for the centre and the company's leaders), who has had no session, and buttons to
 * record a session or plan a topic for those who may; `/training plan` the year's plan (and next
 * year's); `/training 2025` another year. Answers are ephemeral; a modal's problems show on its fields.
 */
import type { App } from '@slack/bolt';
import { AppError } from '../../../core/errors.js';
import type { Staff } from '../../../core/org/types.js';
import { canRecordTraining } from '../../../core/training/can-record-training.js';
import { planTopic } from '../../../core/training/plan-topic.js';
import { recordSession } from '../../../core/training/record-session.js';
import { currentYear } from '../../../core/training/training-dates.js';
import { readYear, trainingYear } from '../../../core/training/training-year.js';
import { has } from '../../../i18n/index.js';
import { fieldValue, fieldValues } from '../modals/view-state.js';
import { actorOf, errorText, renderCtx, staffFor, tell, type SlackDeps } from '../kit.js';
import { TRAINING_PLAN_VIEW, TRAINING_SESSION_VIEW, dateValue, trainingOrigin, trainingPlanModal, trainingSessionModal } from '../modals/training-modal.js';
import { branchName, tr } from '../render/names.js';
import { placeName, topicName, TRAINING_ACTION, trainingPlan, trainingSummary } from '../render/training.js';
import { whereClicked, type ActionArgs, type CommandArgs, type ViewArgs } from './types.js';

/** The modal field a core refusal belongs on. */
function fieldOf(e: AppError): string {
  const f = String(e.context.field ?? '');
  if (['topic', 'date', 'trainer', 'note', 'attendees', 'year', 'month', 'branch'].includes(f)) return f;
  return e.code === 'forbidden' || e.code === 'unknown_staff' ? 'attendees' : 'topic';
}

/** A core refusal in the person's words. */
async function trainingErrorText(d: SlackDeps, e: unknown): Promise<string> {
  const ctx = renderCtx(d);
  if (!(e instanceof AppError)) return errorText(d, e);
  if (e.code === 'forbidden' && has(ctx.locale, `slack.training.refuse.${String(e.context.reason)}`))
    return tr(ctx, `training.refuse.${String(e.context.reason)}`);
  if (e.code === 'invalid_date') return tr(ctx, e.context.reason === 'future' ? 'training.error.date_future' : 'training.error.date');
  if (e.code === 'unknown_staff' || e.code === 'unknown_branch') return tr(ctx, `training.error.${e.code}`);
  const f = String(e.context.field ?? '');
  if (e.code === 'validation_failed' && has(ctx.locale, `slack.training.error.${f}`)) return tr(ctx, `training.error.${f}`);
  return errorText(d, e);
}

export function registerTraining(app: App, d: SlackDeps): void {
  /** The place the asker sees: their branch, or (null) the whole company. */
  const placeOf = (staff: Staff) => staff.branchId ?? undefined;

  app.command('/training', async (args) => {
    const a = args as unknown as CommandArgs;
    await a.ack();
    const ctx = renderCtx(d);
    const to = { user: a.command.user_id, channel: a.command.channel_id, respond: a.respond };
    const staff = staffFor(d, a.command.user_id);
    if (!staff) return tell(a.client, d, to, tr(ctx, 'training.refuse.not_staff'));
    const words = a.command.text.trim().toLowerCase();
    try {
      const branchId = placeOf(staff);
      const place = branchId ? branchName(ctx, branchId) : tr(ctx, 'training.company');
      if (words === 'plan' || words === tr(ctx, 'training.plan_word')) {
        const year = currentYear(ctx.now);
        const parts = [];
        for (const y of [year, year + 1]) {
          const plan = (await d.core.stores.training.plan(y)).filter((p) => !branchId || p.branchId === '' || p.branchId === branchId);
          if (y > year && !plan.length) continue;
          parts.push(trainingPlan(ctx, y, plan, await trainingYear(d.core, { year: y, branchId })));
        }
        return tell(
          a.client,
          d,
          to,
          parts.map((p) => p.text).join(' · '),
          parts.flatMap((p) => p.blocks),
        );
      }
      let year: number;
      try {
        year = readYear(words || undefined, ctx.now);
      } catch {
        return tell(a.client, d, to, tr(ctx, 'training.error.usage'));
      }
      const y = await trainingYear(d.core, { year, branchId });
      const m = trainingSummary(ctx, y, { place, mayRecord: canRecordTraining(d.core.org, staff).allowed });
      return tell(a.client, d, to, m.text, m.blocks);
    } catch (e) {
      await tell(a.client, d, to, await trainingErrorText(d, e));
    }
  });

  /** A button of the summary: opens its modal for someone who may record, else says why not. */
  const opener = (which: 'session' | 'plan') => async (args: unknown) => {
    const a = args as ActionArgs;
    await a.ack();
    const ctx = renderCtx(d);
    const where = whereClicked(a.body);
    const to = { user: a.body.user.id, channel: where.ch };
    const staff = staffFor(d, a.body.user.id);
    const may = canRecordTraining(d.core.org, staff);
    if (!may.allowed) return tell(a.client, d, to, tr(ctx, `training.refuse.${may.reason}`));
    try {
      const view = which === 'session' ? trainingSessionModal(ctx, staff!, { ch: where.ch }) : trainingPlanModal(ctx, staff!, { ch: where.ch });
      await a.client.views.open({ trigger_id: a.body.trigger_id!, view });
    } catch (e) {
      await tell(a.client, d, to, await trainingErrorText(d, e));
    }
  };
  app.action(TRAINING_ACTION.addSession, opener('session'));
  app.action(TRAINING_ACTION.addPlan, opener('plan'));

  app.view(TRAINING_SESSION_VIEW, async (args) => {
    const a = args as unknown as ViewArgs;
    const ctx = renderCtx(d);
    const staff = staffFor(d, a.body.user.id);
    const from = trainingOrigin(a.view);
    if (!staff) return a.ack({ response_action: 'errors', errors: { attendees: tr(ctx, 'training.refuse.not_staff') } });
    let done: string;
    try {
      // before answering Slack: what the core refuses is shown on the modal's fields
      const r = await recordSession(d.core, {
        topic: fieldValue(a.view, 'topic') ?? '',
        date: dateValue(a.view),
        trainer: fieldValue(a.view, 'trainer') ?? '',
        attendees: fieldValues(a.view, 'attendees'),
        note: fieldValue(a.view, 'note') ?? null,
        actor: actorOf(staff),
      });
      const vars = { date: r.session.date, topic: topicName(ctx, r.session.topic), trainer: r.session.trainer };
      done = r.created
        ? tr(ctx, 'training.done.recorded', { ...vars, n: r.added.length })
        : tr(ctx, 'training.done.joined', { ...vars, n: r.added.length, already: r.already.length });
    } catch (e) {
      if (e instanceof AppError) return a.ack({ response_action: 'errors', errors: { [fieldOf(e)]: await trainingErrorText(d, e) } });
      await a.ack();
      return tell(a.client, d, { user: a.body.user.id, channel: from.ch }, await trainingErrorText(d, e));
    }
    await a.ack();
    await tell(a.client, d, { user: a.body.user.id, channel: from.ch }, done);
  });

  app.view(TRAINING_PLAN_VIEW, async (args) => {
    const a = args as unknown as ViewArgs;
    const ctx = renderCtx(d);
    const staff = staffFor(d, a.body.user.id);
    const from = trainingOrigin(a.view);
    if (!staff) return a.ack({ response_action: 'errors', errors: { topic: tr(ctx, 'training.refuse.not_staff') } });
    const branch = fieldValue(a.view, 'branch');
    let done: string;
    try {
      const r = await planTopic(d.core, {
        year: Number(fieldValue(a.view, 'year') ?? Number.NaN),
        month: Number(fieldValue(a.view, 'month') ?? Number.NaN),
        topic: fieldValue(a.view, 'topic') ?? '',
        branchId: branch === undefined ? undefined : branch === 'company' ? '' : branch,
        actor: actorOf(staff),
      });
      const vars = { year: r.item.year, month: r.item.month, topic: topicName(ctx, r.item.topic), place: placeName(ctx, r.item.branchId) };
      done = tr(ctx, r.created ? 'training.done.planned' : 'training.done.replanned', vars);
    } catch (e) {
      if (e instanceof AppError) {
        const field = fieldOf(e) === 'attendees' ? 'topic' : fieldOf(e);
        return a.ack({ response_action: 'errors', errors: { [field]: await trainingErrorText(d, e) } });
      }
      await a.ack();
      return tell(a.client, d, { user: a.body.user.id, channel: from.ch }, await trainingErrorText(d, e));
    }
    await a.ack();
    await tell(a.client, d, { user: a.body.user.id, channel: from.ch }, done);
  });
}
