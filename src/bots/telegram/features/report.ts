/**
 * Reporting a problem: by taps (/report, the menu button, a category) or in one sentence. A
 * sentence is classified and the bot proposes kind and category with buttons; a leak is filed
 * at once as urgent (R8j) with the emergency hotline. The proposal replies to the resident's
 * message, so a tap on "submit" reads the draft (text and photo) back from that message: no
 * conversation state is kept between the two updates.
 */
import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import type { Category, TicketKind } from '../../../core/domain.js';
import { isAppError } from '../../../core/errors.js';
import type { Ticket } from '../../../core/model.js';
import { attachResidentPhoto } from '../../../core/residents/attach-resident-photo.js';
import { residentHasAddress } from '../../../core/residents/file-resident-report.js';
import { Buttons, cb, parseCategory, parseKind } from '../callback-data.js';
import type { BotContext, BotDeps } from '../context.js';
import { faqAnswer, matchFaq } from '../faq.js';
import { answers, answerText } from '../prompt-filter.js';
import { askFor, dropButtons, labels, onceKey, photoFileId, replyLong } from '../replies.js';
import { categoryLabel, kindLabel } from '../render.js';
import { categoryFromLabel, fileOnce, fileOrAskAddress, type Draft } from './filing.js';

/** The problems a resident can pick by tap, most common first. */
const COMPLAINT_CATEGORIES: Category[] = ['no_heat', 'leak', 'noise_pressure', 'billing', 'staff_conduct', 'other'];

