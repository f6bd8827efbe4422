/**
 * The intake of plain messages, mounted last: whatever no command, button or pending question
 * took. Small talk is answered as such (core/classify/read-intent.ts); a resident pressing for
 * their ticket is told where it is and the ticket is chased (urge-ticket.ts); while a ticket is
 * open, words, photos, albums, voice, locations and edits join it as follow-ups, and only a
 * message that is clearly about something else (or a resident with several open tickets) is
 * asked "add to T... / new problem". A leak no open ticket is about is never held by that
 * question (R8j): it is proposed, which files it at once. Without an open ticket, words and
 * captioned photos go to the report proposal (report.ts).
 */
import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import { readIntent } from '../../../core/classify/read-intent.js';
import type { Ticket } from '../../../core/model.js';
import { nearestCommunity } from '../../../core/org/nearest-community.js';
import { addFollowUp, type FollowUp, type FollowUpAdded } from '../../../core/residents/add-follow-up.js';
import { listOwnTickets } from '../../../core/residents/list-own-tickets.js';
import { urgeTicket } from '../../../core/residents/urge-ticket.js';
import { Buttons, cb } from '../callback-data.js';
import type { Incident } from '../../../core/model.js';
import { incidentStateLines } from '../incident-deliveries.js';
import { incidentAnswers } from './incident.js';
import type { TextClassification } from '../classifier.js';
import type { BotContext, BotDeps } from '../context.js';
import { dropButtons, firstAction, mainMenu, photoFileId } from '../replies.js';
import { branchName, categoryLabel, deadlineLines, staffWithBadge, statusLabel } from '../render.js';

/** A different category with at least this confidence is "clearly something else": ask before adding. */
export const OTHER_PROBLEM_CONFIDENCE = 0.8;
/** Open tickets offered as buttons when the resident has several. */
const TICKET_BUTTONS = 4;
/** Albums without an open ticket, answered once: ids remembered this long (one album arrives within seconds). */
const ALBUM_MEMORY_MS = 60_000;

/** What the intake takes from the report feature (report.ts owns the proposal). */
export interface ReportHooks {
  propose(ctx: BotContext, text: string, photos: string[], messageId: number): Promise<void>;
  /** a bare photo with nothing open to join: which problem does it show? */
  askWhatPhotoShows(ctx: BotContext, messageId: number): Promise<void>;
  /** a question the price list or the FAQ answers: answered (true), else nothing said */
  answerQuestion(ctx: BotContext, text: string, messageId: number): Promise<boolean>;
}

