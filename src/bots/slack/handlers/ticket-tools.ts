/**
 * The card's staff tools (the More… menu): link to an incident, mark as a duplicate, cancel. Each opens a
 * modal asking the reason; who may is can-act.ts's 'step' (a branch's staff for their branch,
 * the centre everywhere), checked when the menu is used and again when the modal is submitted.
 * A submission is tried before Slack is answered, so that the core's refusals (the original not
 * found, itself, a chain, another branch's ticket, duplicates waiting) come back onto the field
 * they are about and the modal stays open; nothing is stored then. The card is refreshed by the
 * outbox, never here.
 */
import type { App, types } from '@slack/bolt';
import { isAppError, type AppError } from '../../../core/errors.js';
import { linkTicket } from '../../../core/incidents/link-ticket.js';
import { LIST_MAX, listIncidents } from '../../../core/incidents/list-incidents.js';
import { canAct } from '../../../core/staff/can-act.js';
import { allowedActions, type Action, type Status } from '../../../core/tickets/status-machine.js';
import { transitionTicket } from '../../../core/tickets/transition-ticket.js';
import { actorOf, errorText, refusalText, renderCtx, staffFor, tell, ticketWithEvents, type SlackDeps } from '../kit.js';
import {
  CANCEL_VIEW,
  cancelModal,
  DUPLICATE_VIEW,
  duplicateModal,
  incidentsFor,
  LINK_VIEW,
  linkModal,
  readCancel,
  readDuplicate,
  readLink,
} from '../modals/ticket-tools-modal.js';
import { origin, type ModalOrigin } from '../modals/view-state.js';
import { readValue, type CardValue } from '../render/blocks.js';
import { communityName, tr, type RenderCtx } from '../render/names.js';
import { ACTION, currentState, type CardTicket } from '../render/ticket-card.js';
import { whereClicked, type ActionArgs, type ViewArgs } from './types.js';

type Tool = typeof ACTION.linkIncident | typeof ACTION.duplicate | typeof ACTION.cancel;
const TOOLS: readonly string[] = [ACTION.linkIncident, ACTION.duplicate, ACTION.cancel];
const STEP_OF: Partial<Record<Tool, Action>> = { [ACTION.duplicate]: 'mark_duplicate', [ACTION.cancel]: 'cancel' };

export function registerTicketTools(app: App, d: SlackDeps): void {
  const open = async (a: ActionArgs, v: CardValue | undefined, tool: string) => {
    await a.ack();
    if (!v?.n || !TOOLS.includes(tool)) return;
    const ctx = renderCtx(d);
    const where = whereClicked(a.body);
    const to = { user: a.body.user.id, channel: where.ch };
    const staff = staffFor(d, a.body.user.id);
    const t = await ticketWithEvents(d, v.n);
    if (!t) return tell(a.client, d, to, tr(ctx, 'error.ticket_not_found'));
    const step = STEP_OF[tool as Tool];
    // cancel and duplicate take a ticket out of the figures: the centre or the branch's coordinators
    const decision = canAct(d.core.org, staff, t, step ? 'amend' : 'step');
    if (!decision.allowed) return tell(a.client, d, to, refusalText(ctx, decision.reason));
    const stale = v.s !== undefined && v.s !== t.status;
    if (stale || (step && !allowedActions(t.status as Status).includes(step))) {
      return tell(a.client, d, to, `${tr(ctx, stale ? 'error.stale' : 'error.not_now')}\n${currentState(ctx, t)}`);
    }
    let view: types.ModalView;
    if (tool === ACTION.linkIncident) {
      if (t.incidentId !== null) return tell(a.client, d, to, tr(ctx, 'tools.link.already', { number: t.number }));
      // the open incidents are few (one per failed station or main): the list's largest page holds them all
      const { incidents } = await listIncidents(d.core, { status: 'open', take: LIST_MAX });
      const choices = incidentsFor(t, incidents);
      if (!choices.length) {
        return tell(a.client, d, to, tr(ctx, 'tools.link.none', { number: t.number, community: communityName(ctx, t.communityId) || tr(ctx, 'card.unknown') }));
      }
      view = linkModal(ctx, t, choices, where);
    } else if (tool === ACTION.duplicate) view = duplicateModal(ctx, t, where);
    else view = cancelModal(ctx, t, where);
    await a.client.views.open({ trigger_id: a.body.trigger_id!, view });
  };
  const on = (id: string, fn: (a: ActionArgs) => Promise<void>) => app.action(id, (args) => fn(args as unknown as ActionArgs));
  // the menu: the option's value names the tool; a button with a tool's own id works the same
  on(ACTION.tools, async (a) => {
    const v = readValue(a.action.selected_option?.value);
    await open(a, v, v?.a ?? '');
  });
  for (const tool of TOOLS) on(tool, (a) => open(a, readValue(a.action.value), tool));

  const onView = (id: string, fn: (a: ViewArgs) => Promise<void>) => app.view(id, (args) => fn(args as unknown as ViewArgs));

  onView(DUPLICATE_VIEW, async (a) => {
    const ctx = renderCtx(d);
    const r = readDuplicate(ctx, a.view);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    await submit(d, a, 'original', (from, actor) =>
      transitionTicket(d.core, {
        number: from.n!,
        action: 'mark_duplicate',
        actor,
        duplicateOf: r.value.original,
        note: r.value.reason,
        expectedStatus: from.s as Status | undefined,
      }).then(() => tr(ctx, 'tools.dup.done', { number: from.n, original: r.value.original })),
    );
  });

  onView(CANCEL_VIEW, async (a) => {
    const ctx = renderCtx(d);
    const r = readCancel(ctx, a.view);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    await submit(d, a, 'kind', (from, actor) =>
      transitionTicket(d.core, { number: from.n!, action: 'cancel', actor, note: r.value.note, expectedStatus: from.s as Status | undefined }).then(() =>
        tr(ctx, 'tools.cancel_modal.done', { number: from.n }),
      ),
    );
  });

  onView(LINK_VIEW, async (a) => {
    const ctx = renderCtx(d);
    const r = readLink(ctx, a.view);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    await submit(d, a, 'incident', async (from, actor, t) => {
      const { incident } = await linkTicket(d.core, { ticketId: t.id, incidentId: r.value.incidentId, actor, reason: r.value.reason });
      return tr(ctx, 'tools.link.done', { number: from.n, incident: incident.number });
    });
  });
}

