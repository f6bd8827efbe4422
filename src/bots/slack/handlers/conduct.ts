/**
 * Conduct complaints in the centre's supervision channel (R31-R33): the card's "name the staff
 * member" and "record the finding" buttons open their modals; who may is can-act.ts's
 * conduct_finding (the centre's agents and admins, the company's leaders), checked when the
 * button is clicked and again when the modal is submitted. A submission is tried before Slack is
 * answered, so that the core's refusals (someone not in the organisation file any more, a
 * finding already recorded) come back onto their field and nothing is stored. The card is
 * refreshed by the outbox, never here.
 */
import type { App } from '@slack/bolt';
import { nameConductStaff } from '../../../core/conduct/name-conduct-staff.js';
import { recordConductFinding } from '../../../core/conduct/record-conduct-finding.js';
import { isAppError, type AppError } from '../../../core/errors.js';
import { canAct } from '../../../core/staff/can-act.js';
import { has } from '../../../i18n/index.js';
import { actorOf, errorText, renderCtx, staffFor, tell, ticketWithEvents, type SlackDeps } from '../kit.js';
import { CONDUCT_FINDING_VIEW, CONDUCT_NAME_VIEW, findingModal, nameModal, readFinding, readName } from '../modals/conduct-modal.js';
import { origin, type ModalOrigin } from '../modals/view-state.js';
import { CONDUCT_ACTION, staffWithBranch } from '../render/conduct.js';
import { tr, type RenderCtx } from '../render/names.js';
import type { CardTicket } from '../render/ticket-card.js';
import type { ActionArgs, ViewArgs } from './types.js';
import { allowedClick } from './card-click.js';

/** Why someone may not act on a conduct complaint, in their words. */
function refusal(ctx: RenderCtx, reason: string): string {
  return has(ctx.locale, `slack.conduct.refuse.${reason}`) ? tr(ctx, `conduct.refuse.${reason}`) : tr(ctx, 'conduct.refuse.supervision_only');
}

/** A core refusal on the modal's field, or null when it is not about a field. */
function fieldError(ctx: RenderCtx, e: AppError): Record<string, string> | null {
  switch (e.code) {
    case 'unknown_staff':
      return { staff: tr(ctx, 'conduct.error.unknown_staff', { id: String(e.context.staff ?? '') }) };
    case 'conduct_staff_required':
      return { staff: tr(ctx, 'conduct.error.staff_required') };
    case 'finding_exists':
      return { finding: tr(ctx, 'conduct.error.finding_exists') };
    case 'forbidden':
      return { staff: refusal(ctx, String(e.context.reason ?? '')) };
    case 'validation_failed':
      if (e.context.field === 'evidence') return { evidence: tr(ctx, 'conduct.error.evidence_required') };
      if (e.context.field === 'finding') return { finding: tr(ctx, 'conduct.error.finding_required') };
      return null;
    default:
      return null;
  }
}

export function registerConduct(app: App, d: SlackDeps): void {
  const open = async (a: ActionArgs, which: 'name' | 'finding') => {
    const click = await allowedClick(a, d, { may: (staff, t) => canAct(d.core.org, staff, t, 'conduct_finding'), refusal });
    if (!click) return;
    const { ctx, ticket: t, where } = click;
    const view = which === 'name' ? nameModal(ctx, t, where) : findingModal(ctx, t, where);
    await a.client.views.open({ trigger_id: a.body.trigger_id!, view });
  };
  app.action(CONDUCT_ACTION.name, (args) => open(args as unknown as ActionArgs, 'name'));
  app.action(CONDUCT_ACTION.finding, (args) => open(args as unknown as ActionArgs, 'finding'));

  app.view(CONDUCT_NAME_VIEW, async (args) => {
    const a = args as unknown as ViewArgs;
    const ctx = renderCtx(d);
    const r = readName(ctx, a.view);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    await submit(d, a, (from, actor) =>
      nameConductStaff(d.core, { number: from.n!, actor, staffId: r.value.staffId }).then(() =>
        tr(ctx, 'conduct.named', { number: from.n, staff: staffWithBranch(ctx, r.value.staffId) }),
      ),
    );
  });

  app.view(CONDUCT_FINDING_VIEW, async (args) => {
    const a = args as unknown as ViewArgs;
    const ctx = renderCtx(d);
    const r = readFinding(ctx, a.view);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    await submit(d, a, (from, actor) =>
      recordConductFinding(d.core, { number: from.n!, actor, ...r.value }).then(({ finding }) =>
        tr(ctx, 'conduct.recorded', {
          number: from.n,
          finding: tr(ctx, `conduct.finding.${finding.finding}`),
          consequence: tr(ctx, `conduct.consequence.${finding.consequence}`),
        }),
      ),
    );
  });
}

/** Runs the step before answering Slack: a refusal about a field stays in the modal; anything else closes it and is told. */
async function submit(d: SlackDeps, a: ViewArgs, step: (from: ModalOrigin, actor: string, t: CardTicket) => Promise<string>): Promise<void> {
  const ctx = renderCtx(d);
  const from = origin(a.view);
  const to = { user: a.body.user.id, channel: from.ch };
  if (!from.n) return a.ack();
  const staff = staffFor(d, a.body.user.id);
  const t = await ticketWithEvents(d, from.n);
  if (!t) return a.ack({ response_action: 'errors', errors: { staff: tr(ctx, 'error.ticket_not_found') } });
  const may = canAct(d.core.org, staff, t, 'conduct_finding');
  if (!may.allowed) return a.ack({ response_action: 'errors', errors: { staff: refusal(ctx, may.reason) } });
  let said: string;
  try {
    said = await step(from, actorOf(staff!), t);
  } catch (e) {
    const onField = isAppError(e) ? fieldError(ctx, e) : null;
    if (onField) return a.ack({ response_action: 'errors', errors: onField });
    await a.ack();
    await tell(a.client, d, to, await errorText(d, e, from.n));
    return;
  }
  await a.ack();
  d.kick?.();
  await tell(a.client, d, to, said);
}
