/**
 * Slack, as the service meets it: staff clicks and modal submissions become signed requests to
 * POST /slack/events (v0 HMAC-SHA256 of "v0:<ts>:<body>" with the signing secret); the app's Web
 * API calls land on the fake (tools/dev/fake-slack-api.ts), which keeps the channels. Slack does not
 * redeliver an interaction that failed: the person sees an error and clicks again, which is what
 * the staff in staff.ts do.
 */
import { createHmac } from 'node:crypto';
import type { FakeSlackApi, FakeSlackCall, FakeSlackMessage } from '../dev/fake-slack-api.js';
import type { LatencyLog } from './latency.js';

/** A dispatch card as a person sees it in the channel. */
export interface CardView {
  number: string;
  message: FakeSlackMessage;
  /** the status the card shows (its buttons carry it) */
  status?: string;
  /** action_id → button value */
  buttons: Map<string, string>;
}

/** Something a staff member did, for the transcript: `seq` places it among the fake's calls. */
export interface StaffAct {
  seq: number;
  at: number;
  channel: string;
  number: string;
  user: string;
  text: string;
}

export interface SlackSideOptions {
  url: () => string;
  signingSecret: string;
  latency: LatencyLog;
}

export type FieldValue = string | null | { checked: string[] };

const TEAM = { id: 'TFAKETEAM', domain: 'heating' };
/** A card's header starts with the ticket number ("T20261128-0001 · 投诉 / 暖气不热"); alerts' headers do not. */
const CARD_HEADER = /^([TSQP]\d{8}-\d{4,}) · /;

export class SlackSide {
  readonly acts: StaffAct[] = [];
  private seq = 0;

  constructor(
    readonly fake: FakeSlackApi,
    private readonly o: SlackSideOptions,
  ) {}

  /** The dispatch cards in a channel now (top-level messages whose header names a ticket). */
  cards(channel: string): CardView[] {
    const out: CardView[] = [];
    for (const m of this.fake.channelMessages(channel)) {
      const number = cardNumber(m);
      if (!number) continue;
      const buttons = new Map<string, string>();
      let status: string | undefined;
      for (const b of m.blocks ?? []) {
        if (b.type !== 'actions') continue;
        for (const e of b.elements ?? []) {
          if (e.type !== 'button' || typeof e.value !== 'string') continue;
          buttons.set(e.action_id, e.value);
          try {
            status ??= JSON.parse(e.value).s;
          } catch {
            // a value that is not JSON: not a card control
          }
        }
      }
      out.push({ number, message: m, status, buttons });
    }
    return out;
  }

  /** A click on a card's button, as block_actions. Resolves with the trigger_id (a modal opens with it). */
  async click(user: string, card: CardView, actionId: string, label: string): Promise<{ answered: boolean; triggerId: string }> {
    const n = ++this.seq;
    const triggerId = `${n}.${Date.now()}.simtrigger`;
    const m = card.message;
    this.record(m.channel, card.number, user, label);
    const payload = {
      type: 'block_actions',
      team: TEAM,
      user: { id: user, username: user, team_id: TEAM.id },
      api_app_id: 'AFAKEAPP',
      token: 'legacy-token',
      container: { type: 'message', message_ts: m.ts, channel_id: m.channel, is_ephemeral: false },
      trigger_id: triggerId,
      channel: { id: m.channel, name: 'dispatch' },
      message: { type: 'message', ts: m.ts, text: m.text ?? '' },
      actions: [
        {
          block_id: `card:${card.number}`,
          action_id: actionId,
          value: card.buttons.get(actionId),
          type: 'button',
          action_ts: `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, '0')}`,
        },
      ],
    };
    const res = await this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
    return { answered: res?.status === 200, triggerId };
  }

  /**
   * A staff member writes in a card's thread: the Events API `message` event Slack sends the app
   * (event_callback, signed like every request). `eventId` stays the same when it is sent again,
   * as Slack's own retries keep it. Resolves true when the app answered 200.
   */
  async threadReply(user: string, card: CardView, text: string, eventId: string, label: string): Promise<boolean> {
    this.record(card.message.channel, card.number, user, label);
    const ts = `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, '0')}`;
    const body = JSON.stringify({
      token: 'legacy-token',
      team_id: TEAM.id,
      api_app_id: 'AFAKEAPP',
      type: 'event_callback',
      event_id: eventId,
      event_time: Math.floor(Date.now() / 1000),
      event: { type: 'message', channel: card.message.channel, channel_type: 'channel', user, text, ts, thread_ts: card.message.ts, event_ts: ts },
      authorizations: [{ team_id: TEAM.id, user_id: 'UFAKEBOT', is_bot: true, is_enterprise_install: false }],
    });
    const res = await this.post(body, 'application/json');
    return res?.status === 200;
  }

  /** Whether the app told `user` (an ephemeral message) something that contains `words`. */
  toldUser(user: string, words: string): boolean {
    return this.fake.ephemeralsFor(user).some((m) => String(m.text ?? '').includes(words));
  }

  /** The modal the app opened for a trigger (views.open that Slack accepted), if it did; `blocks` are its inputs. */
  openedView(triggerId: string): { id: string; callbackId: string; privateMetadata: string; blocks: any[] } | undefined {
    const c = this.fake.calls.find((x) => x.method === 'views.open' && x.status === 200 && x.response.ok && x.params.trigger_id === triggerId);
    if (!c) return undefined;
    const view = typeof c.params.view === 'string' ? JSON.parse(c.params.view) : c.params.view;
    return { id: c.response.view.id, callbackId: view.callback_id, privateMetadata: view.private_metadata ?? '', blocks: view.blocks ?? [] };
  }

