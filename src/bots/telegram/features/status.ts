/**
 * Following one's tickets: /status lists the open ones with a button each; a number (typed,
 * tapped, or after /status) shows its timeline in plain words. Someone else's number gets the
 * same answer as a number that does not exist (not_your_ticket, worded by the error boundary).
 */
import { Composer } from 'grammy';
import { getOwnTicket } from '../../../core/residents/get-own-ticket.js';
import { listOwnTickets } from '../../../core/residents/list-own-tickets.js';
import { OPEN_STATUSES } from '../../../core/tickets/status-machine.js';
import { Buttons, cb } from '../callback-data.js';
import { incidentStateLines } from '../incident-deliveries.js';
import type { BotContext, BotDeps } from '../context.js';
import { labels, replyLong } from '../replies.js';
import { branchName, categoryLabel, statusLabel, ticketDetails } from '../render.js';

export const TICKET_NUMBER = /^\s*([TSQP]\d{8}-\d{4,})\s*$/i;
const LIST_LIMIT = 30;
const BUTTON_LIMIT = 8;

export function statusFeature({ core }: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();

  async function list(ctx: BotContext) {
    const tickets = await listOwnTickets(core, ctx.resident, { open: true, limit: LIST_LIMIT + 1 });
    if (tickets.length === 0) return void (await ctx.reply(ctx.t('status.none')));
    const shown = tickets.slice(0, LIST_LIMIT);
    const lines = shown.map((t) =>
      ctx.t('status.line', {
        number: t.number,
        category: categoryLabel(ctx.locale, t.category),
        status: statusLabel(ctx.locale, t.status),
        branch: branchName(core.org, t.branchId, ctx.locale),
      }),
    );
    if (tickets.length > LIST_LIMIT) lines.push(ctx.t('status.more', { shown: LIST_LIMIT }));
    const k = new Buttons();
    for (const t of shown.slice(0, BUTTON_LIMIT)) k.button(t.number, cb.status(t.number)).row();
    await replyLong(ctx, [ctx.t('status.list_title'), ...lines].join('\n'), { reply_markup: k });
  }

  async function show(ctx: BotContext, number: string) {
    const ticket = await getOwnTicket(core, ctx.resident.id, number);
    const now = core.clock.now();
    // a report an open incident took over: the repair's state is what the resident waits on
    const incident = ticket.incidentId && OPEN_STATUSES.includes(ticket.status) ? await core.stores.incidents.byId(ticket.incidentId) : null;
    const state = incident?.status === 'open' ? ['', ...incidentStateLines(core.org, incident, ctx.locale, now)] : [];
    await replyLong(ctx, [ticketDetails(core.org, ticket, ctx.locale, now), ...state].join('\n'));
  }

  c.command('status', async (ctx) => {
    const arg = ctx.match.trim();
    if (arg) return show(ctx, arg);
    await list(ctx);
  });
  c.hears(labels('menu.status'), list);
  c.hears(TICKET_NUMBER, (ctx) => show(ctx, ctx.match[1]));
  c.callbackQuery(/^st:([A-Z]\d{8}-\d+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await show(ctx, ctx.match[1]);
  });

  return c;
}
