/**
 * Where the bot's conversation with a chat stands: the question it waits an answer to, kept in
 * the database (core.stores.conversations) through grammY's session, so that a plain message
 * answers it on any instance, also after a restart. Elderly residents rarely use Telegram's
 * reply feature; the question's own message still works as a reply, too (prompts.ts).
 */
import { Composer, session, type Context, type SessionFlavor, type StorageAdapter } from 'grammy';
import type { Core } from '../../core/context.js';
import type { PromptKey } from './prompts.js';

/** How long a question waits for a plain answer; after that a message is an ordinary message again. */
export const QUESTION_WAITS_MS = 30 * 60_000;
/** Linking an account is a short exchange: its questions lapse sooner (and a stray number later is not taken as digits). */
export const BIND_QUESTION_WAITS_MS = 10 * 60_000;

/** The question the bot asked last, waiting for its answer. */
export interface PendingQuestion {
  key: PromptKey;
  /** the values the question's text quotes */
  vars: Record<string, string>;
  /** values the answer needs that the question does not show (a ticket number, the classifier's severity and scope) */
  hidden?: Record<string, string>;
  /** the question's message: a reply to it is an answer too */
  messageId: number;
  /** ISO instants */
  askedAt: string;
  expiresAt: string;
}

/**
 * The session value per chat. Others may keep small fields beside `pending`; a field that is an
 * object with an ISO `expiresAt` keeps the row alive until then (the row lapses with the last one).
 */
export interface ConversationData {
  pending?: PendingQuestion;
  [field: string]: unknown;
}

export type ConversationFlavor = SessionFlavor<ConversationData> & {
  /** the update's time by the core's clock: what a question's lapse is measured against */
  conversationAt: Date;
};

/** The question still waiting at `now`, if any. */
export function waitingQuestion(data: ConversationData | undefined, now: Date): PendingQuestion | undefined {
  const p = data?.pending;
  return p && Date.parse(p.expiresAt) > now.getTime() ? p : undefined;
}

/** When nothing in the value is waited for any more; null when a field keeps no lapse. */
function lapseOf(data: ConversationData): Date | null {
  let latest = 0;
  for (const v of Object.values(data)) {
    const at = v && typeof v === 'object' ? Date.parse(String((v as { expiresAt?: unknown }).expiresAt)) : Number.NaN;
    if (Number.isNaN(at)) return null;
    latest = Math.max(latest, at);
  }
  return new Date(latest);
}

/**
 * grammY's storage over the conversation store. grammY writes a session back after every update
 * that read it; most updates change nothing, so the adapter remembers what it read per chat and
 * skips a write of the same value (sequentialize in bot.ts keeps a chat's updates in order, so a
 * chat has one update in flight).
 */
export function conversationStorage(core: Pick<Core, 'stores' | 'clock'>): StorageAdapter<ConversationData> {
  const store = core.stores.conversations;
  const read = new Map<string, string | null>();
  return {
    async read(key) {
      const raw = await store.read(key, core.clock.now());
      read.set(key, raw);
      if (raw === null) return undefined;
      try {
        return JSON.parse(raw) as ConversationData;
      } catch {
        return undefined; // a value that cannot be read waits for nothing
      }
    },
    async write(key, value) {
      const before = read.get(key);
      read.delete(key);
      const empty = Object.keys(value).length === 0;
      // nothing stored and nothing to store: no statement at all
      if (empty) return void (before !== null && (await store.delete(key)));
      const raw = JSON.stringify(value);
      if (raw === before) return;
      await store.write(key, raw, lapseOf(value), core.clock.now());
    },
    async delete(key) {
      read.delete(key);
      await store.delete(key);
    },
  };
}

/** Every update from a person in a private chat has a conversation; others (groups, channel posts) none. */
export function conversationKey(ctx: { chat?: { id: number; type: string } }): string | undefined {
  return ctx.chat?.type === 'private' ? String(ctx.chat.id) : undefined;
}

/**
 * The session of a private chat, read from the database once per update (one SELECT; written
 * back only when it changed), with the instant the update is handled.
 */
export function conversationMiddleware(core: Pick<Core, 'stores' | 'clock'>): Composer<Context & ConversationFlavor> {
  const c = new Composer<Context & ConversationFlavor>();
  c.use((ctx, next) => {
    ctx.conversationAt = core.clock.now();
    return next();
  });
  c.use(session<ConversationData, Context & ConversationFlavor>({ initial: () => ({}), storage: conversationStorage(core), getSessionKey: conversationKey }));
  return c;
}
