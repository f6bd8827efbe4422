/**
 * Delivers the outbox's Slack messages (see core/outbox/enqueue.ts), rendered from the ticket's
 * state at delivery time. The dispatch card is posted once to the branch's dispatch channel, its
 * place kept in SlackCard, then updated in place after every step with one thread line per step
 * (who, the minute). A transfer to another branch leaves the old card saying where the ticket went
 * and posts a fresh card to the new branch. Urgent and major alerts, triage messages, callback
 * tasks, deadline alerts (one by one, or a digest of many tickets) and scheduled reports are
 * posted (alerts updated in place once someone acknowledges them). Failures become
 * DeliveryErrors: the outbox retries them (after Retry-After for 429s); the step that caused the
 * message is already stored.
 */
import type { webApi } from '@slack/bolt';
import type { Core } from '../../core/context.js';
import type { Deliverer, DeliveryResult } from '../../delivery/types.js';
import { DeliveryError } from '../../delivery/types.js';
import type { OutboxMessage } from '../../core/model.js';
import type { Locale } from '../../i18n/index.js';
import { kpiBlocks } from '../slack-kpi/kpi-blocks.js';
import { tr } from './render/names.js';
import {
  callbackTask,
  digestTickets,
  escalationAlert,
  reportMessage,
  staffAlert,
  staffAlertDigest,
  triageMessage,
  type Message,
  type ReportPayload,
  type StaffAlertDigestPayload,
  type StaffAlertPayload,
} from './render/alerts.js';
import { branchName, type RenderCtx } from './render/names.js';
import { eventLine, isShownEvent, ticketCard, type CardTicket } from './render/ticket-card.js';
import { slackErrorCode, toDeliveryError } from './slack-errors.js';

type WebClient = webApi.WebClient;

interface TicketPayload {
  ticketId: number;
  eventId?: number;
  event?: string;
  callbackId?: number;
}

export interface SlackDelivererOptions {
  core: Core;
  client: WebClient;
  locale: Locale;
}

export class SlackDeliverer implements Deliverer {
  constructor(private readonly o: SlackDelivererOptions) {}

  private ctx(): RenderCtx {
    return { org: this.o.core.org, locale: this.o.locale, now: this.o.core.clock.now() };
  }

  async deliver(row: OutboxMessage): Promise<DeliveryResult | undefined> {
    const payload = JSON.parse(row.payload) as TicketPayload & StaffAlertPayload & ReportPayload;
    try {
      switch (row.kind) {
        case 'ticket_card':
          return await this.card(row, payload);
        case 'urgent_alert':
          return await this.alert(row, payload, 'urgent');
        case 'major_alert':
          return await this.alert(row, payload, 'major');
        case 'triage':
          return await this.triage(row, payload);
        case 'callback_task':
          return await this.callbackTask(row, payload);
        case 'staff_alert':
          return await this.staffAlert(row, payload);
        case 'staff_alert_digest':
          return await this.staffAlertDigest(row, payload as StaffAlertDigestPayload);
        case 'report':
          if ((payload as { report?: string }).report === 'monthly_kpi')
            return { result: await this.monthlyKpi(row.target, payload as unknown as { month: string }) };
          return { result: await this.post(row.target, reportMessage(this.ctx(), payload as ReportPayload)) };
        default:
          throw new DeliveryError(`the Slack app does not deliver ${row.kind}`, { permanent: true });
      }
    } catch (e) {
      throw toDeliveryError(e);
    }
  }

  private async ticket(id: number): Promise<CardTicket> {
    const view = await this.o.core.stores.views.ticketView({ id });
    if (!view) throw new DeliveryError(`no ticket ${id}`, { permanent: true });
    return { ...view.ticket, events: view.events, deadlines: view.deadlines };
  }

  /** R25-R30 for the month that ended, as the leaders' monthly report (the same blocks as /kpi YYYY-MM). */
  private async monthlyKpi(channel: string, p: { month: string }): Promise<{ channel: string; ts: string }> {
    const blocks = await kpiBlocks(this.o.core, { text: p.month, locale: this.o.locale });
    return this.post(channel, { text: tr(this.ctx(), 'report.monthly_kpi', { month: p.month }), blocks: blocks as Message['blocks'] });
  }

  private async post(channel: string, m: Message, extra: Record<string, unknown> = {}): Promise<{ channel: string; ts: string }> {
    const res = await this.o.client.chat.postMessage({
      channel,
      text: m.text,
      ...(m.blocks.length ? { blocks: m.blocks } : {}),
      unfurl_links: false,
      ...extra,
    });
    return { channel: (res.channel as string) ?? channel, ts: res.ts as string };
  }

  private async keep(ticketId: number, purpose: string, at: { channel: string; ts: string }): Promise<void> {
    await this.o.core.stores.outbox.saveCard({ ticketId, purpose, channel: at.channel, ts: at.ts });
  }

