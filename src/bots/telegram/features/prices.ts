/**
 * Paid services (R9-R13): the price list of the resident's branch (its own prices and basic labour fee replace the
 * company's, rule 9), the basic labour fee when the resident brings the materials (R12), free advice
 * for those who repair themselves (R13), and a paid visit requested with one tap, choosing
 * company or own materials (R11).
 */
import { Composer } from 'grammy';
import { asksPrice, matchPriceItems } from '../../../core/classify/match-price-items.js';
import type { PriceItem } from '../../../core/org/types.js';
import { Buttons, cb } from '../callback-data.js';
import type { BotContext, BotDeps } from '../context.js';
import { dropButtons, firstAction, labels, replyLong } from '../replies.js';
import { branchName, yuan } from '../render.js';
import { fileOrAskAddress, paidDraft } from './filing.js';

const GROUPS: PriceItem['category'][] = ['equipment', 'material', 'fitting', 'labour'];

/** The paid-visit buttons (company or own materials) under a price list or a price answer. */
function bookingButtons(ctx: BotContext): Buttons {
  return new Buttons().button(ctx.t('prices.request_company'), cb.paid('company')).row().button(ctx.t('prices.request_own'), cb.paid('own'));
}

/** The branch of the resident's community, when the bot knows it. */
export function residentBranch(core: BotDeps['core'], ctx: BotContext): string | null {
  const communityId = ctx.resident.communityId;
  return (communityId && core.org.communities.get(communityId)?.branchId) || null;
}

const itemLine = (ctx: BotContext, p: PriceItem) =>
  ctx.t('prices.item', { name: ctx.locale === 'en' ? (p.nameEn ?? p.name) : p.name, price: yuan(p.priceCents), unit: p.unit });

/**
 * Answers "how much is a new radiator": the lines of the resident's branch price list the question is about,
 * the basic labour fee for own materials (R12) and the booking buttons, not a booking. A
 * question that names nothing on the list gets the whole list, as /prices shows it. Returns
 * false (and says nothing) when the message is not a price question.
 */
export async function answerPriceQuestion(ctx: BotContext, deps: BotDeps, text: string, replyTo: number, paidService: boolean): Promise<boolean> {
  if (!asksPrice(text)) return false;
  const { core } = deps;
  const branchId = residentBranch(core, ctx);
  const items = core.org.priceList(branchId);
  const ids = new Set(matchPriceItems(text, items));
  if (!ids.size) {
    if (!paidService) return false;
    await showPriceList(ctx, deps, replyTo);
    return true;
  }
  const lines = [
    branchId ? ctx.t('understand.prices.title', { branch: branchName(core.org, branchId, ctx.locale) }) : ctx.t('understand.prices.title_company'),
  ];
  for (const p of items) if (ids.has(p.id)) lines.push(itemLine(ctx, p));
  lines.push('', ctx.t('prices.own_materials', { fee: yuan(core.org.labourFeeCents(branchId)) }));
  if (!branchId) lines.push(ctx.t('prices.branch_may_differ'));
  lines.push(ctx.t('understand.prices.more'));
  await replyLong(ctx, lines.join('\n'), { reply_to: replyTo, reply_markup: bookingButtons(ctx) });
  return true;
}

/** The whole price list of the resident's branch with the booking buttons (/prices). */
export async function showPriceList(ctx: BotContext, deps: BotDeps, replyTo?: number): Promise<void> {
  const { core } = deps;
  const branchId = residentBranch(core, ctx);
  const items = core.org.priceList(branchId);
  const lines = [branchId ? ctx.t('prices.title', { branch: branchName(core.org, branchId, ctx.locale) }) : ctx.t('prices.title_company')];
  for (const g of GROUPS) {
    const group = items.filter((p) => p.category === g);
    if (!group.length) continue;
    lines.push('', ctx.t(`prices.group.${g}`));
    for (const p of group) lines.push(itemLine(ctx, p));
  }
  lines.push('', ctx.t('prices.own_materials', { fee: yuan(core.org.labourFeeCents(branchId)) }), ctx.t('prices.advice'), ctx.t('prices.quote_note'));
  if (!branchId) lines.push(ctx.t('prices.branch_may_differ'));
  await replyLong(ctx, lines.join('\n'), { reply_markup: bookingButtons(ctx), ...(replyTo ? { reply_to: replyTo } : {}) });
}

export function pricesFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { core } = deps;
  const show = (ctx: BotContext) => showPriceList(ctx, deps);

  c.command('prices', show);
  c.hears(labels('menu.prices'), show);

  c.callbackQuery(/^pv:(company|own)$/, async (ctx) => {
    const materials = ctx.match[1] as 'company' | 'own';
    if (!(await firstAction(core, ctx, `paid-${materials}`, ctx.callbackQuery.message?.message_id))) {
      return void (await ctx.answerCallbackQuery({ text: ctx.t('report.already_filed') }));
    }
    await ctx.answerCallbackQuery();
    await fileOrAskAddress(ctx, deps, paidDraft(ctx, materials));
    await dropButtons(ctx);
  });

  return c;
}
