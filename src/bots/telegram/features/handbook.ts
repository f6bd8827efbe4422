/**
 * /handbook (R20, R22): a menu of three buttons (the customer handbook, the service
 * commitments, the regulations that apply); each tap sends its section, split into several
 * messages when long, ending with the service card (hotline and services).
 */
import { Composer } from 'grammy';
import { Buttons } from '../callback-data.js';
import type { BotContext, BotDeps } from '../context.js';
import { HANDBOOK_SECTIONS, handbookSection, loadHandbook, type Handbook, type HandbookSection } from '../handbook.js';
import { replyLong } from '../replies.js';
import { serviceCardLine } from '../service-card.js';

/** Button payload of a section: hb:<section>. */
export const handbookData = (s: HandbookSection) => `hb:${s}`;

export function handbookFeature(deps: BotDeps, o: { handbook?: Handbook; dir?: string } = {}): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const { core } = deps;
  const book = o.handbook ?? loadHandbook(core.org, o.dir);

  c.command('handbook', async (ctx) => {
    const k = new Buttons();
    for (const s of HANDBOOK_SECTIONS) k.button(ctx.t(`handbook.section.${s}`), handbookData(s)).row();
    await ctx.reply(ctx.t('handbook.menu'), { reply_markup: k });
  });

  c.callbackQuery(/^hb:(\w+)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    const section = ctx.match[1] as HandbookSection;
    if (!HANDBOOK_SECTIONS.includes(section)) return;
    await replyLong(ctx, `${handbookSection(book, core.org, ctx.locale, section)}\n\n${serviceCardLine(core.org, ctx.locale)}`);
  });

  return c;
}
