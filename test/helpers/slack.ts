/**
 * Builders for Slack requests (block_actions, view_submission, slash commands, events), the
 * signature Slack puts on them, and a harness: the real app over a real database with the Slack
 * app plugged in, the fake Slack Web API behind SLACK_API_URL, and the outbox worker.
 */
import { createHmac } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { createSlackApp, type SlackApp, type SlackAppOptions } from '../../src/bots/slack/index.js';
import { FakeSlackApi, type FakeSlackMessage } from '../../tools/dev/fake-slack-api.js';
import { OutboxWorker } from '../../src/delivery/outbox-worker.js';
import { seedDemoCustomers } from '../../src/db/seed-demo.js';
import { makeTestApp } from './app.js';
import { makeTestCore, type TestCore } from './core.js';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-token';

/** Slack ids of demo staff (config/demo-org.yaml) and of someone who is not staff. */
export const U = {
  agent: 'U01DEMO001', // 李磊, centre agent
  agent2: 'U02DEMO002', // 张涛, centre agent
  hqLeader: 'U05DEMO005', // 杨勇, HQ leader
  xinchengHead: 'U07DEMO007', // 黄海燕, xincheng leader
  xinchengCoord: 'U08DEMO008', // 周静, xincheng coordinator (on duty)
  xinchengField: 'U09DEMO009', // 吴娟, xincheng field staff (on duty)
  xinchengField2: 'U10DEMO010', // 徐刚, xincheng field staff
  huiminCoord: 'U13DEMO013', // 朱超, huimin coordinator
  huiminField: 'U14DEMO014', // 高志强, huimin field staff
  stranger: 'U99NOBODY',
} as const;

const TEAM = { id: 'TFAKETEAM', domain: 'heating' };
let seq = 0;
const next = () => ++seq;

/** The headers Slack signs a request with (v0 HMAC-SHA256 of "v0:<ts>:<body>"). */
export function signed(body: string, secret: string, ts: number): Record<string, string> {
  const sig = createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(ts), 'x-slack-signature': `v0=${sig}` };
}

export interface ClickOptions {
  channel?: string;
  ts?: string;
  responseUrl?: string;
  actionTs?: string;
  triggerId?: string;
}

function blockAction(user: string, action: Record<string, unknown>, o: ClickOptions): Record<string, unknown> {
  const channel = o.channel ?? 'C1XINCHED';
  const ts = o.ts ?? '1764309600.000001';
  return {
    type: 'block_actions',
    team: TEAM,
    user: { id: user, username: user, team_id: TEAM.id },
    api_app_id: 'AFAKEAPP',
    token: 'legacy-token',
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: false },
    trigger_id: o.triggerId ?? `${next()}.trigger`,
    channel: { id: channel, name: 'dispatch' },
    message: { type: 'message', ts, text: '' },
    ...(o.responseUrl ? { response_url: o.responseUrl } : {}),
    actions: [{ block_id: 'b', action_ts: o.actionTs ?? `1764309700.${String(next()).padStart(6, '0')}`, ...action }],
  };
}

/** A button click as Slack sends it (block_actions). */
export function slackButton(user: string, actionId: string, value: string, o: ClickOptions = {}): Record<string, unknown> {
  return blockAction(user, { type: 'button', action_id: actionId, value, text: { type: 'plain_text', text: actionId } }, o);
}

/** A choice in a static select on a message (route, dispatch). */
export function slackSelect(user: string, actionId: string, optionValue: string, o: ClickOptions = {}): Record<string, unknown> {
  return blockAction(
    user,
    { type: 'static_select', action_id: actionId, selected_option: { value: optionValue, text: { type: 'plain_text', text: optionValue } } },
    o,
  );
}

/** A slash command's form fields. */
export function slackSlash(
  user: string,
  command: string,
  text = '',
  o: { channel?: string; responseUrl?: string; triggerId?: string } = {},
): Record<string, string> {
  return {
    token: 'legacy-token',
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: o.channel ?? 'C0CENTRE01',
    channel_name: 'centre',
    user_id: user,
    user_name: user,
    command,
    text,
    api_app_id: 'AFAKEAPP',
    response_url: o.responseUrl ?? 'http://127.0.0.1:9/response',
    trigger_id: o.triggerId ?? `${next()}.trigger`,
  };
}

/** A field's value in a submitted modal: text, a choice, or checked boxes. */
export type FieldValue = string | { option: string } | { checked: string[] } | null;

