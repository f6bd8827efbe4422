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
 *
 * Every post carries Slack message metadata naming its outbox row and its part of the delivery
 * (the card, the thread line, ...). When an earlier attempt's outcome is unknown (its answer was
 * lost, or the instance stopped before writing "sent"), each post first looks for that metadata
 * in the channel's history (or the card's thread) since the row was owed and adopts the message
 * it finds instead of posting a second one.
 */
import { onDutyNow } from '../../core/duty/on-duty-now.js';
import type { webApi } from '@slack/bolt';
import type { Core } from '../../core/context.js';
import type { Deliverer, DeliveryAttempt, DeliveryResult } from '../../delivery/types.js';
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
import { esc, section } from './render/blocks.js';
import { conductReportMessage, type ConductReportPayload } from './render/conduct.js';
import { conversationLine, isConversationEvent, residentFile } from './render/thread.js';
import { DESCRIPTION_MAX } from './render/ticket-card.js';
import { formsReportMessage } from './render/forms.js';
import { kpiClosedMessage } from './render/kpi-closed.js';
import type { KpiClosedPayload } from '../../core/reports/kpi-close-report.js';
import type { ResidentFile, ResidentFiles } from '../../delivery/resident-files.js';
import { slackErrorCode, toDeliveryError } from './slack-errors.js';
import { suggestionCard } from './render/suggestion-card.js';
import { suggestionsReportMessage } from './render/suggestions-report.js';
import type { SuggestionsReportPayload } from '../../core/reports/suggestions-report.js';
import { incidentCard, incidentLeadersMessage, proposalMessage, type ProposalView } from './render/incident-card.js';
import { trainingReminder } from './render/training.js';
import type { TrainingReminderPayload } from '../../core/reports/training-report.js';

type WebClient = webApi.WebClient;

interface TicketPayload {
  ticketId: number;
  eventId?: number;
  event?: string;
  callbackId?: number;
}

/** Slack message metadata event type of every post the outbox makes (event_payload: outbox_id, part). */
export const OUTBOX_EVENT = 'heating_outbox';
/** Slack's clock and ours may differ a little: history is read from this long before the row was owed. */
const CLOCK_SKEW_MS = 60_000;
/** Pages of history (200 messages each) read at most when looking for an earlier post. */
const LOOKUP_PAGES = 5;

/** One delivery of one row: whether to look before posting, and whether anything was posted yet. */
interface Attempt {
  row: OutboxMessage;
  look: boolean;
  posted: number;
}

type Posted = { channel: string; ts: string };

export interface SlackDelivererOptions {
  core: Core;
  client: WebClient;
  locale: Locale;
  /** the residents' photos and voice messages, uploaded into the card's thread; unset: a line says they could not be fetched */
  files?: ResidentFiles;
}

export class SlackDeliverer implements Deliverer {
  constructor(private readonly o: SlackDelivererOptions) {}

  private ctx(): RenderCtx {
    return { org: this.o.core.org, locale: this.o.locale, now: this.o.core.clock.now() };
  }