/** A refusal of the core as an error on the modal's field, or null when it is not about a field. */
export function toolFieldError(ctx: RenderCtx, e: AppError, mainField: string): Record<string, string> | null {
  const original = String(e.context.number ?? e.context.original ?? '');
  switch (e.code) {
    case 'ticket_not_found':
      return e.context.field === 'duplicateOf' ? { original: tr(ctx, 'tools.dup.error_not_found', { original }) } : null;
    case 'duplicate_of_self':
      return { original: tr(ctx, 'tools.dup.error_self') };
    case 'duplicate_chain':
      return { original: tr(ctx, 'tools.dup.error_chain', { original }) };
    case 'duplicate_of_withdrawn':
      return { original: tr(ctx, 'tools.dup.error_withdrawn', { original }) };
    case 'duplicate_of_linked':
      return { original: tr(ctx, 'tools.dup.error_linked', { original }) };
    case 'duplicate_other_branch':
      return { original: tr(ctx, 'tools.dup.error_other_branch', { original }) };
    case 'has_duplicates':
      return { [mainField]: tr(ctx, 'tools.cancel_modal.error_has_duplicates', { count: Number(e.context.count ?? 0) }) };
    case 'validation_failed':
      return e.context.field === 'note' ? { reason: tr(ctx, 'tools.link.error_reason') } : null;
    default:
      return null;
  }
}

/**
 * Runs the tool's step before answering Slack: a refusal about a field goes back into the modal
 * (nothing stored); anything else closes the modal and is told to the person with the ticket's
 * state, as the card's buttons do. Rights are checked again: the modal may have sat open a while.
 */
async function submit(d: SlackDeps, a: ViewArgs, mainField: string, step: (from: ModalOrigin, actor: string, t: CardTicket) => Promise<string>): Promise<void> {
  const ctx = renderCtx(d);
  const from = origin(a.view);
  const to = { user: a.body.user.id, channel: from.ch };
  if (!from.n) return a.ack();
  const staff = staffFor(d, a.body.user.id);
  const t = await ticketWithEvents(d, from.n);
  if (!t) return a.ack({ response_action: 'errors', errors: { [mainField]: tr(ctx, 'error.ticket_not_found') } });
  const decision = canAct(d.core.org, staff, t, 'step');
  if (!decision.allowed) return a.ack({ response_action: 'errors', errors: { [mainField]: refusalText(ctx, decision.reason) } });
  let said: string;
  try {
    said = await step(from, actorOf(staff!), t);
  } catch (e) {
    const onField = isAppError(e) ? toolFieldError(ctx, e, mainField) : null;
    if (onField) return a.ack({ response_action: 'errors', errors: onField });
    await a.ack();
    await tell(a.client, d, to, await errorText(d, e, from.n));
    return;
  }
  await a.ack();
  d.kick?.();
  await tell(a.client, d, to, said);
}
