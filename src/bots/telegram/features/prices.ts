/**
 * Paid services (R9-R13): the price list of the resident's branch (its own prices replace the
 * company's, rule 9), the basic labour fee when the resident brings the materials (R12), free advice
 * for those who repair themselves (R13), and a paid visit requested with one tap, choosing
 * company or own materials (R11).
 */
import { Composer } from 'grammy';
import type { PriceItem } from '../../../core/org/types.js';
import { Buttons, cb } from '../callback-data.js';
import type { BotContext, BotDeps } from '../context.js';
import { dropButtons, firstAction, labels, replyLong } from '../replies.js';
import { branchName, yuan } from '../render.js';
import { fileOrAskAddress, paidDraft } from './filing.js';

const GROUPS: PriceItem['category'][] = ['equipment', 'material', 'fitting', 'labour'];

export function pricesFeature(deps: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { core } = deps;

  function residentBranch(ctx: BotContext): string | null {
    const communityId = ctx.resident.communityId;
    return (communityId && core.org.communities.get(communityId)?.branchId) || null;
  }

  async function show(ctx: BotContext) {
    const branchId = residentBranch(ctx);
    const items = core.org.priceList(branchId);
    const lines = [branchId ? ctx.t('prices.title', { branch: branchName(core.org, branchId, ctx.locale) }) : ctx.t('prices.title_company')];
    for (const g of GROUPS) {
      const group = items.filter((p) => p.category === g);
      if (!group.length) continue;
      lines.push('', ctx.t(`prices.group.${g}`));
      for (const p of group)
        lines.push(ctx.t('prices.item', { name: ctx.locale === 'en' ? (p.nameEn ?? p.name) : p.name, price: yuan(p.priceCents), unit: p.unit }));
    }
    lines.push(
      '',
      ctx.t('prices.own_materials', { fee: yuan(core.org.config.company.basicLabourFeeCents) }),
      ctx.t('prices.advice'),
      ctx.t('prices.quote_note'),
    );
    if (!branchId) lines.push(ctx.t('prices.branch_may_differ'));
    const k = new Buttons().button(ctx.t('prices.request_company'), cb.paid('company')).row().button(ctx.t('prices.request_own'), cb.paid('own'));
    await replyLong(ctx, lines.join('\n'), { reply_markup: k });
  }

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
