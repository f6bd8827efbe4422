/**
 * Questions that wait for a typed answer ("your account number?", "what is still wrong?") are
 * sent with ForceReply, so the resident's phone answers them as a reply. The reply carries the
 * question, and the question's own text says what it asked (and any number or draft it
 * quoted): the bot reads it back against the locale templates instead of keeping a
 * conversation state in memory, so an answer is understood by any instance, even after a
 * restart. Only the bot's own messages are read this way.
 */
import type { Message } from 'grammy/types';
import { LOCALES, t } from '../../i18n/index.js';

export const PROMPTS = ['bind_account', 'bind_phone', 'address', 'paid_address', 'describe', 'suggest', 'ask', 'comment', 'opinion'] as const;
export type PromptKey = (typeof PROMPTS)[number];

export interface PromptMatch {
  key: PromptKey;
  vars: Record<string, string>;
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
  LOCALES.map((locale) => ({ key, re: templateRegex(t(locale, `telegram.prompt.${key}`)) })),
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
  return readPrompt(asked.text);
}
