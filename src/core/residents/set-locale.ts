/** The resident's language for everything the bot says to them, now and in later messages. */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Resident } from '../../db/generated/sqlite/client.js';

export const RESIDENT_LOCALES = ['zh-CN', 'en'] as const;
export type ResidentLocale = (typeof RESIDENT_LOCALES)[number];

export async function setLocale(core: Core, residentId: number, locale: string): Promise<Resident> {
  if (!(RESIDENT_LOCALES as readonly string[]).includes(locale)) {
    throw new AppError('validation_failed', `locale: must be one of ${RESIDENT_LOCALES.join(', ')}`, { field: 'locale' });
  }
  return core.db.resident.update({ where: { id: residentId }, data: { locale } });
}
