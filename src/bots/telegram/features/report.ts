/**
 * Reporting a problem: by taps (/report, the menu button, a category) or in one sentence. A
 * sentence is classified and the bot proposes kind and category with buttons; a leak is filed
 * at once as urgent (R8j) with the emergency hotline. The proposal replies to the resident's
 * message, so a tap on "submit" reads the draft (text and photo) back from that message: no
 * conversation state is kept between the two updates.
 */
import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import { CONFIDENCE_THRESHOLD } from '../../../core/classify/create-classifier.js';
import { problemParts } from '../../../core/classify/problem-parts.js';
import { takesFaq } from '../../../core/classify/score-faq.js';
import { splitProblems } from '../../../core/classify/split-problems.js';
import { statesFault } from '../../../core/classify/states-fault.js';
import type { Category, TicketKind } from '../../../core/domain.js';
import { isAppError } from '../../../core/errors.js';
import type { Ticket } from '../../../core/model.js';
import { residentHasAddress } from '../../../core/residents/file-resident-report.js';
import { Buttons, cb, parseCategory, parseKind } from '../callback-data.js';
import type { BotContext, BotDeps } from '../context.js';
import { faqAnswer, scoreFaqQuestion } from '../faq.js';
import { answers, answerText } from '../prompt-filter.js';
import { askFor, dropButtons, labels, onceKey, photoFileId, replyLong } from '../replies.js';
import { categoryLabel, kindLabel } from '../render.js';
import { categoryFromLabel, fileOnce, fileOrAskAddress, type Draft } from './filing.js';
import type { ReportHooks } from './intake.js';
import { incidentAnswers } from './incident.js';
import { answerPriceQuestion, residentBranch } from './prices.js';

/** The categories of a fault in the home: stated as a fact, they make a message a repair. */
const REPAIR_CATEGORIES: Category[] = ['no_heat', 'leak', 'noise_pressure'];

/** The problems a resident can pick by tap, most common first. */
const COMPLAINT_CATEGORIES: Category[] = ['no_heat', 'leak', 'noise_pressure', 'billing', 'staff_conduct', 'other'];

