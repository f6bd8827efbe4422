/** The residents' Telegram bot: build it, mount its webhook, set it up, deliver its outbox. */
export { createTelegramBot, type TelegramBot, type TelegramBotOptions } from './bot.js';
export type { TextClassifier, TextClassification } from './classifier.js';
export { telegramWebhookPlugin, WEBHOOK_PATH, type TelegramWebhookOptions } from './webhook.js';
export { setupTelegram, startTelegramPolling, ALLOWED_UPDATES } from './setup.js';
export { TelegramDeliverer, toDeliveryError } from './deliverer.js';
export { TelegramFiles } from './resident-files.js';
