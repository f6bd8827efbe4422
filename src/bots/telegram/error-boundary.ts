/**
 * The one place where the bot turns a failure into words. A refusal of the core (AppError) is
 * an answer for the resident, worded from locales (telegram.errors.<code>) with its context;
 * anything else is logged with the update and the resident gets a short apology with the
 * hotline. On a button tap the answer is the tap's toast; a failure to answer is only logged.
 *
 * A database that cannot take the request (busy past its timeout, a PostgreSQL failover) is not
 * the resident's problem and not a reason to drop their words: where Telegram delivers the update
 * again (webhook mode), the failure goes on to the webhook, which answers 503, and the report is
 * handled when the update comes back. With long polling there is no second delivery: an apology.
 */
import type { BotError } from 'grammy';
import { isAppError } from '../../core/errors.js';
import { isDatabaseUnavailable } from '../../http/error-handler.js';
import { asLocale, has, type Vars } from '../../i18n/index.js';
import { withLocale, type BotContext, type BotDeps } from './context.js';
import { when } from './render.js';

const TOAST_MAX = 200;

export function errorBoundary(deps: Pick<BotDeps, 'core' | 'log'>, o: { redelivered?: boolean } = {}) {
  const { core, log } = deps;
  return async (err: BotError<BotContext>) => {
    const ctx = err.ctx;
    const e = err.error;
    if (o.redelivered && isDatabaseUnavailable(e)) {
      log.warn({ update_id: ctx.update.update_id, err: (e as Error).message }, 'database unavailable: the update is left for Telegram to deliver again');
      throw e;
    }
    if (!ctx.t) withLocale(ctx, asLocale(ctx.from?.language_code));
    const hotline = core.org.config.company.hotline;
    const known = isAppError(e) && has(ctx.locale, `telegram.errors.${e.code}`);
    let text: string;
    if (known) {
      const vars: Vars = { hotline };
      for (const [k, v] of Object.entries(e.context)) vars[k] = v instanceof Date ? when(v, core.clock.now()) : (v as Vars[string]);
      text = ctx.t(`errors.${e.code}`, vars);
      log.info({ update_id: ctx.update.update_id, code: e.code }, 'telegram request refused');
    } else {
      log.error({ update_id: ctx.update.update_id, err: e instanceof Error ? { message: e.message, stack: e.stack } : e }, 'telegram handler failed');
      text = ctx.t('errors.generic', { hotline });
    }
    try {
      if (ctx.callbackQuery) {
        try {
          // false: answered by the handler before it failed, or too old (stale-answers.ts)
          const shown: boolean = await ctx.answerCallbackQuery({ text: text.slice(0, TOAST_MAX), show_alert: true });
          if (known && shown) return;
        } catch {
          // not taken at all: say it in the chat instead
        }
      }
      if (ctx.chat?.type === 'private') await ctx.reply(text);
    } catch (sendError) {
      log.warn({ update_id: ctx.update.update_id, err: (sendError as Error).message }, 'telegram apology not delivered');
    }
  };
}