  /** A slash command typed in a channel (e.g. /incident). Resolves with its trigger_id (a modal opens with it). */
  async slash(user: string, command: string, text: string, channel: string, label: string): Promise<{ answered: boolean; triggerId: string }> {
    const n = ++this.seq;
    const triggerId = `${n}.${Date.now()}.simtrigger`;
    this.record(channel, '', user, label);
    const form = {
      token: 'legacy-token',
      team_id: TEAM.id,
      team_domain: TEAM.domain,
      channel_id: channel,
      channel_name: 'channel',
      user_id: user,
      user_name: user,
      command,
      text,
      api_app_id: 'AFAKEAPP',
      response_url: this.fake.responseUrl(user),
      trigger_id: triggerId,
    };
    const res = await this.post(new URLSearchParams(form).toString(), 'application/x-www-form-urlencoded');
    return { answered: res?.status === 200, triggerId };
  }

  /** A click on any message's button (a proposal, an incident card): `button` as the message carries it. */
  async press(
    user: string,
    m: FakeSlackMessage,
    button: { action_id: string; value?: string; block_id?: string },
    label: string,
  ): Promise<{ answered: boolean; triggerId: string }> {
    const n = ++this.seq;
    const triggerId = `${n}.${Date.now()}.simtrigger`;
    this.record(m.channel, '', user, label);
    const payload = {
      type: 'block_actions',
      team: TEAM,
      user: { id: user, username: user, team_id: TEAM.id },
      api_app_id: 'AFAKEAPP',
      token: 'legacy-token',
      container: { type: 'message', message_ts: m.ts, channel_id: m.channel, is_ephemeral: false },
      trigger_id: triggerId,
      channel: { id: m.channel, name: 'channel' },
      message: { type: 'message', ts: m.ts, text: m.text ?? '', blocks: m.blocks ?? [] },
      actions: [
        {
          block_id: button.block_id ?? 'actions',
          action_id: button.action_id,
          value: button.value,
          type: 'button',
          action_ts: `${Math.floor(Date.now() / 1000)}.${String(n).padStart(6, '0')}`,
        },
      ],
    };
    const res = await this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
    return { answered: res?.status === 200, triggerId };
  }

  /** Submits a modal with a state built by the caller (block_id → action_id → value, as Slack sends it). */
  async submitState(
    user: string,
    view: { id: string; callbackId: string; privateMetadata: string },
    values: Record<string, Record<string, unknown>>,
    channel: string,
    label: string,
    number = '',
  ): Promise<{ answered: boolean; errors?: Record<string, string> }> {
    this.record(channel, number, user, label);
    const payload = {
      type: 'view_submission',
      team: TEAM,
      user: { id: user, username: user, team_id: TEAM.id },
      api_app_id: 'AFAKEAPP',
      token: 'legacy-token',
      trigger_id: `${++this.seq}.simtrigger`,
      view: {
        id: view.id,
        team_id: TEAM.id,
        type: 'modal',
        callback_id: view.callbackId,
        private_metadata: view.privateMetadata,
        state: { values },
        hash: `h${this.seq}`,
        blocks: [],
        app_id: 'AFAKEAPP',
        bot_id: 'BFAKEBOT',
      },
      response_urls: [],
    };
    const res = await this.post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded');
    if (res?.status !== 200) return { answered: false };
    const body = res.body ? safeParse(res.body) : undefined;
    return { answered: true, errors: body?.response_action === 'errors' ? body.errors : undefined };
  }

  /** Submits a modal (view_submission). Resolves with the app's answer (empty, or response_action errors). */
  async submit(
    user: string,
    number: string,
    channel: string,
    view: { id: string; callbackId: string; privateMetadata: string },
    values: Record<string, FieldValue>,
    label: string,
  ): Promise<{ answered: boolean; errors?: Record<string, string> }> {
    const state = Object.fromEntries(
      Object.entries(values).map(([field, v]) => [
        field,
        {
          [field]:
            v !== null && typeof v === 'object'
              ? { type: 'checkboxes', selected_options: v.checked.map((value) => ({ value, text: { type: 'plain_text', text: value } })) }
              : { type: 'plain_text_input', value: v },
        },
      ]),
    );
    return this.submitState(user, view, state, channel, label, number);
  }

  /** Successful calls of the app to one channel, from `seq` on (card posts and updates, thread lines). */
  channelCalls(channel: string, fromSeq = 0): FakeSlackCall[] {
    return this.fake.calls.slice(fromSeq).filter((c) => c.status === 200 && c.response.ok !== false && c.params.channel === channel);
  }

  private record(channel: string, number: string, user: string, text: string): void {
    this.acts.push({ seq: this.fake.calls.length, at: Date.now(), channel, number, user, text });
  }

  private async post(body: string, contentType: string): Promise<{ status: number; body: string } | null> {
    const ts = Math.floor(Date.now() / 1000);
    const sig = createHmac('sha256', this.o.signingSecret).update(`v0:${ts}:${body}`).digest('hex');
    const t0 = performance.now();
    try {
      const res = await fetch(`${this.o.url()}/slack/events`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-slack-request-timestamp': String(ts), 'x-slack-signature': `v0=${sig}` },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      const text = await res.text();
      this.o.latency.add(performance.now() - t0, res.status, text);
      return { status: res.status, body: text };
    } catch {
      this.o.latency.noAnswer();
      return null;
    }
  }
}

/** The ticket number a card is about (its header), if it is a card. */
export function cardNumber(m: Pick<FakeSlackMessage, 'blocks' | 'text'>): string | undefined {
  const header = (m.blocks ?? []).find((b) => b.type === 'header');
  if (!header) return undefined;
  return CARD_HEADER.exec(String(header.text?.text ?? ''))?.[1];
}

function safeParse(s: string): any {
  try {
    return JSON.parse(s);
  } catch {
    return undefined;
  }
}
