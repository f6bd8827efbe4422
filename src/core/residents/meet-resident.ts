/**
 * The person behind a chat: found by their platform user id, or registered on first contact.
 * The first language follows the platform's language setting (zh-CN unless it says English);
 * afterwards the resident's own choice (set-locale) wins.
 */
import type { Core } from '../context.js';
import type { Resident } from '../model.js';

export interface MeetResidentInput {
  telegramUserId: string;
  chatId: string;
  /** the platform's IETF language tag for the user, e.g. "en-GB", "zh-hans" */
  languageCode?: string;
}

export function localeFromLanguageCode(code: string | undefined): 'zh-CN' | 'en' {
  return code?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export function meetResident(core: Core, input: MeetResidentInput): Promise<Resident> {
  return core.stores.residents.meet(
    { telegramUserId: input.telegramUserId, chatId: input.chatId, locale: localeFromLanguageCode(input.languageCode) },
    core.clock.now(),
  );
}