export function intakeFeature(deps: BotDeps, report: ReportHooks): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { core, classifier } = deps;
  const company = core.org.config.company;
  const albumsSeen = new Map<string, number>();
  const incidents = incidentAnswers(deps);

  const classify = (text: string) => classifier.classify(text, { communities: core.org.config.communities });
  const openTickets = (ctx: BotContext): Promise<Ticket[]> => listOwnTickets(core, ctx.resident, { open: true, limit: TICKET_BUTTONS + 1 });
  const menu = (ctx: BotContext) => mainMenu(ctx.locale, ctx.resident.customerId !== null);

  /** True the first time an album (with no ticket to join) is seen by this process. */
  function firstOfAlbumHere(id: string): boolean {
    const now = Date.now();
    for (const [k, at] of albumsSeen) if (now - at > ALBUM_MEMORY_MS) albumsSeen.delete(k);
    if (albumsSeen.has(id)) return false;
    albumsSeen.set(id, now);
    return true;
  }

  async function add(ctx: BotContext, f: Omit<FollowUp, 'residentId'>): Promise<FollowUpAdded> {
    const added = await addFollowUp(core, { residentId: ctx.resident.id, ...f });
    deps.kick?.();
    return added;
  }

  /**
   * Whether to ask "add to T... / new problem" before adding words to the open ticket: several
   * open tickets, or words the classifier is sure are about another category.
   */
  function unclearWhere(open: Ticket[], cls: TextClassification | undefined): boolean {
    if (open.length > 1) return true;
    if (!cls) return false;
    return !cls.needsChoice && cls.category !== 'other' && cls.category !== open[0].category && (cls.confidence?.category ?? 0) >= OTHER_PROBLEM_CONFIDENCE;
  }

  async function askWhere(ctx: BotContext, open: Ticket[], messageId: number) {
    const k = new Buttons();
    for (const t of open.slice(0, TICKET_BUTTONS)) k.button(ctx.t('followup.to_ticket', { number: t.number }), cb.followUp(t.number)).row();
    k.button(ctx.t('followup.new_problem'), cb.followUpNew);
    const question =
      open.length > 1
        ? ctx.t('followup.which_several')
        : ctx.t('followup.which', { number: open[0].number, category: categoryLabel(ctx.locale, open[0].category) });
    await ctx.reply(question, { reply_parameters: { message_id: messageId, allow_sending_without_reply: true }, reply_markup: k });
  }

  /**
   * Where the ticket is, who is coming and by when; then that it was chased (or was, a moment
   * ago); and the state of an incident over the resident's community, when one is open.
   */
  async function urge(ctx: BotContext, ticket: Ticket, text: string, incident: Incident | null) {
    const urged = await urgeTicket(core, { residentId: ctx.resident.id, number: ticket.number, text });
    deps.kick?.();
    const t = urged.ticket;
    const staff = staffWithBadge(core.org, t.assigneeId, ctx.locale);
    const lines = [
      ctx.t('followup.urge_status', { number: t.number, category: categoryLabel(ctx.locale, t.category), status: statusLabel(ctx.locale, t.status) }),
      staff
        ? ctx.t('followup.urge_who', { staff })
        : t.branchId
          ? ctx.t('followup.urge_branch', { branch: branchName(core.org, t.branchId, ctx.locale) })
          : ctx.t('followup.urge_centre'),
      ...deadlineLines(t, ctx.locale, core.clock.now()),
      '',
      urged.paged ? ctx.t('followup.urged') : ctx.t('followup.urged_recently', { emergencyHotline: company.emergencyHotline }),
      ...(incident ? ['', ...incidentStateLines(core.org, incident, ctx.locale, core.clock.now())] : []),
    ];
    await ctx.reply(lines.join('\n'), { reply_parameters: { message_id: ctx.msg!.message_id, allow_sending_without_reply: true } });
  }

  /** Plain words: small talk, urging, a follow-up on the open ticket, or a new report. */
  async function words(ctx: BotContext, text: string, messageId: number) {
    const intent = readIntent(text);
    if (intent?.intent === 'greeting')
      return void (await ctx.reply(ctx.t('smalltalk.greeting', { company: ctx.locale === 'en' ? (company.nameEn ?? company.name) : company.name }), {
        reply_markup: menu(ctx),
      }));
    if (intent?.intent === 'thanks') return void (await ctx.reply(ctx.t('smalltalk.thanks')));
    if (intent?.intent === 'unclear') return void (await ctx.reply(ctx.t('smalltalk.unclear', { hotline: company.hotline }), { reply_markup: menu(ctx) }));
    const open = await openTickets(ctx);
    if (intent?.intent === 'urge') {
      // an incident over their community: its state, not a chase of one household's report
      const { told, incident } = await incidents.answerUrging(ctx, messageId, open, !intent.problem);
      if (told) return !open.length && intent.problem ? report.propose(ctx, text, [], messageId) : undefined;
      if (open.length) return urge(ctx, open[0], text, incident);
      if (!intent.problem) return void (await ctx.reply(ctx.t('followup.none_open'), { reply_markup: menu(ctx) }));
      return report.propose(ctx, text, [], messageId);
    }
    if (!open.length) return report.propose(ctx, text, [], messageId);
    // A leak joins an open leak ticket (the water is still running); with none, it is never held by a question (R8j).
    const cls = classify(text);
    if (cls.category === 'leak') {
      const leakTicket = open.find((t) => t.category === 'leak');
      if (!leakTicket) return report.propose(ctx, text, [], messageId);
      const added = await add(ctx, { number: leakTicket.number, text });
      return void (await ctx.reply(ctx.t('followup.added', { number: added.number }), {
        reply_parameters: { message_id: messageId, allow_sending_without_reply: true },
      }));
    }
    // "When does the heating season start?" asked with a ticket open is still a question, not a note on it
    if (await report.answerQuestion(ctx, text, messageId)) return;
    if (unclearWhere(open, cls)) return askWhere(ctx, open, messageId);
    const added = await add(ctx, { number: open[0].number, text });
    await ctx.reply(ctx.t('followup.added', { number: added.number }), { reply_parameters: { message_id: messageId, allow_sending_without_reply: true } });
  }

  // Unknown commands get the help instead of a ticket.
  c.on('message:text', async (ctx) => {
    const text = ctx.message.text;
    if (text.startsWith('/')) return void (await ctx.reply(ctx.t('unknown_command')));
    await words(ctx, text, ctx.message.message_id);
  });

  // A photo (one of an album, maybe): joins the open ticket; otherwise a captioned one is a report,
  // a bare one asks what it shows. An album gets one answer.
  c.on('message:photo', async (ctx) => {
    const msg = ctx.message;
    const fileId = photoFileId(msg)!;
    const caption = msg.caption?.trim();
    const album = msg.media_group_id;
    const open = await openTickets(ctx);
    if (!open.length) {
      if (album && !firstOfAlbumHere(album)) return;
      if (caption) return report.propose(ctx, caption, [fileId], msg.message_id);
      return report.askWhatPhotoShows(ctx, msg.message_id);
    }
    if (!album && unclearWhere(open, caption ? classify(caption) : undefined)) return askWhere(ctx, open, msg.message_id);
    const added = await add(ctx, { number: open[0].number, text: caption, media: { kind: 'photo', fileId }, album });
    if (added.firstOfAlbum)
      await ctx.reply(ctx.t('report.photo_added', { number: added.number }), {
        reply_parameters: { message_id: msg.message_id, allow_sending_without_reply: true },
      });
  });

  // Voice, audio and round videos join the open ticket; without one, robustness.ts asks to type or call.
  c.on(['message:voice', 'message:audio', 'message:video_note'], async (ctx, next) => {
    const msg = ctx.message;
    const media = msg.voice ?? msg.audio ?? msg.video_note;
    const open = media ? await openTickets(ctx) : [];
    if (!media || !open.length) return next();
    const kind = msg.voice ? 'voice' : msg.audio ? 'audio' : 'video_note';
    const added = await add(ctx, { number: open[0].number, text: msg.caption, media: { kind, fileId: media.file_id, duration: media.duration } });
    await ctx.reply(ctx.t('followup.voice_added', { number: added.number }), {
      reply_parameters: { message_id: msg.message_id, allow_sending_without_reply: true },
    });
  });

  // A shared location: joins the open ticket with the nearest community; otherwise says which community is near.
  c.on('message:location', async (ctx) => {
    const { latitude: lat, longitude: lon } = ctx.message.location;
    const open = await openTickets(ctx);
    const lines: string[] = [];
    let community: string | undefined;
    if (open.length) {
      const added = await add(ctx, { number: open[0].number, media: { kind: 'location', lat, lon } });
      lines.push(ctx.t('followup.location_added', { number: added.number }));
      community = added.community?.name;
    } else {
      lines.push(ctx.t('followup.location_no_ticket'));
      community = nearestCommunity(core.org, { lat, lon })?.name;
    }
    if (community) lines.push(ctx.t('followup.location_near', { community }));
    await ctx.reply(lines.join('\n'), { reply_parameters: { message_id: ctx.message.message_id, allow_sending_without_reply: true } });
  });

  // An edit while a ticket is open joins it as what the resident says now; otherwise robustness.ts explains.
  c.on('edited_message', async (ctx, next) => {
    const msg = ctx.editedMessage;
    const text = (msg.text ?? msg.caption)?.trim();
    const open = text ? await openTickets(ctx) : [];
    if (!text || !open.length) return next();
    const added = await add(ctx, { number: open[0].number, text: ctx.t('followup.edited_note', { text }), edited: true });
    await ctx.reply(ctx.t('followup.edit_added', { number: added.number }), {
      reply_parameters: { message_id: msg.message_id, allow_sending_without_reply: true },
    });
  });

  // "Add to T...": the message the question replies to joins that ticket, once however often it is tapped.
  c.callbackQuery(/^fu:([A-Z]\d{8}-\d+)$/, async (ctx) => {
    const question = ctx.callbackQuery.message as Message | undefined;
    const source = question?.reply_to_message;
    if (!question || !source) return void (await ctx.answerCallbackQuery({ text: ctx.t('followup.gone'), show_alert: true }));
    if (!(await firstAction(core, ctx, 'followup', question.message_id))) return void (await ctx.answerCallbackQuery({ text: ctx.t('report.already_filed') }));
    await ctx.answerCallbackQuery();
    const photo = photoFileId(source);
    const added = await add(ctx, { number: ctx.match[1], text: source.text ?? source.caption, ...(photo ? { media: { kind: 'photo', fileId: photo } } : {}) });
    await ctx.editMessageText(ctx.t(photo ? 'report.photo_added' : 'followup.added', { number: added.number }), { reply_markup: { inline_keyboard: [] } });
  });

  // "New problem": the message the question replies to is proposed as a report of its own.
  c.callbackQuery(cb.followUpNew, async (ctx) => {
    const question = ctx.callbackQuery.message as Message | undefined;
    const source = question?.reply_to_message;
    const text = source?.text ?? source?.caption ?? '';
    const photo = photoFileId(source);
    if (!source || (!text.trim() && !photo)) return void (await ctx.answerCallbackQuery({ text: ctx.t('followup.gone'), show_alert: true }));
    await ctx.answerCallbackQuery();
    await dropButtons(ctx);
    if (text.trim()) await report.propose(ctx, text, photo ? [photo] : [], source.message_id);
    else await report.askWhatPhotoShows(ctx, source.message_id);
  });

  return c;
}
