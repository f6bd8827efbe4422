/**
 * Questions that wait for a typed answer ("your account number?", "what is still wrong?"). The
 * question waiting is kept per chat (conversation.ts), so a plain message answers it; a reply to
 * the question answers it too, also after it lapsed or was answered: the reply carries the
 * question, and the question's own text says what it asked (and any number or draft it
 * quoted), read back here against the locale templates. Only the bot's own messages are read
 * this way.
 */
import type { Message } from 'grammy/types';
import { LOCALES, t } from '../../i18n/index.js';

export const PROMPTS = [
  'bind_account',
  'bind_phone',
  'address',
  'paid_address',
  'describe',
  'suggest',
  'ask',
  'comment',
  'opinion',
  // a report filed before its address was known (a leak): where is it?
  'clarify_address',
] as const;
export type PromptKey = (typeof PROMPTS)[number];

// questions added with the conversation keep their words in telegram.conversation.json
const CONVERSATION_PROMPTS: readonly PromptKey[] = ['clarify_address'];

/** The locale key (of the telegram namespace) of a question's text. */
export function promptTextKey(key: PromptKey): string {
  return CONVERSATION_PROMPTS.includes(key) ? `conversation.prompt.${key}` : `prompt.${key}`;
}

export interface PromptMatch {
  key: PromptKey;
  vars: Record<string, string>;
  /** the question's message (what a second answer to the same question is known by) */
  messageId?: number;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function templateRegex(template: string): RegExp {
  const parts = template.split(/\{(\w+)\}/);
  let src = '^';
  parts.forEach((p, i) => {
    src += i % 2 === 0 ? escapeRegExp(p) : `(?<${p}>[\\s\\S]*?)`;
  });
  return new RegExp(`${src}$`);
}

const REGEXES: { key: PromptKey; re: RegExp }[] = PROMPTS.flatMap((key) =>
  LOCALES.map((locale) => ({ key, re: templateRegex(t(locale, `telegram.${promptTextKey(key)}`)) })),
);

/** The prompt a message of the bot's asked, with the values it quoted; null for anything else. */
export function readPrompt(text: string | undefined): PromptMatch | null {
  if (!text) return null;
  for (const { key, re } of REGEXES) {
    const m = re.exec(text);
    if (m) return { key, vars: { ...(m.groups ?? {}) } };
  }
  return null;
}

/** The prompt a message answers, if it replies to one of this bot's prompts. */
export function promptAnswered(message: Message | undefined, botId: number): PromptMatch | null {
  const asked = message?.reply_to_message;
  if (!asked || asked.from?.id !== botId) return null;
  const m = readPrompt(asked.text);
  return m && { ...m, messageId: asked.message_id };
}
