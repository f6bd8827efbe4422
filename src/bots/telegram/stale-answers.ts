/**
 * A tap is answered first (the phone stops spinning), so the answer must never cost the work
 * behind it. Telegram takes one answer per callback query, and none once the query is old (about
 * 15 seconds): a tap redelivered after a restart or a database outage, or answered already, is
 * refused with 400. This transformer turns that refusal into `false` ("not shown") instead of an
 * error, so the handler goes on and files the report; a caller that needs the answer to have
 * been seen (the error boundary's toast) checks for `false` and says it in the chat instead.
 */
import type { Transformer } from 'grammy';

const STALE = /query is too old|query ID is invalid/i;

export function tolerateStaleAnswers(): Transformer {
  return async (prev, method, payload, signal) => {
    const res = await prev(method, payload, signal);
    if (method !== 'answerCallbackQuery' || res.ok || res.error_code !== 400 || !STALE.test(res.description)) return res;
    return { ok: true, result: false } as unknown as typeof res;
  };
}