  async deliver(row: OutboxMessage, attempt?: DeliveryAttempt): Promise<DeliveryResult | undefined> {
    const payload = JSON.parse(row.payload) as TicketPayload & StaffAlertPayload & ReportPayload;
    const a: Attempt = { row, look: attempt?.outcomeUnknown ?? false, posted: 0 };
    try {
      switch (row.kind) {
        case 'ticket_card':
          return await this.card(a, payload);
        case 'urgent_alert':
          return await this.alert(a, payload, 'urgent');
        case 'major_alert':
          return await this.alert(a, payload, 'major');
        case 'triage':
          return await this.triage(a, payload);
        case 'callback_task':
          return await this.callbackTask(a, payload);
        case 'staff_alert':
          return await this.staffAlert(a, payload);
        case 'staff_alert_digest':
          return await this.staffAlertDigest(a, payload as StaffAlertDigestPayload);
        case 'incident_card':
          return await this.incidentCard(a, payload as unknown as { incidentId: number });
        case 'incident_leaders':
          return await this.incidentLeaders(a, payload as unknown as { incidentId: number; event: 'declared' | 'updated' | 'restored' });
        case 'incident_proposal':
          return await this.incidentProposal(a, payload as unknown as ProposalPayload);
        case 'suggestion_card':
          return await this.suggestionCard(a, payload);
        case 'report':
          if ((payload as { report?: string }).report === 'suggestions')
            return { result: await this.post(a, 'message', row.target, suggestionsReportMessage(this.ctx(), payload as unknown as SuggestionsReportPayload)) };
          if ((payload as { report?: string }).report === 'conduct')
            return { result: await this.post(a, 'message', row.target, conductReportMessage(this.ctx(), payload as unknown as ConductReportPayload)) };
          if ((payload as { report?: string }).report === 'monthly_kpi') return { result: await this.monthlyKpi(a, payload as unknown as { month: string }) };
          if ((payload as { report?: string }).report === 'kpi_closed')
            return { result: await this.post(a, 'message', row.target, kpiClosedMessage(this.ctx(), payload as unknown as KpiClosedPayload)) };
          if ((payload as { report?: string }).report === 'training')
            return { result: await this.post(a, 'message', row.target, trainingReminder(this.ctx(), payload as unknown as TrainingReminderPayload)) };
          if ((payload as { report?: string }).report === 'forms')
            return { result: await this.post(a, 'message', row.target, formsReportMessage(this.ctx(), payload as ReportPayload)) };
          return { result: await this.post(a, 'message', row.target, reportMessage(this.ctx(), payload as ReportPayload)) };
        default:
          throw new DeliveryError(`the Slack app does not deliver ${row.kind}`, { permanent: true });
      }
    } catch (e) {
      const de = toDeliveryError(e);
      // part of this delivery is on Slack already: the retry must look before it posts again
      if (a.posted > 0 && !de.opts.outcomeUnknown) throw new DeliveryError(de.message, { ...de.opts, outcomeUnknown: true });
      throw de;
    }
  }

  private async ticket(id: number): Promise<CardTicket> {
    const view = await this.o.core.stores.views.ticketView({ id });
    if (!view) throw new DeliveryError(`no ticket ${id}`, { permanent: true });
    return { ...view.ticket, events: view.events, deadlines: view.deadlines, photos: view.photos, cityRequest: view.cityRequest };
  }

  /** R25-R30 for the month that ended, as the leaders' monthly report (the same blocks as /kpi YYYY-MM). */
  private async monthlyKpi(a: Attempt, p: { month: string }): Promise<Posted> {
    const blocks = await kpiBlocks(this.o.core, { text: p.month, locale: this.o.locale });
    return this.post(a, 'message', a.row.target, { text: tr(this.ctx(), 'report.monthly_kpi', { month: p.month }), blocks: blocks as Message['blocks'] });
  }

  /**
   * chat.postMessage with the metadata naming this row and `part` (distinct within one delivery:
   * card, line, ...). When the last attempt's outcome is unknown, the message it may have posted
   * is looked for first and adopted. A post whose answer never came (timeout, dropped connection,
   * 5xx) leaves the outcome unknown; Slack's refusals (ok: false, 429) do not.
   */
  private async post(a: Attempt, part: string, channel: string, m: Message, extra: { thread_ts?: string; reply_broadcast?: boolean } = {}): Promise<Posted> {
    if (a.look) {
      const found = await this.findPosted(a.row, part, channel, extra.thread_ts);
      if (found) {
        a.posted++;
        return found;
      }
    }
    try {
      // render/blocks.ts builds Block Kit as plain records; the client's argument union wants its own shapes
      const args = {
        channel,
        text: m.text,
        ...(m.blocks.length ? { blocks: m.blocks } : {}),
        unfurl_links: false,
        ...extra,
        metadata: { event_type: OUTBOX_EVENT, event_payload: { outbox_id: a.row.id, part } },
      } as webApi.ChatPostMessageArguments;
      const res = await this.o.client.chat.postMessage(args);
      a.posted++;
      return { channel: (res.channel as string) ?? channel, ts: res.ts as string };
    } catch (e) {
      if (!answerLost(e)) throw e;
      throw new DeliveryError(toDeliveryError(e).message, { outcomeUnknown: true });
    }
  }

