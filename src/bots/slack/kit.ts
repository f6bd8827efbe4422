/**
 * What every listener of the Slack app shares: its dependencies, who the Slack user is in the
 * organisation, and the one place that turns a refusal or a domain error into words for them
 * (an ephemeral message: only the person who clicked sees it).
 */
import type { webApi } from '@slack/bolt';
import type { Core } from '../../core/context.js';
import { AppError } from '../../core/errors.js';
import { formatMinute } from '../../core/local-time.js';
import type { Staff } from '../../core/org/types.js';
import type { Refusal } from '../../core/staff/can-act.js';
import { has, type Locale } from '../../i18n/index.js';
import type { SlackLog } from './logger.js';
import type { Block } from './render/blocks.js';
import type { ScopeReader } from './modals/intake-modal.js';
import { actorName, tr, type RenderCtx } from './render/names.js';
import { currentState, type CardTicket } from './render/ticket-card.js';

type WebClient = webApi.WebClient;

/** Renders the KPI answer to /kpi (built elsewhere, issue on KPIs). */
export type KpiBlocks = (args: { text: string; staff: Staff }) => Promise<object[]>;

export interface SlackDeps {
  core: Core;
  locale: Locale;
  log: SlackLog;
  /** called after a change that owes messages, e.g. the outbox worker's kick() */
  kick?: () => void;
  kpiBlocks?: KpiBlocks;
  /** reads the scope of an /intake description left without one (the service's classifier; keyword rules without) */
  classifier?: ScopeReader;
}

export function renderCtx(d: SlackDeps): RenderCtx {
  return { org: d.core.org, locale: d.locale, now: d.core.clock.now() };
}

export function staffFor(d: SlackDeps, slackUserId: string | undefined): Staff | undefined {
  return slackUserId ? d.core.org.staffBySlackUser(slackUserId) : undefined;
}

export function actorOf(staff: Staff): string {
  return `staff:${staff.id}`;
}

/** A ticket with its timeline, as cards and answers need it. */
export async function ticketWithEvents(d: SlackDeps, number: string): Promise<CardTicket | null> {
  const view = await d.core.stores.views.ticketView({ number });
  return view && { ...view.ticket, events: view.events, deadlines: view.deadlines, cityRequest: view.cityRequest };
}

/** Where to answer one person: an ephemeral in the channel they acted in, else a direct message. */
export interface Audience {
  user: string;
  channel?: string;
  /** slash commands and message actions: Bolt's respond() */
  respond?: (msg: Record<string, unknown>) => Promise<unknown>;
}

export async function tell(client: WebClient, d: SlackDeps, to: Audience, text: string, blocks?: Block[]): Promise<void> {
  const msg = { text, ...(blocks?.length ? { blocks } : {}) };
  try {
    if (to.respond) {
      await to.respond({ response_type: 'ephemeral', replace_original: false, ...msg });
      return;
    }
    if (to.channel) {
      await client.chat.postEphemeral({ channel: to.channel, user: to.user, ...msg });
      return;
    }
  } catch (e) {
    d.log.warn({ err: (e as Error).message, user: to.user }, 'ephemeral answer failed, sending a direct message');
  }
  try {
    await client.chat.postMessage({ channel: to.user, ...msg });
  } catch (e) {
    d.log.error({ err: (e as Error).message, user: to.user }, 'could not answer the user');
  }
}

export function refusalText(ctx: RenderCtx, reason: Refusal | string): string {
  if (has(ctx.locale, `slack.roles.refuse.${reason}`)) return tr(ctx, `roles.refuse.${reason}`);
  return has(ctx.locale, `slack.refuse.${reason}`) ? tr(ctx, `refuse.${reason}`) : tr(ctx, 'refuse.other_branch');
}

/** A domain error in the person's words; stale steps answer with where the ticket is now. */
export async function errorText(d: SlackDeps, e: unknown, number?: string): Promise<string> {
  const ctx = renderCtx(d);
  if (!(e instanceof AppError)) {
    d.log.error({ err: (e as Error)?.message ?? String(e) }, 'slack action failed');
    return tr(ctx, 'error.internal');
  }
  const code = e.code;
  if ((code === 'invalid_transition' || code === 'concurrent_update') && number) {
    const t = await ticketWithEvents(d, number);
    if (t) return `${tr(ctx, e.context.stale || code === 'concurrent_update' ? 'error.stale' : 'error.not_now')}\n${currentState(ctx, t)}`;
  }
  if (code === 'forbidden') return refusalText(ctx, String(e.context.reason ?? ''));
  if (code === 'already_answered') {
    const raw = e.context.at;
    const at = raw instanceof Date ? formatMinute(raw) : raw ? formatMinute(new Date(String(raw))) : '';
    const by = typeof e.context.by === 'string' ? actorName(ctx, e.context.by.includes(':') ? e.context.by : `staff:${e.context.by}`) : '';
    return tr(ctx, 'error.already_answered', { who: by, at });
  }
  return has(ctx.locale, `slack.error.${e.code}`) ? tr(ctx, `error.${e.code}`) : tr(ctx, 'error.generic', { code: e.code });
}
