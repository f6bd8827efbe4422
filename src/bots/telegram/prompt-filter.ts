/** grammY filters for answers to the bot's questions (see prompts.ts and conversation.ts). */
import type { BotContext } from './context.js';
import { waitingQuestion } from './conversation.js';
import { promptAnswered, type PromptKey, type PromptMatch } from './prompts.js';
import { labels } from './replies.js';

const MENU_KEYS = ['menu.report', 'menu.status', 'menu.suggest', 'menu.ask', 'menu.prices', 'menu.bind'];
let menuTexts: Set<string> | undefined;

/** `prompt.messageId` is always set for a matched answer: the question's message. */
export type PromptContext = BotContext & { prompt: PromptMatch & { messageId: number } };

/** The typed (or captioned) answer. */
export function answerText(ctx: BotContext): string {
  return ctx.message?.text ?? ctx.message?.caption ?? '';
}

/**
 * Matches a message answering the bot's question `key`: a reply to the question (merged with
 * what the question kept hidden, while it waits), or a plain message while the question waits.
 * The question is answered then: a second plain message is an ordinary message again. A command
 * or a menu tap sent while the question is open is not an answer: the resident changed their
 * mind, and the question keeps waiting.
 */
export function answers(...keys: PromptKey[]) {
  return (ctx: BotContext): ctx is PromptContext => {
    const text = answerText(ctx);
    if (!ctx.message || text.startsWith('/')) return false;
    menuTexts ??= new Set(MENU_KEYS.flatMap(labels));
    if (menuTexts.has(text.trim())) return false;
    const waiting = ctx.chat?.type === 'private' ? waitingQuestion(ctx.session, ctx.conversationAt) : undefined;
    const replied = promptAnswered(ctx.message, ctx.me.id);
    let m: PromptContext['prompt'];
    if (replied) {
      if (!keys.includes(replied.key)) return false;
      const same = waiting?.messageId === replied.messageId ? waiting : undefined;
      m = { key: replied.key, vars: { ...replied.vars, ...same?.hidden }, messageId: replied.messageId! };
      if (same) delete ctx.session.pending;
    } else {
      // plain words answer the waiting question; an empty message (a sticker, a contact) does not, a bare photo only a description
      if (!waiting || !keys.includes(waiting.key) || ctx.message.reply_to_message) return false;
      if (!text.trim() && !(ctx.message.photo && waiting.key === 'describe')) return false;
      m = { key: waiting.key, vars: { ...waiting.vars, ...waiting.hidden }, messageId: waiting.messageId };
      delete ctx.session.pending;
    }
    (ctx as PromptContext).prompt = m;
    return true;
  };
}