  /**
   * The message an earlier attempt posted for this row and part, from the channel's history (a
   * thread's replies for a thread line) since the row was owed; undefined if none within
   * LOOKUP_PAGES pages. conversations.history needs channels:history (groups:history for private
   * channels); include_all_metadata returns the metadata with the messages.
   */
  private async findPosted(row: OutboxMessage, part: string, channel: string, threadTs?: string): Promise<Posted | undefined> {
    const oldest = ((row.createdAt.getTime() - CLOCK_SKEW_MS) / 1000).toFixed(6);
    let cursor: string | undefined;
    for (let page = 0; page < LOOKUP_PAGES; page++) {
      const args = { channel, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) };
      let res: webApi.ConversationsHistoryResponse;
      try {
        res = threadTs ? await this.o.client.conversations.replies({ ...args, ts: threadTs }) : await this.o.client.conversations.history(args);
      } catch (e) {
        // Slack will not show this channel (not_in_channel: posted through chat:write.public; missing_scope:
        // installed before the history scopes): post, at the risk of a second copy, rather than not at all
        if (slackErrorCode(e) !== undefined) return undefined;
        throw e;
      }
      const hit = res.messages?.find((msg) => {
        const md = msg.metadata as { event_type?: string; event_payload?: Record<string, unknown> } | undefined;
        return md?.event_type === OUTBOX_EVENT && Number(md.event_payload?.outbox_id) === row.id && md.event_payload?.part === part;
      });
      if (hit?.ts) return { channel, ts: hit.ts };
      cursor = res.response_metadata?.next_cursor || undefined;
      if (!cursor) return undefined;
    }
    return undefined;
  }

  private async keep(ticketId: number, purpose: string, at: Posted): Promise<void> {
    await this.o.core.stores.outbox.saveCard({ ticketId, purpose, channel: at.channel, ts: at.ts });
  }

  /** chat.update; a message someone deleted is posted again (and its new place kept). */
  private async update(a: Attempt, ticketId: number, purpose: string, at: Posted, m: Message): Promise<Posted> {
    try {
      // render/blocks.ts builds Block Kit as plain records; Slack's client wants its own block types
      await this.o.client.chat.update({ channel: at.channel, ts: at.ts, text: m.text, blocks: m.blocks as webApi.KnownBlock[] });
      return at;
    } catch (e) {
      if (slackErrorCode(e) !== 'message_not_found') throw e;
      const fresh = await this.post(a, `repost:${purpose}`, at.channel, m);
      await this.keep(ticketId, purpose, fresh);
      return fresh;
    }
  }

  private async card(a: Attempt, p: TicketPayload): Promise<DeliveryResult> {
    const ctx = this.ctx();
    const t = await this.ticket(p.ticketId);
    // the card lives with the branch that has the ticket now (the row may predate a transfer)
    const home = (t.branchId && this.o.core.org.branches.get(t.branchId)?.channels.dispatch) || a.row.target;
    const card = await this.o.core.stores.outbox.cardOf(t.id, 'dispatch');
    // a row owed with a bulk change names the event by its type: the ticket's latest of that type
    const event = p.eventId ? t.events.find((e) => e.id === p.eventId) : p.event ? t.events.findLast((e) => e.type === p.event) : undefined;
    const line = !event ? undefined : isShownEvent(event) ? eventLine(ctx, event) : isConversationEvent(event) ? conversationLine(ctx, event) : undefined;

    if (!card) {
      const at = await this.post(a, 'card', home, ticketCard(ctx, t));
      await this.keep(t.id, 'dispatch', at);
      await this.fullDescription(a, t, at);
      return { result: at };
    }
    if (card.channel !== home) {
      // transferred: the old card keeps the story and says where the ticket went; the new branch gets its own
      await this.update(a, t.id, 'dispatch', card, ticketCard(ctx, t, { movedTo: branchName(ctx, t.branchId) })).catch((e) => {
        if (slackErrorCode(e) === undefined) throw e;
      });
      if (line) await this.post(a, 'line', card.channel, threadLine(line), { thread_ts: card.ts });
      const at = await this.post(a, 'card', home, ticketCard(ctx, t));
      await this.keep(t.id, 'dispatch', at);
      await this.fullDescription(a, t, at);
      return { result: at };
    }
    const at = await this.update(a, t.id, 'dispatch', card, ticketCard(ctx, t));
    // the thread reply comes last: if anything before fails, the retry does not repeat it
    if (line) await this.post(a, 'line', at.channel, threadLine(line), { thread_ts: at.ts });
    const file = event && residentFile(event);
    if (file) await this.attach(a, at, file);
    return { result: at };
  }

  /** A suggestion's card in the centre's suggestions channel (R18/R19): posted once, then kept up to date. */
  private async suggestionCard(a: Attempt, p: TicketPayload): Promise<DeliveryResult> {
    const t = await this.ticket(p.ticketId);
    const m = suggestionCard(this.ctx(), t);
    const card = await this.o.core.stores.outbox.cardOf(t.id, 'suggestion');
    if (card) return { result: await this.update(a, t.id, 'suggestion', card, m) };
    const at = await this.post(a, 'card', a.row.target, m);
    await this.keep(t.id, 'suggestion', at);
    return { result: at };
  }

  /** A description the card cut short, in full in the card's thread, once (with the card). */
  private async fullDescription(a: Attempt, t: CardTicket, at: Posted): Promise<void> {
    if ([...t.description].length <= DESCRIPTION_MAX) return;
    const head = tr(this.ctx(), 'thread.full_description');
    // sections hold 3,000 characters: the words in parts, each cut on the raw text before escaping
    const parts = chunks(t.description, 2000);
    for (let i = 0; i < parts.length; i++) {
      const body = `>${esc(parts[i]).replace(/\n/g, '\n>')}`;
      await this.post(a, `full:${i}`, at.channel, threadLine(i === 0 ? `${head}\n${body}` : body), { thread_ts: at.ts });
    }
  }

  /**
   * A resident's photo or voice message, uploaded into the card's thread after its line. The
   * file is named after the outbox row, so a retry whose last try may have uploaded it finds it in
   * the thread and does not upload it twice. A file that cannot be had leaves a line saying so.
   */
  private async attach(a: Attempt, at: Posted, f: { fileId: string; kind: 'photo' | 'audio' }): Promise<void> {
    const missing = tr(this.ctx(), f.kind === 'photo' ? 'thread.photo_missing' : 'thread.voice_missing');
    let file: ResidentFile | null = null;
    if (this.o.files) {
      try {
        file = await this.o.files.fetch(f.fileId, f.kind);
      } catch (e) {
        throw new DeliveryError(`resident file ${f.kind}: ${(e as Error).message}`);
      }
    }
    if (!file) {
      await this.post(a, 'file-missing', at.channel, threadLine(missing), { thread_ts: at.ts });
      return;
    }
    const filename = `${f.kind}-${a.row.id}${extension(file)}`;
    if (a.look && (await this.findUpload(at, filename))) return;
    try {
      await this.o.client.filesUploadV2({ channel_id: at.channel, thread_ts: at.ts, file: file.bytes, filename, title: filename });
      a.posted++;
    } catch (e) {
      if (!answerLost(e)) throw e;
      throw new DeliveryError(toDeliveryError(e).message, { outcomeUnknown: true });
    }
  }

  /** Whether the card's thread has a file of this name (an earlier try uploaded it). */
  private async findUpload(at: Posted, filename: string): Promise<boolean> {
    try {
      const res = await this.o.client.conversations.replies({ channel: at.channel, ts: at.ts, limit: 200 });
      return (res.messages ?? []).some((m) => (m.files ?? []).some((f) => f.name === filename || f.title === filename));
    } catch (e) {
      if (slackErrorCode(e) !== undefined) return false;
      throw e;
    }
  }

  private async alert(a: Attempt, p: TicketPayload, level: 'urgent' | 'major'): Promise<DeliveryResult> {
    const row = a.row;
    const t = await this.ticket(p.ticketId);
    const ctx = this.ctx();
    // who is on duty now: the roster, or whoever an accepted handover made responsible
    const m = escalationAlert(ctx, t, level, level === 'urgent' ? await onDutyNow(this.o.core, { branchId: t.branchId }, ctx.now) : undefined);
    const card = await this.o.core.stores.outbox.cardOf(t.id, level);
    const isAck = p.event === 'escalation_acked';
    if (card && (isAck || card.channel === row.target)) return { result: await this.update(a, t.id, level, card, m) };
    if (isAck) return {}; // nothing was posted to acknowledge (no such channel then): the event is stored
    const at = await this.post(a, 'alert', row.target, m);
    await this.keep(t.id, level, at);
    return { result: at };
  }

  private async triage(a: Attempt, p: TicketPayload): Promise<DeliveryResult> {
    const t = await this.ticket(p.ticketId);
    const at = await this.post(a, 'message', a.row.target, triageMessage(this.ctx(), t));
    await this.keep(t.id, 'triage', at);
    return { result: at };
  }

  private async callbackTask(a: Attempt, p: TicketPayload): Promise<DeliveryResult> {
    const t = await this.ticket(p.ticketId);
    const cb = p.callbackId ? await this.o.core.stores.views.callbackById(p.callbackId) : null;
    if (!cb) throw new DeliveryError(`no callback ${p.callbackId}`, { permanent: true });
    const at = await this.post(a, 'message', a.row.target, callbackTask(this.ctx(), t, cb));
    await this.keep(t.id, `callback:${cb.id}`, at);
    return { result: at };
  }

  private async staffAlert(a: Attempt, p: StaffAlertPayload): Promise<DeliveryResult> {
    const row = a.row;
    const t = typeof p.ticketId === 'number' ? await this.o.core.stores.views.ticketById(p.ticketId) : null;
    const m = staffAlert(this.ctx(), t, p);
    const card = t ? await this.o.core.stores.outbox.cardOf(t.id, 'dispatch') : null;
    // in the ticket's own thread when the alert goes to the card's channel, shown in the channel too
    const extra = card && card.channel === row.target ? { thread_ts: card.ts, reply_broadcast: true } : {};
    return { result: await this.post(a, 'message', row.target, m, extra) };
  }

  private async incident(id: number) {
    const inc = Number.isSafeInteger(id) ? await this.o.core.stores.incidents.byId(id) : null;
    if (!inc) throw new DeliveryError(`no incident ${id}`, { permanent: true });
    return inc;
  }

  /**
   * The incident's card in this channel, from its state now: posted once (its place kept in
   * IncidentCard), then updated in place; a card someone deleted is posted again.
   */
  private async incidentCard(a: Attempt, p: { incidentId: number }): Promise<DeliveryResult> {
    const inc = await this.incident(p.incidentId);
    const m = incidentCard(this.ctx(), inc);
    const channel = a.row.target;
    const ts = await this.o.core.stores.incidents.cardOf(inc.id, channel);
    if (ts) {
      try {
        await this.o.client.chat.update({ channel, ts, text: m.text, blocks: m.blocks as webApi.KnownBlock[] });
        return { result: { channel, ts } };
      } catch (e) {
        if (slackErrorCode(e) !== 'message_not_found') throw e;
      }
    }
    const at = await this.post(a, ts ? 'repost:card' : 'card', channel, m);
    await this.o.core.stores.incidents.saveCard({ incidentId: inc.id, channel: at.channel, ts: at.ts });
    return { result: at };
  }

  /** R8k: a major incident's declaration, change or restoration, to the leaders' channel. */
  private async incidentLeaders(a: Attempt, p: { incidentId: number; event: 'declared' | 'updated' | 'restored' }): Promise<DeliveryResult> {
    const inc = await this.incident(p.incidentId);
    const event = p.event === 'updated' || p.event === 'restored' ? p.event : 'declared';
    return { result: await this.post(a, 'message', a.row.target, incidentLeadersMessage(this.ctx(), inc, event)) };
  }

  /** Declare an incident? Already declared by the time it goes out (the other channel's copy was tapped): says so. */
  private async incidentProposal(a: Attempt, p: ProposalPayload): Promise<DeliveryResult> {
    const windowStart = new Date(String(p.windowStart));
    if (typeof p.areaKey !== 'string' || typeof p.proposalKey !== 'string' || Number.isNaN(windowStart.getTime()))
      throw new DeliveryError('an incident proposal without its area', { permanent: true });
    const view: ProposalView = {
      areaKey: p.areaKey as ProposalView['areaKey'],
      communityIds: Array.isArray(p.communityIds) ? p.communityIds.filter((c): c is string => typeof c === 'string') : [],
      ...(typeof p.stationId === 'string' ? { stationId: p.stationId } : {}),
      count: Number(p.count) || 0,
      windowStart,
      proposalKey: p.proposalKey,
    };
    const declared = await this.o.core.stores.incidents.byProposalKey(p.proposalKey);
    return { result: await this.post(a, 'message', a.row.target, proposalMessage(this.ctx(), view, declared)) };
  }

  /** Many tickets' alerts in one message, to the channel itself (no single card's thread fits); their tickets read at once. */
  private async staffAlertDigest(a: Attempt, p: StaffAlertDigestPayload): Promise<DeliveryResult> {
    const ids = digestTickets(p).map((x) => x.ticketId);
    const found = await this.o.core.stores.views.ticketsByIds(ids);
    if (!found.length) throw new DeliveryError(`no tickets ${ids.join(', ')}`, { permanent: true });
    return { result: await this.post(a, 'message', a.row.target, staffAlertDigest(this.ctx(), found, p)) };
  }
}

