/**
 * What linking a heating account owes people other than the one in the chat, as outbox items
 * (the Telegram deliverer words them in each reader's language): the residents already bound
 * are asked to allow a second one, or told that one was let in; the one who asked hears the
 * answer. Names are how people show on Telegram, so that the account's residents know who it was.
 */
import type { Resident } from '../model.js';
import type { OutboxItem } from '../outbox/enqueue.js';
import type { BindRequest } from '../ports/resident-store.js';

/** A person as Telegram shows them. */
export interface Asker {
  name: string;
}

/** Each resident already bound is asked to allow or refuse request `attemptId`. */
export function askHolders(attemptId: number, account: string, asker: Asker, holders: readonly Resident[]): OutboxItem[] {
  return holders.map((h) => ({
    key: `bind_request:${attemptId}:${h.id}`,
    platform: 'telegram',
    target: h.chatId,
    kind: 'bind_request',
    payload: { attemptId, residentId: h.id, account, name: asker.name },
  }));
}

/**
 * Each resident already bound hears that another one was let in, and how: by the account's phone
 * (`who` is the one let in), or allowed by one of them (`who` is the one who allowed it).
 */
export function tellHolders(attemptId: number, account: string, who: Asker, how: 'phone' | 'allowed', holders: readonly Resident[]): OutboxItem[] {
  return holders.map((h) => ({
    key: `bind_notice:${attemptId}:${h.id}`,
    platform: 'telegram',
    target: h.chatId,
    kind: 'bind_notice',
    payload: { residentId: h.id, account, name: who.name, how },
  }));
}

/** The answer to the one who asked (worded with the address only when it is yes); on yes, the other residents hear who allowed it. */
export function answerAsker(request: BindRequest, allowed: boolean, answerer: Asker, others: readonly Resident[]): OutboxItem[] {
  const r = request.requester;
  const answer: OutboxItem = {
    key: `bind_answer:${request.attemptId}`,
    platform: 'telegram',
    target: r.chatId,
    kind: allowed ? 'bind_granted' : 'bind_refused',
    payload: { residentId: r.id, account: request.account },
  };
  return [answer, ...(allowed ? tellHolders(request.attemptId, request.account, answerer, 'allowed', others) : [])];
}
