/**
 * The bot's own sends take their turn in the same bot-wide rate as the outbox's (delivery/pacing.ts):
 * Telegram counts every message of the bot against one limit (about 30 a second), whoever in the
 * process sends it. The bot's replies to residents who just wrote go first, ahead of every
 * outbox row (notices of an outage, cards); the outbox fills the rest of each second.
 */
import type { Transformer } from 'grammy';
import type { RateGate } from '../../delivery/pacing.js';

/** Methods that put a message in a chat (or change one): what Telegram's message limits count. */
const SENDS = /^(send|copy|forward|edit)/;

/** Rank of a reply: ahead of every outbox priority (0 is the outbox's highest). */
const REPLY = -1;

export function paceSends(gate: RateGate): Transformer {
  let seq = 0;
  return async (prev, method, payload, signal) => {
    // a gate closed at shutdown answers false: the reply goes anyway rather than being lost
    if (SENDS.test(method)) await gate.turn([REPLY, ++seq]);
    return prev(method, payload, signal);
  };
}
