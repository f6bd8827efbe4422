/**
 * Start-up with Telegram: the command menu in both languages, and either the webhook (the
 * service registers its own URL and secret when PUBLIC_URL is set) or long polling for small
 * installs without a public address (TELEGRAM_MODE=polling).
 */
import { run, type RunnerHandle } from '@grammyjs/runner';
import { t, type LOCALES } from '../../i18n/index.js';
import type { TelegramBot } from './bot.js';
import { WEBHOOK_PATH } from './webhook.js';

/** The update kinds the bot acts on; Telegram sends no others. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

export const COMMANDS = ['report', 'status', 'suggest', 'ask', 'prices', 'handbook', 'bind', 'lang', 'help', 'start'] as const;

/** Commands whose description lives with their feature's words rather than in telegram.commands. */
const OWN_DESCRIPTION: Partial<Record<(typeof COMMANDS)[number], string>> = { handbook: 'telegram.handbook.command' };

function commandsIn(locale: (typeof LOCALES)[number]) {
  return COMMANDS.map((command) => ({ command, description: t(locale, OWN_DESCRIPTION[command] ?? `telegram.commands.${command}`) }));
}

export interface SetupOptions {
  bot: TelegramBot;
  /** PUBLIC_URL: where Telegram reaches this service (https) */
  publicUrl?: string;
  secret?: string;
}

/** Registers the commands (zh-CN for everyone, English for English-language clients) and, with a public URL, the webhook. */
export async function setupTelegram({ bot, publicUrl, secret }: SetupOptions): Promise<{ webhookUrl: string | null }> {
  await bot.init();
  await bot.api.setMyCommands(commandsIn('zh-CN'));
  await bot.api.setMyCommands(commandsIn('zh-CN'), { language_code: 'zh' });
  await bot.api.setMyCommands(commandsIn('en'), { language_code: 'en' });
  if (!publicUrl) return { webhookUrl: null };
  if (!secret) throw new Error('TELEGRAM_WEBHOOK_SECRET is required to register the webhook');
  const url = `${publicUrl.replace(/\/$/, '')}${WEBHOOK_PATH}`;
  await bot.api.setWebhook(url, { secret_token: secret, allowed_updates: [...ALLOWED_UPDATES], max_connections: 40 });
  return { webhookUrl: url };
}

/**
 * Long polling for small installs: removes any webhook first (Telegram allows one or the
 * other), then fetches updates with grammY runner; updates of one chat stay in order because
 * the bot sequentializes by chat. Stop it with `await handle.stop()`.
 */
export async function startTelegramPolling(bot: TelegramBot): Promise<RunnerHandle> {
  await bot.init();
  await bot.api.deleteWebhook();
  return run(bot, { runner: { fetch: { allowed_updates: [...ALLOWED_UPDATES] } } });
}
