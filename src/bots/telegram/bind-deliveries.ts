/**
 * The outbox's messages about linking a heating account (core/residents/bind-messages.ts),
 * worded at delivery time in the reader's language: a resident already bound is asked to allow
 * another one (Allow / Refuse, unless the request was answered or lapsed meanwhile) or told that
 * one was let in; the one who asked hears the answer, with the address only when it is yes.
 */
import type { InlineKeyboardMarkup, ReplyKeyboardMarkup } from 'grammy/types';
import type { Core } from '../../core/context.js';
import { requestsLapsedBefore } from '../../core/residents/bind-limits.js';
import { asLocale } from '../../i18n/index.js';
import { Buttons, cb } from './callback-data.js';
import { tt } from './context.js';
import { mainMenu } from './replies.js';

export const BIND_KINDS = new Set(['bind_request', 'bind_notice', 'bind_granted', 'bind_refused']);

interface BindPayload {
  residentId: number;
  account: string;
  attemptId?: number;
  name?: string;
  how?: 'phone' | 'allowed';
}

/** The message to send; null: nothing to say any more (answered, lapsed, or the resident is gone). */
export async function renderBindMessage(
  core: Core,
  kind: string,
  p: BindPayload,
): Promise<{ text: string; reply_markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup; replyTo?: number } | null> {
  const reader = await core.stores.residents.byId(p.residentId);
  if (!reader) return null;
  const locale = asLocale(reader.locale);
  const hotline = core.org.config.company.hotline;
  const vars = { account: p.account, name: p.name ?? '', hotline };
  switch (kind) {
    case 'bind_request': {
      const waiting = p.attemptId ? await core.stores.residents.waitingBindRequest(p.attemptId, requestsLapsedBefore(core.clock.now())) : null;
      if (!waiting) return null;
      const buttons = new Buttons()
        .button(tt(locale, 'bind.allow'), cb.bindAnswer(waiting.attemptId, true))
        .button(tt(locale, 'bind.refuse'), cb.bindAnswer(waiting.attemptId, false));
      return { text: tt(locale, 'bind.request', vars), reply_markup: buttons };
    }
    case 'bind_notice':
      return { text: tt(locale, p.how === 'phone' ? 'bind.notice_phone' : 'bind.notice_allowed', vars) };
    case 'bind_granted': {
      // worded from the binding as it is now: the address only if the resident is still bound to it
      const customer = reader.customerId ? await core.stores.customers.byId(reader.customerId) : null;
      if (customer?.account !== p.account) return null;
      return { text: tt(locale, 'bind.ok', { account: customer.account, address: customer.address }), reply_markup: mainMenu(locale, true) };
    }
    case 'bind_refused':
      return { text: tt(locale, 'bind.refused', vars) };
    default:
      return null;
  }
}
