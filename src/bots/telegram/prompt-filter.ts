/** grammY filters for answers to the bot's questions (see prompts.ts). */
import type { BotContext } from './context.js';
import { promptAnswered, type PromptKey, type PromptMatch } from './prompts.js';
import { labels } from './replies.js';

const MENU_KEYS = ['menu.report', 'menu.status', 'menu.suggest', 'menu.ask', 'menu.prices', 'menu.bind'];
let menuTexts: Set<string> | undefined;

export type PromptContext = BotContext & { prompt: PromptMatch };

/** The typed (or captioned) answer. */
export function answerText(ctx: BotContext): string {
  return ctx.message?.text ?? ctx.message?.caption ?? '';
}

/**
 * Matches a message answering the bot's question `key`. A command or a menu tap sent while
 * the question is open is not an answer: the resident changed their mind.
 */
export function answers(...keys: PromptKey[]) {
  return (ctx: BotContext): ctx is PromptContext => {
    const text = answerText(ctx);
    if (!ctx.message || text.startsWith('/')) return false;
    menuTexts ??= new Set(MENU_KEYS.flatMap(labels));
    if (menuTexts.has(text.trim())) return false;
    const m = promptAnswered(ctx.message, ctx.me.id);
    if (!m || !keys.includes(m.key)) return false;
    (ctx as PromptContext).prompt = m;
    return true;
  };
}
