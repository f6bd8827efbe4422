/**
 * The dispatch card's buttons (R8a-g): accept, route, arrive, resolve (modal), transfer (modal),
 * show the phone, and the triage message's branch select. Each listener acks at once, then checks
 * who clicked (canAct), then asks the core for the step with the status the card showed, so a
 * stale card or a second click is refused by the core instead of being applied twice. The card
 * itself is refreshed by the outbox (deliverer.ts), never here.
 */
import type { App, types, webApi } from '@slack/bolt';
import type { Staff } from '../../../core/org/types.js';
import { canAct, type StaffAct } from '../../../core/staff/can-act.js';
import { revealPhone } from '../../../core/tickets/reveal-phone.js';
import { allowedActions, type Action, type Status } from '../../../core/tickets/status-machine.js';
import { transitionTicket } from '../../../core/tickets/transition-ticket.js';
import { actorOf, errorText, refusalText, renderCtx, staffFor, tell, ticketWithEvents, type SlackDeps } from '../kit.js';
import { readResolve, resolveModal, RESOLVE_VIEW } from '../modals/resolve-modal.js';
import { readTransfer, transferModal, TRANSFER_VIEW } from '../modals/transfer-modal.js';
import { origin } from '../modals/view-state.js';
import { esc, readValue, section, type CardValue } from '../render/blocks.js';
import { tr } from '../render/names.js';
import { triageMessage } from '../render/alerts.js';
import { ACTION, currentState, type CardTicket } from '../render/ticket-card.js';
import { viewOnce } from './dedupe.js';
import { whereClicked, type ActionArgs, type ViewArgs } from './types.js';

/** Who clicked, on which ticket, and whether they may: the common start of every card button. */
async function clickCheck(d: SlackDeps, a: ActionArgs, act: StaffAct): Promise<{ v: CardValue; t: CardTicket; staff: Staff } | null> {
  const ctx = renderCtx(d);
  const to = { user: a.body.user.id, channel: whereClicked(a.body).ch };
  const v = readValue(a.action.value ?? a.action.selected_option?.value);
  if (!v?.n) return null;
  const staff = staffFor(d, a.body.user.id);
  const t = await ticketWithEvents(d, v.n);
  if (!t) {
    await tell(a.client, d, to, tr(ctx, 'error.ticket_not_found'));
    return null;
  }
  const decision = canAct(d.core.org, staff, t, act);
  if (!decision.allowed) {
    await tell(a.client, d, to, refusalText(ctx, decision.reason));
    return null;
  }
  return { v, t, staff: staff! };
}

async function quickStep(d: SlackDeps, a: ActionArgs, action: Action, act: StaffAct = 'step'): Promise<void> {
  await a.ack();
  const ok = await clickCheck(d, a, act);
  if (!ok) return;
  const { v, staff } = ok;
  const where = whereClicked(a.body);
  try {
    await transitionTicket(d.core, {
      number: v.n,
      action,
      actor: actorOf(staff),
      expectedStatus: v.s as Status | undefined,
      ...(action === 'route' ? { unitId: v.u } : {}),
      ...(action === 'dispatch' ? { branchId: v.b } : {}),
    });
    d.kick?.();
  } catch (e) {
    await tell(a.client, d, { user: a.body.user.id, channel: where.ch }, await errorText(d, e, v.n));
    return;
  }
  if (action === 'dispatch' && where.ch && where.ts) {
    // the triage message shows where it went, so no one dispatches it again
    const t = await ticketWithEvents(d, v.n);
    if (t) {
      const m = triageMessage(renderCtx(d), t);
      // render/blocks.ts builds Block Kit as plain records; Slack's client wants its own block types
      await a.client.chat
        .update({ channel: where.ch, ts: where.ts, text: m.text, blocks: m.blocks as webApi.KnownBlock[] })
        .catch((e) => d.log.warn({ err: (e as Error).message }, 'triage message not updated'));
    }
  }
}

/** Opens a step's modal, unless the card is stale or the step is not possible now. */
async function openStepModal(
  d: SlackDeps,
  a: ActionArgs,
  action: Action,
  build: (t: CardTicket, from: { ch?: string; ts?: string }) => types.ModalView,
): Promise<void> {
  await a.ack();
  const ok = await clickCheck(d, a, 'step');
  if (!ok) return;
  const { v, t } = ok;
  const ctx = renderCtx(d);
  const where = whereClicked(a.body);
  if ((v.s && v.s !== t.status) || !allowedActions(t.status as Status).includes(action)) {
    await tell(
      a.client,
      d,
      { user: a.body.user.id, channel: where.ch },
      `${tr(ctx, v.s && v.s !== t.status ? 'error.stale' : 'error.not_now')}\n${currentState(ctx, t)}`,
    );
    return;
  }
  await a.client.views.open({ trigger_id: a.body.trigger_id!, view: build(t, where) });
}

