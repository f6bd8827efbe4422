/** /start, /help and the language: a greeting that tells a resident what they can do, in zh-CN or en. */
import { Composer } from 'grammy';
import { setLocale } from '../../../core/residents/set-locale.js';
import { asLocale, LOCALES } from '../../../i18n/index.js';
import { Buttons, cb } from '../callback-data.js';
import { tt, withLocale, type BotContext, type BotDeps } from '../context.js';
import { mainMenu } from '../replies.js';

function languageButtons(): Buttons {
  const k = new Buttons();
  for (const l of LOCALES) k.button(tt(l, 'lang.name'), cb.lang(l));
  return k;
}

export function startFeature({ core }: BotDeps): Composer<BotContext> {
  const c = new Composer<BotContext>();
  const company = core.org.config.company;

  c.command('start', async (ctx) => {
    const bound = ctx.resident.customerId !== null;
    await ctx.reply(
      ctx.t(bound ? 'greeting_bound' : 'greeting', {
        name: ctx.from?.first_name ?? '',
        company: ctx.locale === 'en' ? (company.nameEn ?? company.name) : company.name,
        hotline: company.hotline,
      }),
      { reply_markup: mainMenu(ctx.locale, bound) },
    );
    const k = languageButtons();
    if (!bound) k.row().button(ctx.t('bind.button'), cb.bind);
    await ctx.reply(ctx.t('choose_language'), { reply_markup: k });
  });

  c.command('help', (ctx) => ctx.reply(ctx.t('help', { hotline: company.hotline, emergencyHotline: company.emergencyHotline })));

  c.command('lang', async (ctx) => {
    const wanted = ctx.match.trim();
    if (!wanted) return void (await ctx.reply(ctx.t('choose_language'), { reply_markup: languageButtons() }));
    await changeLanguage(ctx, asLocale(wanted));
  });

  c.callbackQuery(/^lang:(zh-CN|en)$/, async (ctx) => {
    await ctx.answerCallbackQuery();
    await changeLanguage(ctx, asLocale(ctx.match[1]));
  });

  async function changeLanguage(ctx: BotContext, locale: 'zh-CN' | 'en') {
    ctx.resident = await setLocale(core, ctx.resident.id, locale);
    withLocale(ctx, locale);
    await ctx.reply(ctx.t('lang.set'), { reply_markup: mainMenu(locale, ctx.resident.customerId !== null) });
  }

  return c;
}