/** The report commands and buttons, and the intake of plain messages (mounted last: it takes any text). */
export function reportFeatures(deps: BotDeps): { report: Composer<BotContext>; intake: Composer<BotContext> } {
  const c = new Composer<BotContext>();
  const intake = new Composer<BotContext>();
  const { core, classifier } = deps;
  const communities = core.org.config.communities;

  function classify(text: string) {
    return classifier.classify(text, { communities });
  }

  /** Severity and scope for a chosen category: the classifier's when it agrees, and a leak is always urgent. */
  function draftFor(
    kind: TicketKind,
    category: Category,
    text: string,
    fallbackDescription: string,
    photos: string[],
    replyTo?: number,
    known?: ReturnType<typeof classify>,
  ): Draft {
    const cls = known ?? (text.trim() ? classify(text) : undefined);
    const agrees = cls && cls.category === category;
    return {
      kind,
      category,
      severity: kind !== 'complaint' ? 'normal' : category === 'leak' ? (cls?.severity === 'major' ? 'major' : 'urgent') : agrees ? cls.severity : 'normal',
      scope: cls?.scope,
      description: text.trim() || fallbackDescription,
      photos,
      replyTo,
    };
  }

  /** A nicety after the work is done (a toast, removing buttons): its failure is logged, not the resident's problem. */
  async function quietly(p: Promise<unknown>): Promise<void> {
    await p.catch((e: unknown) => deps.log.warn({ err: (e as Error).message }, 'telegram nicety failed after a report was filed'));
  }

  /**
   * Files a tapped draft once per button (`key`). The tap is answered before the filing, so the
   * phone stops spinning at once: the one outcome a toast tells, a draft filed already (a second
   * tap), is known from the key beforehand. The message with the buttons then becomes the
   * receipt (what was filed and its number), or just loses its buttons when the flat is asked
   * for first.
   */
  async function fileTapped(ctx: BotContext, draft: Draft, key: string): Promise<void> {
    if (await core.stores.receipts.seen(key)) return void (await ctx.answerCallbackQuery({ text: ctx.t('report.already_filed') }));
    await quietly(ctx.answerCallbackQuery());
    let ticket: Ticket | null;
    try {
      ticket = await fileOrAskAddress(ctx, deps, { ...draft, onceKey: key });
    } catch (e) {
      if (!isAppError(e, 'already_filed')) throw e;
      // filed by a tap handled elsewhere meanwhile; the toast is spent, so it is said in the chat
      return void (await ctx.reply(ctx.t('report.already_filed')));
    }
    await quietly(ticket ? editIntoReceipt(ctx, ticket) : dropButtons(ctx));
  }

  /** The tapped message, now without buttons, says what was filed: 已提交：漏水 · 工单 T…. */
  function editIntoReceipt(ctx: BotContext, ticket: Ticket) {
    const what = ticket.kind === 'complaint' ? categoryLabel(ctx.locale, ticket.category) : kindLabel(ctx.locale, ticket.kind);
    return ctx.editMessageText(ctx.t('conventions.receipt', { what, number: ticket.number }), { reply_markup: { inline_keyboard: [] } });
  }

  function categoryMenu(ctx: BotContext, data: (c: Category) => string): Buttons {
    const k = new Buttons();
    COMPLAINT_CATEGORIES.forEach((cat, i) => {
      k.button(categoryLabel(ctx.locale, cat), data(cat));
      if (i % 2 === 1) k.row();
    });
    return k;
  }

  function allChoices(ctx: BotContext): Buttons {
    return categoryMenu(ctx, (cat) => cb.reportOk('complaint', cat))
      .row()
      .button(ctx.t('report.choice_suggestion'), cb.reportOk('suggestion', 'other'))
      .button(ctx.t('report.choice_question'), cb.reportOk('consultation', 'other'))
      .row()
      .button(ctx.t('report.cancel'), cb.reportCancel);
  }

  function addressLine(ctx: BotContext): string {
    const r = ctx.resident;
    return residentHasAddress(r) && r.address ? r.address : ctx.t('report.address_unknown');
  }

  /** A sentence (and maybe a photo): leak → filed now; a clear case → proposed; unsure → every choice. */
  async function propose(ctx: BotContext, text: string, photos: string[], messageId: number) {
    const cls = classify(text);
    if (cls.category === 'leak') {
      await fileOrAskAddress(ctx, deps, draftFor('complaint', 'leak', text, '', photos, messageId, cls));
      return;
    }
    const faq = cls.kind === 'consultation' ? matchFaq(text) : null;
    if (faq) {
      await replyLong(ctx, faqAnswer(core.org, faq, ctx.locale), { reply_to: messageId, reply_markup: new Buttons().button(ctx.t('ask.more'), cb.askCentre) });
      return;
    }
    if (cls.needsChoice) {
      await ctx.reply(ctx.t('report.proposal_unsure'), { reply_parameters: { message_id: messageId }, reply_markup: allChoices(ctx) });
      return;
    }
    const withAddress = cls.kind === 'complaint' || cls.kind === 'paid_service';
    const text2 = ctx.t(withAddress ? 'report.proposal' : 'report.proposal_no_address', {
      kind: kindLabel(ctx.locale, cls.kind),
      category: categoryLabel(ctx.locale, cls.category),
      address: addressLine(ctx),
    });
    const k = new Buttons()
      .button(ctx.t('report.submit'), cb.reportOk(cls.kind, cls.category))
      .row()
      .button(ctx.t('report.change'), cb.reportPick)
      .button(ctx.t('report.cancel'), cb.reportCancel);
    await ctx.reply(text2, { reply_parameters: { message_id: messageId }, reply_markup: k });
  }

  async function showMenu(ctx: BotContext) {
    await ctx.reply(ctx.t('report.menu'), { reply_markup: categoryMenu(ctx, cb.reportNew) });
  }

  c.command('report', async (ctx) => {
    const text = ctx.match.trim();
    if (text) return propose(ctx, text, [], ctx.msg.message_id);
    await showMenu(ctx);
  });
  c.hears(labels('menu.report'), showMenu);

  // A category from the menu: a leak is filed at once; otherwise "submit as is" or describe it.
  c.callbackQuery(/^rn:(\w+)$/, async (ctx) => {
    const category = parseCategory(ctx.match[1]);
    if (!category) return void (await ctx.answerCallbackQuery());
    const label = categoryLabel(ctx.locale, category);
    if (category === 'leak') {
      const draft = draftFor('complaint', 'leak', '', ctx.t('report.tap_description', { category: label }), []);
      return fileTapped(ctx, draft, onceKey(ctx, 'menu', ctx.callbackQuery.message?.message_id));
    }
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t('report.chosen', { category: label }), {
      reply_markup: new Buttons().button(ctx.t('report.submit_now'), cb.reportNow(category)).button(ctx.t('report.cancel'), cb.reportCancel),
    });
    await askFor(ctx, 'describe', { category: label }, 'report.describe_placeholder');
  });

  c.callbackQuery(/^rs:(\w+)$/, async (ctx) => {
    const category = parseCategory(ctx.match[1]);
    if (!category) return void (await ctx.answerCallbackQuery());
    const draft = draftFor('complaint', category, '', ctx.t('report.tap_description', { category: categoryLabel(ctx.locale, category) }), []);
    await fileTapped(ctx, draft, onceKey(ctx, 'menu', ctx.callbackQuery.message?.message_id));
  });

  // The answer to "describe it": filed with the category the resident tapped.
  c.filter(answers('describe'), async (ctx) => {
    const category = categoryFromLabel(ctx.prompt.vars.category) ?? 'other';
    const text = answerText(ctx);
    const leak = classify(text).category === 'leak';
    const photo = photoFileId(ctx.message);
    const draft = draftFor(
      'complaint',
      leak ? 'leak' : category,
      text,
      ctx.t('report.photo_description', { category: categoryLabel(ctx.locale, category) }),
      photo ? [photo] : [],
      ctx.msg?.message_id,
    );
    if (!(await fileOnce(ctx, deps, draft, onceKey(ctx, 'describe', ctx.message?.reply_to_message?.message_id))))
      await ctx.reply(ctx.t('report.already_filed'));
  });

  // "Submit" on a proposal: the draft is the message the proposal replies to; the proposal
  // becomes the receipt. The toast and the receipt are niceties that must not cost the report.
  c.callbackQuery(/^ro:(\w+):(\w+)$/, async (ctx) => {
    const kind = parseKind(ctx.match[1]);
    const category = parseCategory(ctx.match[2]);
    const proposal = ctx.callbackQuery.message as Message | undefined;
    const source = proposal?.reply_to_message;
    if (!kind || !category || !source) {
      await ctx.answerCallbackQuery({ text: ctx.t('report.draft_gone'), show_alert: true });
      return;
    }
    const text = (source.text ?? source.caption ?? '').replace(/^\/report(@\w+)?\s*/, '');
    const photo = photoFileId(source);
    const label = categoryLabel(ctx.locale, category);
    const fallback = ctx.t(photo ? 'report.photo_description' : 'report.tap_description', { category: label });
    const draft = draftFor(kind, category, text, fallback, photo ? [photo] : [], source.message_id);
    await fileTapped(ctx, draft, onceKey(ctx, 'proposal', proposal.message_id));
  });

  c.callbackQuery(cb.reportPick, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t('report.proposal_unsure'), { reply_markup: allChoices(ctx) });
  });

  c.callbackQuery(cb.reportCancel, async (ctx) => {
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(ctx.t('report.cancelled'));
  });

  // Plain words: the commonest way in. Unknown commands get the help instead of a ticket.
  intake.on('message:text', async (ctx) => {
    const text = ctx.message.text;
    if (text.startsWith('/')) return void (await ctx.reply(ctx.t('unknown_command')));
    await propose(ctx, text, [], ctx.message.message_id);
  });

  // A photo with a caption is a report; a bare photo joins the report just filed, or asks what it shows.
  intake.on('message:photo', async (ctx) => {
    const fileId = photoFileId(ctx.message)!;
    const caption = ctx.message.caption?.trim();
    if (caption) return propose(ctx, caption, [fileId], ctx.message.message_id);
    const number = await attachResidentPhoto(core, { residentId: ctx.resident.id, fileId });
    if (number) return void (await ctx.reply(ctx.t('report.photo_added', { number })));
    await ctx.reply(ctx.t('report.photo_what'), {
      reply_parameters: { message_id: ctx.message.message_id },
      reply_markup: categoryMenu(ctx, (cat) => cb.reportOk('complaint', cat))
        .row()
        .button(ctx.t('report.cancel'), cb.reportCancel),
    });
  });

  return { report: c, intake };
}
