/**
 * The person behind a chat: found by their platform user id, or registered on first contact.
 * The first language follows the platform's language setting (zh-CN unless it says English);
 * afterwards the resident's own choice (set-locale) wins.
 */
import type { Core } from '../context.js';
import { isUniqueViolation } from '../inbound/remember-receipt.js';
import type { Resident } from '../../db/generated/sqlite/client.js';
import { residentByTelegramId } from '../../db/fast-reads.js';

export interface MeetResidentInput {
  telegramUserId: string;
  chatId: string;
  /** the platform's IETF language tag for the user, e.g. "en-GB", "zh-hans" */
  languageCode?: string;
}

export function localeFromLanguageCode(code: string | undefined): 'zh-CN' | 'en' {
  return code?.toLowerCase().startsWith('en') ? 'en' : 'zh-CN';
}

export async function meetResident(core: Core, input: MeetResidentInput): Promise<Resident> {
  const found = await residentByTelegramId(core.db, input.telegramUserId);
  if (found) {
    if (found.chatId === input.chatId) return found;
    return core.db.resident.update({ where: { id: found.id }, data: { chatId: input.chatId } });
  }
  try {
    return await core.db.resident.create({
      data: { telegramUserId: input.telegramUserId, chatId: input.chatId, locale: localeFromLanguageCode(input.languageCode) },
    });
  } catch (e) {
    // Two first messages at once: the other one registered the resident.
    if (!isUniqueViolation(e)) throw e;
    return (await core.db.resident.findUnique({ where: { telegramUserId: input.telegramUserId } }))!;
  }
}
