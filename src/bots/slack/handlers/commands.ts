/**
 * Slash commands: /ticket <number> shows a ticket, /intake records a phone, letter, visit or
 * branch-direct complaint (R1, R1.2, R3), /kpi answers
 * with the KPIs when that module is plugged in. Answers are ephemeral: only the asker sees them.
 */
import type { App } from '@slack/bolt';
import { isAppError } from '../../../core/errors.js';
import { createTicket } from '../../../core/tickets/create-ticket.js';
import { actorOf, errorText, renderCtx, staffFor, tell, ticketWithEvents, type SlackDeps } from '../kit.js';
import { INTAKE_VIEW, intakeModal, readIntake, scopeOf } from '../modals/intake-modal.js';
import { createKeywordClassifier } from '../../../core/classify-fallback/keyword-classifier.js';
import { origin } from '../modals/view-state.js';
import type { Block } from '../render/blocks.js';
import { branchName, tr } from '../render/names.js';
import { ticketCard } from '../render/ticket-card.js';
import { viewOnce } from './dedupe.js';
import { KPI_CLOSE, kpiCloseReply } from './kpi-close.js';
import type { CommandArgs, ViewArgs } from './types.js';

/** The keyword rules, for a Slack app built without the service's classifier. */
const keywordScope = createKeywordClassifier();

export function registerCommands(app: App, d: SlackDeps): void {
  const on = (name: string, fn: (a: CommandArgs) => Promise<void>) =>
    app.command(name, async (args) => {
      const a = args as unknown as CommandArgs;
      await a.ack();
      const to = { user: a.command.user_id, channel: a.command.channel_id, respond: a.respond };
      if (!staffFor(d, a.command.user_id)) return tell(a.client, d, to, tr(renderCtx(d), 'refuse.not_staff'));
      try {
        await fn(a);
      } catch (e) {
        await tell(a.client, d, to, await errorText(d, e));
      }
    });

  on('/ticket', async (a) => {
    const ctx = renderCtx(d);
    const to = { user: a.command.user_id, respond: a.respond };
    const number = a.command.text.trim().toUpperCase();
    if (!number) return tell(a.client, d, to, tr(ctx, 'command.ticket_usage'));
    const t = await ticketWithEvents(d, number);
    if (!t) return tell(a.client, d, to, tr(ctx, 'command.ticket_unknown', { number }));
    const card = ticketCard(ctx, t, { actions: false, historyLines: 40 });
    await tell(a.client, d, to, card.text, card.blocks);
  });

  on('/kpi', async (a) => {
    const ctx = renderCtx(d);
    const to = { user: a.command.user_id, respond: a.respond };
    // /kpi close YYYY-MM freezes a month that has ended (leaders and administrators)
    if (KPI_CLOSE.test(a.command.text.trim())) return tell(a.client, d, to, await kpiCloseReply(d, staffFor(d, a.command.user_id)!, a.command.text.trim()));
    if (!d.kpiBlocks) return tell(a.client, d, to, tr(ctx, 'command.kpi_unavailable'));
    const blocks = await d.kpiBlocks({ text: a.command.text.trim(), staff: staffFor(d, a.command.user_id)! });
    await tell(a.client, d, to, tr(ctx, 'command.kpi_title'), blocks as Block[]);
  });

  on('/intake', async (a) => {
    const staff = staffFor(d, a.command.user_id)!;
    await a.client.views.open({ trigger_id: a.command.trigger_id, view: intakeModal(renderCtx(d), staff, { ch: a.command.channel_id }) });
  });

  app.view(INTAKE_VIEW, async (args) => {
    const a = args as unknown as ViewArgs;
    const ctx = renderCtx(d);
    const r = readIntake(ctx, a.view);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    if (r.value.customerAccount && !(await d.core.stores.customers.byAccount(r.value.customerAccount))) {
      return a.ack({ response_action: 'errors', errors: { account: tr(ctx, 'intake.error_account_unknown') } });
    }
    await a.ack();
    const from = origin(a.view);
    const to = { user: a.body.user.id, channel: from.ch };
    await viewOnce(d, a.view.id, async (receipt) => {
      const staff = staffFor(d, a.body.user.id);
      if (!staff) return tell(a.client, d, to, tr(ctx, 'refuse.not_staff'));
      try {
        // the view's receipt commits with the ticket: a submission filed is never filed twice, one cut short files again
        // R27: the scope chosen, or read from the description (a burst main phoned in is primary)
        const scope = scopeOf(r.value, d.classifier ?? keywordScope);
        const t = await createTicket(d.core, {
          ...r.value,
          scope: scope.scope,
          // R1: whoever took the call, letter or visit is the first responder
          firstResponder: actorOf(staff),
          // R1.2: a complaint made directly to a branch stays with that branch
          branchId: r.value.source === 'branch_direct' && staff.branchId ? staff.branchId : undefined,
          onceKeys: receipt.keys,
        });
        receipt.markStored(receipt.keys);
        d.kick?.();
        const where = t.branchId
          ? tr(ctx, 'intake.done_dispatched', { branch: branchName(ctx, t.branchId) })
          : tr(ctx, t.kind === 'suggestion' ? 'suggestions.intake_queue' : 'intake.done_triage');
        const scopeLine = tr(ctx, scope.guessed ? 'suggestions.scope.guessed' : 'suggestions.scope.chosen', {
          scope: tr(ctx, `suggestions.scope.${scope.scope}`),
        });
        await tell(a.client, d, to, `${tr(ctx, 'intake.done', { number: t.number, where })}\n${scopeLine}`);
      } catch (e) {
        if (isAppError(e, 'already_filed')) return receipt.markStored(receipt.keys);
        await tell(a.client, d, to, await errorText(d, e));
      }
    });
  });
}
