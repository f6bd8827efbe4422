/**
 * Who an event says did it. A change sent by an API client names the client as the actor, so the
 * log says which credential made it; the staff member the client named is a claim the client
 * makes, kept beside it as onBehalfOf (their role is what the step was checked against).
 */
import type { Actor } from '../model.js';

/** An API client acting: `api:<client id>`. */
export type ClientActor = Extract<Actor, `api:${string}`>;

/** The event's actor, and the data it keeps about whom the client acted for. */
export function eventActor(actor: string, via: ClientActor | undefined): { actor: string; data: { onBehalfOf?: string } } {
  return via ? { actor: via, data: { onBehalfOf: actor } } : { actor, data: {} };
}

/** The staff actor an API client acted for, from an event's data (as stored, JSON text, or parsed). */
export function onBehalfOf(data: string | Record<string, unknown> | null | undefined): string | undefined {
  let d = data;
  if (typeof d === 'string') {
    try {
      d = JSON.parse(d) as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  const who = d?.onBehalfOf;
  return typeof who === 'string' ? who : undefined;
}

/** The client id in `api:<id>`, or undefined for any other actor. */
export function clientIdOf(actor: string): string | undefined {
  return actor.startsWith('api:') ? actor.slice(4) : undefined;
}