function stateValue(v: FieldValue): Record<string, unknown> {
  if (v === null) return { type: 'plain_text_input', value: null };
  if (typeof v === 'string') return { type: 'plain_text_input', value: v };
  if ('option' in v) return { type: 'static_select', selected_option: { value: v.option, text: { type: 'plain_text', text: v.option } } };
  return { type: 'checkboxes', selected_options: v.checked.map((value) => ({ value, text: { type: 'plain_text', text: value } })) };
}

/** A modal submitted (view_submission); `privateMetadata` as the app put it in the view it opened. */
export function slackViewSubmission(
  user: string,
  callbackId: string,
  values: Record<string, FieldValue>,
  privateMetadata: string,
  o: { viewId?: string } = {},
): Record<string, unknown> {
  const state = Object.fromEntries(Object.entries(values).map(([field, v]) => [field, { [field]: stateValue(v) }]));
  return {
    type: 'view_submission',
    team: TEAM,
    user: { id: user, username: user, team_id: TEAM.id },
    api_app_id: 'AFAKEAPP',
    token: 'legacy-token',
    trigger_id: `${next()}.trigger`,
    view: {
      id: o.viewId ?? `V${next()}`,
      team_id: TEAM.id,
      type: 'modal',
      callback_id: callbackId,
      private_metadata: privateMetadata,
      state: { values: state },
      hash: `h${next()}`,
      blocks: [],
      app_id: 'AFAKEAPP',
      bot_id: 'BFAKEBOT',
    },
    response_urls: [],
  };
}

/** An Events API envelope. */
export function slackEvent(event: Record<string, unknown>, o: { eventId?: string } = {}): Record<string, unknown> {
  return {
    token: 'legacy-token',
    team_id: TEAM.id,
    api_app_id: 'AFAKEAPP',
    type: 'event_callback',
    event_id: o.eventId ?? `Ev${next()}`,
    event_time: 1764309600,
    event: { event_ts: event.ts, ...event },
    authorizations: [{ team_id: TEAM.id, user_id: 'UFAKEBOT', is_bot: true, is_enterprise_install: false }],
  };
}

/** Elements of a message's blocks: find the button or select a person would use. */
export function elementsOf(blocks: any[] | undefined): any[] {
  return (blocks ?? []).flatMap((b) => (b.type === 'actions' ? b.elements : b.accessory ? [b.accessory] : []));
}

export function findElement(blocks: any[] | undefined, actionId: string): any {
  return elementsOf(blocks).find((e) => e.action_id === actionId);
}

/** All text a person reads in a message (header, sections, fields, context). */
export function textOf(m: Pick<FakeSlackMessage, 'text' | 'blocks'> | { text?: string; blocks?: any[] } | undefined): string {
  if (!m) return '';
  const out: string[] = [];
  for (const b of m.blocks ?? []) {
    if (b.text?.text) out.push(b.text.text);
    for (const f of b.fields ?? []) out.push(f.text);
    for (const e of b.elements ?? []) if (e.text && typeof e.text === 'string') out.push(e.text);
  }
  return out.length ? out.join('\n') : (m.text ?? '');
}

export interface SlackHarness {
  app: FastifyInstance;
  core: TestCore;
  fake: FakeSlackApi;
  slack: SlackApp;
  worker: OutboxWorker;
  /** sends a signed request and waits until the app has processed it */
  send(
    kind: 'interaction' | 'command' | 'event',
    body: Record<string, unknown>,
    o?: { ts?: number; secret?: string; headers?: Record<string, string>; wait?: boolean },
  ): Promise<LightMyRequestResponse>;
  click(payload: Record<string, unknown>): Promise<LightMyRequestResponse>;
  slash(user: string, command: string, text?: string, channel?: string): Promise<LightMyRequestResponse>;
  submit(payload: Record<string, unknown>): Promise<LightMyRequestResponse>;
  /** delivers the outbox to the fake Slack */
  drain(): Promise<number>;
  now(): number;
  close(): Promise<void>;
}

/**
 * `slackTsFromClock`: the fake's message ts follow the test clock, as Slack's follow real time,
 * so that reading a channel's history back from a time (the outbox's look before posting again)
 * finds them; by default they are a fixed day that tests can name. `org`: an organisation
 * document in place of the demo one (e.g. with an API client, for a city platform's tickets).
 */