/** An incident_proposal row's payload (core/incidents/propose-incidents.ts). */
interface ProposalPayload {
  areaKey?: unknown;
  communityIds?: unknown;
  stationId?: unknown;
  count?: unknown;
  windowStart?: unknown;
  proposalKey?: unknown;
}

/** Text in parts of at most `size` characters, split at line ends where it can. */
function chunks(text: string, size: number): string[] {
  const chars = [...text];
  const out: string[] = [];
  let i = 0;
  while (i < chars.length) {
    let end = Math.min(i + size, chars.length);
    if (end < chars.length) {
      const nl = chars.lastIndexOf('\n', end);
      if (nl > i + size / 2) end = nl + 1;
    }
    out.push(chars.slice(i, end).join(''));
    i = end;
  }
  return out;
}

function extension(f: ResidentFile): string {
  const m = /\.[A-Za-z0-9]{1,5}$/.exec(f.filename);
  if (m) return m[0].toLowerCase();
  return f.mime === 'image/jpeg' ? '.jpg' : f.mime === 'audio/ogg' ? '.ogg' : '';
}

/** The request went out but no answer from Slack came back, or a 5xx did: Slack may have posted it. */
function answerLost(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return code === 'slack_webapi_request_error' || code === 'slack_webapi_http_error';
}

/**
 * A step's line in the card's thread, as a block: a message's bare text is always auto-linked by
 * Slack, and a line may quote a resident (a note), whose URLs must not become links.
 */
function threadLine(line: string): Message {
  return { text: line, blocks: [section(line)] };
}
