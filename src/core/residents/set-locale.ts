/** The resident's language for everything the bot says to them, now and in later messages. */
import type { Core } from '../context.js';
import { AppError } from '../errors.js';
import type { Resident } from '../model.js';

export const RESIDENT_LOCALES = ['zh-CN', 'en'] as const;
export type ResidentLocale = (typeof RESIDENT_LOCALES)[number];

export async function setLocale(core: Core, residentId: number, locale: string): Promise<Resident> {
  if (!(RESIDENT_LOCALES as readonly string[]).includes(locale)) {
    throw new AppError('validation_failed', `locale: must be one of ${RESIDENT_LOCALES.join(', ')}`, { field: 'locale' });
  }
  const resident = await core.stores.residents.setLocale(residentId, locale, core.clock.now());
  if (!resident) throw new AppError('not_found', `no resident ${residentId}`, { residentId });
  return resident;
}