/** The report commands and buttons; `propose` and `askWhatPhotoShows` for the intake of plain messages (intake.ts). */
export function reportFeatures(deps: BotDeps): { report: Composer<BotContext> } & ReportHooks {
  const c = new Composer<BotContext>();
  const { core, classifier } = deps;
  const communities = core.org.config.communities;
  const incidents = incidentAnswers(deps);

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

  /** The tapped message, now without buttons, says what was filed and its number (conventions.receipt). */
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

  /**
   * A sentence (and maybe a photo). Several problems in it → offered as separate tickets (a leak
   * among them filed now); a leak → filed now; a price question → the matching price lines; a
   * question the FAQ covers well enough → its answer; a clear case → proposed; unsure → every
   * choice. A stated fault ("the radiator is cold, when will it be fixed") is never taken by the FAQ and is a repair.
   */
  async function propose(ctx: BotContext, text: string, photos: string[], messageId: number) {
    if (!photos.length && (await offerSeveral(ctx, text, messageId))) return;
    const cls = classify(text);
    if (cls.category === 'leak') {
      await fileOrAskAddress(ctx, deps, draftFor('complaint', 'leak', text, '', photos, messageId, cls));
      return;
    }
    const faultStated = statesFault(text);
    if (!photos.length && (await answerQuestion(ctx, text, messageId, cls))) return;
    // A cold, leaking or noisy home is a repair, however the resident put it.
    const repair = faultStated && REPAIR_CATEGORIES.includes(cls.category);
    const kind = repair ? 'complaint' : cls.kind;
    if (cls.needsChoice && !(repair && (cls.confidence?.category ?? 0) >= CONFIDENCE_THRESHOLD)) {
      await ctx.reply(ctx.t('report.proposal_unsure'), { reply_parameters: { message_id: messageId }, reply_markup: allChoices(ctx) });
      return;
    }
    const withAddress = kind === 'complaint' || kind === 'paid_service';
    const text2 = ctx.t(withAddress ? 'report.proposal' : 'report.proposal_no_address', {
      kind: kindLabel(ctx.locale, kind),
      category: categoryLabel(ctx.locale, cls.category),
      address: addressLine(ctx),
    });
    const k = new Buttons()
      .button(ctx.t('report.submit'), cb.reportOk(kind, cls.category))
      .row()
      .button(ctx.t('report.change'), cb.reportPick)
      .button(ctx.t('report.cancel'), cb.reportCancel);
    await ctx.reply(text2, { reply_parameters: { message_id: messageId }, reply_markup: k });
  }

  /**
   * A question the price list or the FAQ answers well enough (never a stated fault): answered
   * with the booking or "still need help" button, true; otherwise nothing is said, false. While
   * an incident covers the resident, a question about the heat gets the repair's state instead
   * (the FAQ would give the season's dates).
   */
  async function answerQuestion(ctx: BotContext, text: string, messageId: number, cls = classify(text)): Promise<boolean> {
    if (statesFault(text)) return false;
    if (cls.category === 'no_heat' && (await incidents.answerHeatQuestion(ctx, messageId))) return true;
    if (await answerPriceQuestion(ctx, deps, text, messageId, cls.kind === 'paid_service')) return true;
    const faq = scoreFaqQuestion(text);
    if (!faq || !takesFaq({ faqScore: faq.score, faultStated: false, kind: cls.kind, kindConfidence: cls.confidence?.kind ?? 1 })) return false;
    await replyLong(ctx, faqAnswer(core.org, faq.id, ctx.locale, residentBranch(core, ctx)), {
      reply_to: messageId,
      reply_markup: new Buttons().button(ctx.t('ask.more'), cb.askCentre),
    });
    return true;
  }

  /** The problems of a message that differ from each other (problemParts), with their classification. */
  function problemsOf(text: string) {
    return problemParts(splitProblems(text).map((part) => ({ part, ...classify(part) })));
  }

  /**
   * Two or more different problems in one message: a leak among them is filed at once, the
   * others are offered with one button each and "all"; the buttons read the parts back from the
   * message the offer replies to. Returns false (saying nothing) for a message of one problem.
   */
  async function offerSeveral(ctx: BotContext, text: string, messageId: number): Promise<boolean> {
    const problems = problemsOf(text);
    if (problems.length < 2) return false;
    for (const p of problems.filter((p) => p.category === 'leak'))
      await fileOnce(ctx, deps, draftFor('complaint', 'leak', p.part, '', [], messageId, p), onceKey(ctx, `mp${p.index}`, messageId));
    const rest = problems.filter((p) => p.category !== 'leak');
    if (!rest.length) return true;
    const list = rest
      .map((p) => ctx.t('understand.multi.item', { n: p.index + 1, category: categoryLabel(ctx.locale, p.category), text: p.part.slice(0, 200) }))
      .join('\n');
    const k = new Buttons();
    for (const p of rest)
      k.button(ctx.t('understand.multi.file_one', { n: p.index + 1, category: categoryLabel(ctx.locale, p.category) }), cb.several(p.index)).row();
    if (rest.length > 1) k.button(ctx.t('understand.multi.file_all'), cb.several('all'));
    const leakFiled = rest.length < problems.length;
    const offer = leakFiled ? ctx.t('understand.multi.offer_after_leak', { list }) : ctx.t('understand.multi.offer', { count: problems.length, list });
    await ctx.reply(offer, { reply_parameters: { message_id: messageId }, reply_markup: k });
    return true;
  }

  // One of several problems, or all of them: each filed once (its own receipt key), whichever
  // button files it first; the buttons of what is filed go away.
  c.callbackQuery(/^mp:(\d+|all)$/, async (ctx) => {
    const offer = ctx.callbackQuery.message as Message | undefined;
    const source = offer?.reply_to_message;
    const text = source?.text ?? source?.caption;
    const problems = text ? problemsOf(text).filter((p) => p.category !== 'leak') : [];
    const which = ctx.match[1] === 'all' ? problems : problems.filter((p) => p.index === Number(ctx.match[1]));
    if (!offer || !source || !which.length) {
      await ctx.answerCallbackQuery({ text: ctx.t('understand.multi.gone'), show_alert: true });
      return;
    }
    // Answered before the filing (the phone stops spinning): the one outcome the toast tells,
    // every one of them filed already, is known from their keys first.
    const keyOf = (p: (typeof which)[number]) => onceKey(ctx, `mp${p.index}`, source.message_id);
    const seen = await Promise.all(which.map((p) => core.stores.receipts.seen(keyOf(p))));
    const open = which.filter((_, i) => !seen[i]);
    await quietly(ctx.answerCallbackQuery(open.length ? {} : { text: ctx.t('report.already_filed') }));
    for (const p of open) await fileOnce(ctx, deps, draftFor('complaint', p.category, p.part, '', [], source.message_id, p), keyOf(p));
    const left =
      ctx.match[1] === 'all'
        ? []
        : (offer.reply_markup?.inline_keyboard ?? []).flat().filter((b) => 'callback_data' in b && b.callback_data !== ctx.callbackQuery.data);
    const singles = left.filter((b) => 'callback_data' in b && b.callback_data !== cb.several('all'));
    if (!singles.length) await quietly(dropButtons(ctx));
    else {
      const k = new Buttons();
      for (const b of singles.length > 1 ? left : singles) if ('callback_data' in b && b.callback_data) k.button(b.text, b.callback_data).row();
      await quietly(ctx.editMessageReplyMarkup({ reply_markup: k }));
    }
  });

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
    if (!(await fileOnce(ctx, deps, draft, onceKey(ctx, 'describe', ctx.prompt.messageId)))) await ctx.reply(ctx.t('report.already_filed'));
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

  /** A bare photo with nothing open to join: which problem does it show? (Submit files it with the photo.) */
  async function askWhatPhotoShows(ctx: BotContext, messageId: number) {
    await ctx.reply(ctx.t('report.photo_what'), {
      reply_parameters: { message_id: messageId },
      reply_markup: categoryMenu(ctx, (cat) => cb.reportOk('complaint', cat))
        .row()
        .button(ctx.t('report.cancel'), cb.reportCancel),
    });
  }

  return { report: c, propose, askWhatPhotoShows, answerQuestion: (ctx, text, messageId) => answerQuestion(ctx, text, messageId) };
}
