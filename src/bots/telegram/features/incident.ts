/**
 * The residents' side of an incident (a failed station, a burst primary pipe: one cause, many
 * cold flats). A report linked to the open incident is answered with what is known instead of
 * the usual filed message ("the station is being repaired, heat expected back by 16:00"); a resident of an affected
 * community who asks when the heat comes back, or presses, is told the incident's state rather
 * than the FAQ's season dates or a chase of one household's ticket; and the heat-back notice's
 * "is your heating back?" buttons go on to the rating, or reopen (or file) the resident's report.
 */
import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import type { Core } from '../../../core/context.js';
import { answerRestoreCheck, type RestoreCheckOutcome } from '../../../core/incidents/answer-restore-check.js';
import { openIncidentFor } from '../../../core/incidents/open-incident-for.js';
import { isAppError } from '../../../core/errors.js';
import type { Incident, Resident, Ticket } from '../../../core/model.js';
import { listOwnTickets } from '../../../core/residents/list-own-tickets.js';
import { filedReplyKey } from '../../../core/tickets/create-ticket.js';
import { incidentReplyKey } from '../../../core/incidents/incident-messages.js';
import type { BotContext, BotDeps } from '../context.js';
import { incidentStatusReply, linkedReply } from '../incident-deliveries.js';
import { askFor, dropButtons, replyLong } from '../replies.js';
import { branchName, dueLines, filedReply } from '../render.js';

/** Open tickets read to find the one linked to the incident (a resident has a handful at most). */
const OWN_OPEN_READ = 10;

/** The open incident covering where the resident lives (their account's community, or the one they gave), if any. */
export async function incidentOf(core: Core, resident: Pick<Resident, 'customerId' | 'communityId'>): Promise<Incident | null> {
  const communityId = resident.customerId ? ((await core.stores.customers.byId(resident.customerId))?.communityId ?? null) : resident.communityId;
  return communityId ? openIncidentFor(core, communityId) : null;
}

/**
 * Says `text` in the chat and marks the same answer, owed through the outbox in reserve, as
 * delivered; when Telegram refuses it, the outbox sends it at once instead (as a filed report's
 * number is, see filing.ts).
 */
async function replyOwed(ctx: BotContext, deps: BotDeps, text: string, key: string, replyTo?: number): Promise<void> {
  const { core } = deps;
  try {
    await replyLong(ctx, text, { reply_to: replyTo });
  } catch (e) {
    deps.log.warn({ key, err: (e as Error).message }, 'telegram refused an answer owed in reserve: it goes by the outbox');
    await core.stores.outbox.dueNow(key, core.clock.now());
    deps.kick?.();
    return;
  }
  await core.stores.outbox.deliveredElsewhere(key, core.clock.now());
}

/**
 * The answer to a report that was linked to an open incident: what is known, the ticket's
 * number, no need to report again. The answer owed in reserve (incident_reply) is then marked
 * delivered; a reserve of the usual filed message, if one was owed too, goes with it.
 */
export async function confirmLinked(ctx: BotContext, deps: BotDeps, ticket: Ticket, replyTo?: number): Promise<void> {
  const { core } = deps;
  const incident = ticket.incidentId ? await core.stores.incidents.byId(ticket.incidentId) : null;
  if (!incident) {
    await replyOwed(ctx, deps, filedReply(core.org, ticket, ctx.locale, core.clock.now()), filedReplyKey(ticket.id), replyTo);
    return;
  }
  await replyOwed(ctx, deps, linkedReply(core.org, incident, ticket, ctx.locale, core.clock.now()), incidentReplyKey(ticket.id), replyTo);
}

/** The resident's open report linked to this incident, if any. */
async function linkedOpenTicket(core: Core, ctx: BotContext, incident: Incident, open?: Ticket[]): Promise<Ticket | null> {
  const own = open ?? (await listOwnTickets(core, ctx.resident, { open: true, limit: OWN_OPEN_READ }));
  return own.find((t) => t.incidentId === incident.id) ?? null;
}

/** What the intake and the report proposal ask of this feature. */
export interface IncidentAnswers {
  /**
   * A question about the heat that states no fault ("when does the heat come back?") while an
   * incident covers the resident: its state, true; otherwise nothing is said, false.
   */
  answerHeatQuestion(ctx: BotContext, messageId: number): Promise<boolean>;
  /**
   * A resident pressing ("why is it still not warm?") while an incident covers them: its state, true (their
   * linked report is not chased on its own: the whole repair is). `open`: their open tickets.
   * Not covered, or pressing about another open ticket: false, nothing said. `hint`: without a
   * linked report, say how to report (false when the caller proposes a report next).
   */
  answerUrging(ctx: BotContext, messageId: number, open: Ticket[], hint: boolean): Promise<{ told: boolean; incident: Incident | null }>;
}