export function registerTicketSteps(app: App, d: SlackDeps): void {
  const on = (id: string, fn: (a: ActionArgs) => Promise<void>) => app.action(id, (args) => fn(args as unknown as ActionArgs));
  on(ACTION.accept, (a) => quickStep(d, a, 'accept'));
  on(ACTION.arrive, (a) => quickStep(d, a, 'arrive', 'on_site'));
  on(ACTION.route, (a) => quickStep(d, a, 'route'));
  on(ACTION.dispatch, (a) => quickStep(d, a, 'dispatch', 'dispatch'));
  on(ACTION.resolve, (a) => openStepModal(d, a, 'resolve', (t, from) => resolveModal(renderCtx(d), t, from)));
  on(ACTION.transfer, (a) => openStepModal(d, a, 'transfer', (t, from) => transferModal(renderCtx(d), t, from)));

  on(ACTION.phone, async (a) => {
    await a.ack();
    const ok = await clickCheck(d, a, 'step');
    if (!ok) return;
    const to = { user: a.body.user.id, channel: whereClicked(a.body).ch };
    try {
      const c = await revealPhone(d.core, { number: ok.v.n, staffId: ok.staff.id });
      const said = tr(renderCtx(d), 'phone.reveal', { number: c.number, name: esc(c.contactName), phone: c.contactPhone ?? tr(renderCtx(d), 'card.unknown') });
      // as a block: the name is the resident's own words, and a message's bare text would link a URL in it
      await tell(a.client, d, to, said, [section(said)]);
    } catch (e) {
      await tell(a.client, d, to, await errorText(d, e, ok.v.n));
    }
  });

  const onView = (id: string, fn: (a: ViewArgs) => Promise<void>) => app.view(id, (args) => fn(args as unknown as ViewArgs));

  onView(RESOLVE_VIEW, async (a) => {
    const ctx = renderCtx(d);
    const from = origin(a.view);
    const t = from.n ? await ticketWithEvents(d, from.n) : null;
    const r = readResolve(ctx, a.view, t);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    await a.ack();
    await submitStep(d, a, from, 'resolve', { note: r.value.note, form: r.value.form });
  });

  onView(TRANSFER_VIEW, async (a) => {
    const ctx = renderCtx(d);
    const from = origin(a.view);
    const t = from.n ? await ticketWithEvents(d, from.n) : null;
    if (!t) return a.ack({ response_action: 'errors', errors: { reason: tr(ctx, 'error.ticket_not_found') } });
    const r = readTransfer(ctx, a.view, t);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    await a.ack();
    await submitStep(d, a, from, 'transfer', { note: r.value.note, branchId: r.value.branchId, unitId: r.value.unitId });
  });
}

/** After a step's modal was accepted: once per view, with the rights checked again and the status it was opened in. */
async function submitStep(
  d: SlackDeps,
  a: ViewArgs,
  from: ReturnType<typeof origin>,
  action: Action,
  input: { note: string; form?: Parameters<typeof transitionTicket>[1]['form']; branchId?: string; unitId?: string },
): Promise<void> {
  const to = { user: a.body.user.id, channel: from.ch };
  if (!from.n) return;
  // the receipt after the step: the ticket store's step takes no receipt, and a refused second
  // step (the status moved on) is the version check's answer anyway
  await viewOnce(d, a.view.id, async () => {
    const staff = staffFor(d, a.body.user.id);
    const t = await ticketWithEvents(d, from.n!);
    if (!t) {
      await tell(a.client, d, to, tr(renderCtx(d), 'error.ticket_not_found'));
      return;
    }
    const decision = canAct(d.core.org, staff, t, 'step');
    if (!decision.allowed) {
      await tell(a.client, d, to, refusalText(renderCtx(d), decision.reason));
      return;
    }
    try {
      await transitionTicket(d.core, { number: from.n!, action, actor: actorOf(staff!), expectedStatus: from.s as Status | undefined, ...input });
      d.kick?.();
    } catch (e) {
      await tell(a.client, d, to, await errorText(d, e, from.n));
    }
  });
}
