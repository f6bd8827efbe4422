/**
 * Shift handover (R4): /handover shows the outgoing person what is open and what was logged,
 * they write and sign; the message posted carries handover.accept for the incoming person, whose
 * signature (who, when) completes it and moves the duty to them. Instead of signing, the incoming
 * person may object (handover.object, a modal for what): the objection is stored, the message
 * shows it, and the outgoing person and the place's coordinators and leaders are told by name in
 * the channel; the duty stays with the outgoing person until someone signs.
 */
import type { App } from '@slack/bolt';
import { acceptHandover } from '../../../core/duty/accept-handover.js';
import { objectToHandover } from '../../../core/duty/object-to-handover.js';
import { getHandover } from '../../../core/duty/get-handover.js';
import { handoverSummary } from '../../../core/duty/handover-summary.js';
import { startHandover } from '../../../core/duty/start-handover.js';
import { errorText, renderCtx, staffFor, tell, type SlackDeps } from '../kit.js';
import { HANDOVER_VIEW, handoverModal, OBJECTION_VIEW, objectionModal, readHandover, readObjection } from '../modals/handover-modal.js';
import { origin } from '../modals/view-state.js';
import { readValue } from '../render/blocks.js';
import { HANDOVER_OBJECT, handoverMessage, objectionNotice } from '../render/handover.js';
import { tr } from '../render/names.js';
import { ACTION } from '../render/ticket-card.js';
import { viewOnce } from './dedupe.js';
import { whereClicked, type ActionArgs, type CommandArgs, type ViewArgs, type WebClient } from './types.js';

export function registerHandover(app: App, d: SlackDeps): void {
  app.command('/handover', async (args) => {
    const a = args as unknown as CommandArgs;
    await a.ack();
    const to = { user: a.command.user_id, respond: a.respond };
    const staff = staffFor(d, a.command.user_id);
    if (!staff) return tell(a.client, d, to, tr(renderCtx(d), 'refuse.not_staff'));
    try {
      const summary = await handoverSummary(d.core, staff.id);
      await a.client.views.open({ trigger_id: a.command.trigger_id, view: handoverModal(renderCtx(d), summary, { ch: a.command.channel_id }) });
    } catch (e) {
      await tell(a.client, d, to, await errorText(d, e));
    }
  });

  app.view(HANDOVER_VIEW, async (args) => {
    const a = args as unknown as ViewArgs;
    const ctx = renderCtx(d);
    const r = readHandover(ctx, a.view);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    await a.ack();
    const from = origin(a.view);
    const to = { user: a.body.user.id, channel: from.ch };
    // the receipt after the handover is started and posted: the duty store takes none
    await viewOnce(d, a.view.id, async () => {
      const staff = staffFor(d, a.body.user.id);
      if (!staff) return tell(a.client, d, to, tr(ctx, 'refuse.not_staff'));
      try {
        const h = await startHandover(d.core, { staffId: staff.id, summary: r.value.summary });
        const rec = await getHandover(d.core, h.id);
        const message = handoverMessage(renderCtx(d), rec.handover, rec);
        const place = staff.branchId ? d.core.org.branches.get(staff.branchId)?.channels.dispatch : d.core.org.config.centre.channels.triage;
        try {
          await a.client.chat.postMessage({ channel: from.ch ?? place ?? staff.slackUserId!, ...message });
        } catch (e) {
          // the channel /handover was typed in may not have the app: the duty channel of the place does
          if (!place || place === from.ch) throw e;
          await a.client.chat.postMessage({ channel: place, ...message });
        }
      } catch (e) {
        await tell(a.client, d, to, await errorText(d, e));
      }
    });
  });

  app.action(ACTION.handoverAccept, async (args) => {
    const a = args as unknown as ActionArgs;
    await a.ack();
    const where = whereClicked(a.body);
    const to = { user: a.body.user.id, channel: where.ch };
    const v = readValue(a.action.value);
    const staff = staffFor(d, a.body.user.id);
    if (!v?.h) return;
    if (!staff) return tell(a.client, d, to, tr(renderCtx(d), 'refuse.not_staff'));
    try {
      await acceptHandover(d.core, { handoverId: v.h, staffId: staff.id });
    } catch (e) {
      return tell(a.client, d, to, await errorText(d, e));
    }
    await refresh(a.client, where, v.h);
  });

  /** The posted handover as it stands now (signed, objected to). */
  const refresh = async (client: WebClient, where: { ch?: string; ts?: string }, handoverId: number) => {
    if (!where.ch || !where.ts) return;
    const rec = await getHandover(d.core, handoverId);
    await client.chat
      .update({ channel: where.ch, ts: where.ts, ...handoverMessage(renderCtx(d), rec.handover, rec) })
      .catch((e) => d.log.warn({ err: (e as Error).message }, 'handover message not updated'));
  };

  app.action(HANDOVER_OBJECT, async (args) => {
    const a = args as unknown as ActionArgs;
    await a.ack();
    const where = whereClicked(a.body);
    const to = { user: a.body.user.id, channel: where.ch };
    const v = readValue(a.action.value);
    if (!v?.h) return;
    const staff = staffFor(d, a.body.user.id);
    if (!staff) return tell(a.client, d, to, tr(renderCtx(d), 'refuse.not_staff'));
    const h = await d.core.stores.duty.handoverById(v.h);
    if (!h) return;
    await a.client.views.open({ trigger_id: a.body.trigger_id!, view: objectionModal(renderCtx(d), h, { h: h.id, ch: where.ch, ts: where.ts }) });
  });

  app.view(OBJECTION_VIEW, async (args) => {
    const a = args as unknown as ViewArgs;
    const ctx = renderCtx(d);
    const r = readObjection(ctx, a.view);
    if (!r.ok) return a.ack({ response_action: 'errors', errors: r.errors });
    await a.ack();
    const from = origin(a.view);
    const to = { user: a.body.user.id, channel: from.ch };
    if (!from.h) return;
    await viewOnce(d, a.view.id, async () => {
      const staff = staffFor(d, a.body.user.id);
      if (!staff) return tell(a.client, d, to, tr(ctx, 'refuse.not_staff'));
      try {
        const o = await objectToHandover(d.core, { handoverId: from.h!, staffId: staff.id, reason: r.value.reason });
        await refresh(a.client, from, o.handover.id);
        const place = o.handover.branchId ? d.core.org.branches.get(o.handover.branchId)?.channels.dispatch : d.core.org.config.centre.channels.triage;
        const channel = from.ch ?? place;
        if (channel) await a.client.chat.postMessage({ channel, ...objectionNotice(renderCtx(d), o.handover, staff.id, o.tell) });
      } catch (e) {
        await tell(a.client, d, to, await errorText(d, e));
      }
    });
  });
}