export function incidentAnswers(deps: BotDeps): IncidentAnswers {
  const { core } = deps;
  const reply = (ctx: BotContext, text: string, messageId: number) => replyLong(ctx, text, { reply_to: messageId }).then(() => undefined);

  return {
    async answerHeatQuestion(ctx, messageId) {
      const incident = await incidentOf(core, ctx.resident);
      if (!incident) return false;
      const linked = await linkedOpenTicket(core, ctx, incident);
      await reply(ctx, incidentStatusReply(core.org, incident, linked, ctx.locale, core.clock.now(), true), messageId);
      return true;
    },
    async answerUrging(ctx, messageId, open, hint) {
      const incident = await incidentOf(core, ctx.resident);
      if (!incident) return { told: false, incident: null };
      // their newest open ticket is what they press about: an ordinary one (a leak, say) is chased
      // as usual, with the incident's state beside it
      if (open.length && open[0].incidentId !== incident.id) return { told: false, incident };
      const linked = open[0] ?? null;
      await reply(ctx, incidentStatusReply(core.org, incident, linked, ctx.locale, core.clock.now(), hint), messageId);
      return { told: true, incident };
    },
  };
}

/** "Is your heating back?" under the heat-back notice: [back] [still cold]. */
export function incidentFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { core } = deps;

  c.callbackQuery(/^ir:(\d+):([hc])$/, async (ctx) => {
    const notice = ctx.callbackQuery.message as Message | undefined;
    let r: RestoreCheckOutcome;
    try {
      r = await answerRestoreCheck(core, {
        incidentId: Number(ctx.match[1]),
        residentId: ctx.resident.id,
        chatId: String(ctx.chat!.id),
        back: ctx.match[2] === 'h',
        coldReason: ctx.t('incident.check.cold_reason'),
        locale: ctx.locale,
        replyTo: notice?.message_id,
      });
    } catch (e) {
      // One polite answer for a button that does nothing (answered already, an old notice, an id
      // that names nothing): telling them apart would let a button probe which incidents exist.
      if (isAppError(e, 'already_answered') || isAppError(e, 'not_found') || isAppError(e, 'not_your_ticket'))
        return void (await ctx.answerCallbackQuery({ text: ctx.t('incident.check.inactive') }));
      if (isAppError(e, 'invalid_transition')) return void (await ctx.answerCallbackQuery({ text: ctx.t('incident.check.not_restored') }));
      throw e;
    }
    deps.kick?.();
    const question = notice && 'text' in notice ? notice.text : '';
    const mark = async (note: string) => {
      try {
        await ctx.editMessageText(question ? `${question}\n\n${note}` : note);
      } catch {
        await dropButtons(ctx).catch(() => undefined);
      }
    };
    const now = core.clock.now();
    switch (r.outcome) {
      case 'thanked':
        await ctx.answerCallbackQuery({ text: ctx.t('incident.check.thanks') });
        await mark(`${ctx.t('incident.check.hot')} ${ctx.t('incident.check.thanks')}`);
        return;
      case 'phone':
        await ctx.answerCallbackQuery({ text: ctx.t('incident.check.thanks') });
        await mark(`${ctx.t('incident.check.hot')} ${ctx.t('incident.check.phone_next', { hotline: core.org.config.company.hotline })}`);
        return;
      case 'rating':
        // the rating question comes through the outbox (ask-rating.ts): a refused reply or a restart cannot lose it
        await ctx.answerCallbackQuery({ text: ctx.t('incident.check.thanks') });
        await mark(`${ctx.t('incident.check.hot')} ${ctx.t('incident.check.rating_next')}`);
        return;
      case 'reopened': {
        await ctx.answerCallbackQuery({ text: ctx.t('rating.thanks') });
        const branch = branchName(core.org, r.ticket.branchId, ctx.locale);
        await mark([ctx.t('incident.check.reopened', { number: r.ticket.number, branch }), ...dueLines(r.ticket, ctx.locale, now)].join('\n'));
        await askFor(ctx, 'comment', { number: r.ticket.number }, 'rating.comment_placeholder');
        return;
      }
      case 'filed':
        await ctx.answerCallbackQuery({ text: ctx.t('rating.thanks') });
        await mark(ctx.t('incident.check.filed', { number: r.ticket.number }));
        await replyOwed(ctx, deps, filedReply(core.org, r.ticket, ctx.locale, now), filedReplyKey(r.ticket.id));
        return;
    }
  });

  return c;
}