  /** chat.update; a message someone deleted is posted again (and its new place kept). */
  private async update(ticketId: number, purpose: string, at: { channel: string; ts: string }, m: Message): Promise<{ channel: string; ts: string }> {
    try {
      // render/blocks.ts builds Block Kit as plain records; Slack's client wants its own block types
      await this.o.client.chat.update({ channel: at.channel, ts: at.ts, text: m.text, blocks: m.blocks as webApi.KnownBlock[] });
      return at;
    } catch (e) {
      if (slackErrorCode(e) !== 'message_not_found') throw e;
      const fresh = await this.post(at.channel, m);
      await this.keep(ticketId, purpose, fresh);
      return fresh;
    }
  }

  private async card(row: OutboxMessage, p: TicketPayload): Promise<DeliveryResult> {
    const ctx = this.ctx();
    const t = await this.ticket(p.ticketId);
    // the card lives with the branch that has the ticket now (the row may predate a transfer)
    const home = (t.branchId && this.o.core.org.branches.get(t.branchId)?.channels.dispatch) || row.target;
    const card = await this.o.core.stores.outbox.cardOf(t.id, 'dispatch');
    const event = p.eventId ? t.events.find((e) => e.id === p.eventId) : undefined;
    const line = event && isShownEvent(event) ? eventLine(ctx, event) : undefined;

    if (!card) {
      const at = await this.post(home, ticketCard(ctx, t));
      await this.keep(t.id, 'dispatch', at);
      return { result: at };
    }
    if (card.channel !== home) {
      // transferred: the old card keeps the story and says where the ticket went; the new branch gets its own
      await this.update(t.id, 'dispatch', card, ticketCard(ctx, t, { movedTo: branchName(ctx, t.branchId) })).catch((e) => {
        if (slackErrorCode(e) === undefined) throw e;
      });
      if (line) await this.post(card.channel, { text: line, blocks: [] }, { thread_ts: card.ts });
      const at = await this.post(home, ticketCard(ctx, t));
      await this.keep(t.id, 'dispatch', at);
      return { result: at };
    }
    const at = await this.update(t.id, 'dispatch', card, ticketCard(ctx, t));
    // the thread reply comes last: if anything before fails, the retry does not repeat it
    if (line) await this.post(at.channel, { text: line, blocks: [] }, { thread_ts: at.ts });
    return { result: at };
  }

  private async alert(row: OutboxMessage, p: TicketPayload, level: 'urgent' | 'major'): Promise<DeliveryResult> {
    const t = await this.ticket(p.ticketId);
    const m = escalationAlert(this.ctx(), t, level);
    const card = await this.o.core.stores.outbox.cardOf(t.id, level);
    const isAck = p.event === 'escalation_acked';
    if (card && (isAck || card.channel === row.target)) return { result: await this.update(t.id, level, card, m) };
    if (isAck) return {}; // nothing was posted to acknowledge (no such channel then): the event is stored
    const at = await this.post(row.target, m);
    await this.keep(t.id, level, at);
    return { result: at };
  }

  private async triage(row: OutboxMessage, p: TicketPayload): Promise<DeliveryResult> {
    const t = await this.ticket(p.ticketId);
    const at = await this.post(row.target, triageMessage(this.ctx(), t));
    await this.keep(t.id, 'triage', at);
    return { result: at };
  }

  private async callbackTask(row: OutboxMessage, p: TicketPayload): Promise<DeliveryResult> {
    const t = await this.ticket(p.ticketId);
    const cb = p.callbackId ? await this.o.core.stores.views.callbackById(p.callbackId) : null;
    if (!cb) throw new DeliveryError(`no callback ${p.callbackId}`, { permanent: true });
    const at = await this.post(row.target, callbackTask(this.ctx(), t, cb));
    await this.keep(t.id, `callback:${cb.id}`, at);
    return { result: at };
  }

  private async staffAlert(row: OutboxMessage, p: StaffAlertPayload): Promise<DeliveryResult> {
    const t = typeof p.ticketId === 'number' ? await this.o.core.stores.views.ticketById(p.ticketId) : null;
    const m = staffAlert(this.ctx(), t, p);
    const card = t ? await this.o.core.stores.outbox.cardOf(t.id, 'dispatch') : null;
    // in the ticket's own thread when the alert goes to the card's channel, shown in the channel too
    const extra = card && card.channel === row.target ? { thread_ts: card.ts, reply_broadcast: true } : {};
    return { result: await this.post(row.target, m, extra) };
  }

  /** Many tickets' alerts in one message, to the channel itself (no single card's thread fits); their tickets read at once. */
  private async staffAlertDigest(row: OutboxMessage, p: StaffAlertDigestPayload): Promise<DeliveryResult> {
    const ids = digestTickets(p).map((x) => x.ticketId);
    const found = await this.o.core.stores.views.ticketsByIds(ids);
    if (!found.length) throw new DeliveryError(`no tickets ${ids.join(', ')}`, { permanent: true });
    return { result: await this.post(row.target, staffAlertDigest(this.ctx(), found, p)) };
  }
}