export async function makeSlackHarness(
  o: Partial<SlackAppOptions> & { seed?: boolean; slackTsFromClock?: boolean; org?: unknown } = {},
): Promise<SlackHarness> {
  let clockNow: (() => number) | undefined;
  const fake = await FakeSlackApi.start(o.slackTsFromClock ? { now: () => clockNow!() } : {});
  const core = await makeTestCore(o.org ? { org: o.org } : {});
  clockNow = () => core.clock.now().getTime();
  if (o.seed !== false) await seedDemoCustomers(core);
  const slack = createSlackApp({ core, token: BOT_TOKEN, signingSecret: SIGNING_SECRET, apiUrl: fake.url, ...o });
  const { app } = await makeTestApp({ plugins: [{ plugin: slack.plugin }] }, core);
  const worker = new OutboxWorker({ outbox: core.stores.outbox, clock: core.clock, deliverers: { slack: slack.deliverer } });
  const now = () => Math.floor(core.clock.now().getTime() / 1000);

  const send: SlackHarness['send'] = async (kind, body, so = {}) => {
    let payload: string;
    let contentType: string;
    if (kind === 'event') {
      payload = JSON.stringify(body);
      contentType = 'application/json';
    } else if (kind === 'interaction') {
      payload = new URLSearchParams({ payload: JSON.stringify(body) }).toString();
      contentType = 'application/x-www-form-urlencoded';
    } else {
      payload = new URLSearchParams(body as Record<string, string>).toString();
      contentType = 'application/x-www-form-urlencoded';
    }
    const res = await app.inject({
      method: 'POST',
      url: '/slack/events',
      headers: { 'content-type': contentType, ...signed(payload, so.secret ?? SIGNING_SECRET, so.ts ?? now()), ...so.headers },
      payload,
    });
    if (so.wait !== false) await slack.idle();
    return res;
  };

  return {
    app,
    core,
    fake,
    slack,
    worker,
    send,
    click: (p) => send('interaction', p),
    submit: (p) => send('interaction', p),
    slash: (user, command, text = '', channel) => send('command', slackSlash(user, command, text, { channel, responseUrl: fake.responseUrl(user) })),
    drain: () => worker.drain(),
    now,
    close: async () => {
      await slack.idle();
      await app.close();
      await fake.close();
      await core.close();
    },
  };
}

/** The ticket's card as people see it now in its channel (via the SlackCard row the deliverer kept). */
export async function cardOf(h: SlackHarness, ticketId: number, purpose = 'dispatch'): Promise<FakeSlackMessage> {
  const row = await h.core.db.slackCard.findUnique({ where: { ticketId_purpose: { ticketId, purpose } } });
  if (!row) throw new Error(`no ${purpose} card for ticket ${ticketId}`);
  const m = h.fake.message(row.channel, row.ts);
  if (!m) throw new Error(`the fake Slack has no message ${row.channel}/${row.ts}`);
  return m;
}

/** Clicks a button that is on a message, as the person sees it. */
export function clickOn(h: SlackHarness, user: string, m: FakeSlackMessage, actionId: string, o: ClickOptions = {}): Promise<LightMyRequestResponse> {
  const el = findElement(m.blocks, actionId);
  if (!el) throw new Error(`no ${actionId} on the message: ${JSON.stringify(elementsOf(m.blocks).map((e) => e.action_id))}`);
  if (el.type === 'static_select') throw new Error(`${actionId} is a select: use chooseOn`);
  return h.click(slackButton(user, actionId, el.value, { channel: m.channel, ts: m.ts, ...o }));
}

/** Picks an option (by its value's content) in a select on a message. */
export function chooseOn(
  h: SlackHarness,
  user: string,
  m: FakeSlackMessage,
  actionId: string,
  match: (value: string, label: string) => boolean,
): Promise<LightMyRequestResponse> {
  const el = findElement(m.blocks, actionId);
  const opt = (el?.options ?? []).find((o: any) => match(o.value, o.text.text));
  if (!opt) throw new Error(`no such option in ${actionId}`);
  return h.click(slackSelect(user, actionId, opt.value, { channel: m.channel, ts: m.ts }));
}

/** The last modal the app opened (views.open), and its private metadata to submit it with. */
export function lastModal(h: SlackHarness): { view: any; meta: string } {
  const opened = h.fake.callsTo('views.open');
  const view = opened[opened.length - 1]?.view;
  if (!view) throw new Error('no modal was opened');
  return { view, meta: view.private_metadata };
}

/** What a person was told privately: chat.postEphemeral and ephemeral response_url replies. */
export function toldTo(h: SlackHarness, user: string): string[] {
  return h.fake.ephemeralsFor(user).map((m) => textOf(m));
}
