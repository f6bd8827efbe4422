/**
 * The closed loop of R8 as a status machine. Every change of a ticket goes through
 * nextStatus(); a step that is not allowed from the current status is refused with
 * invalid_transition, never applied silently.
 *
 *   received ─dispatch→ dispatched ─accept→ accepted ─arrive→ on_site ─resolve→ resolved
 *   resolved ─request_callback→ callback ─close→ closed      (R8h: every closed complaint called back)
 *   resolved | callback | closed ─reopen→ dispatched        (dissatisfied callback, R30)
 *   received | dispatched | accepted ─transfer→ dispatched  (another branch or unit; first responder stays, R1)
 *   duplicate ─follow_original→ resolved                    (the original was resolved: its result is this
 *                                                            resident's too, and they are called back, R8h)
 */
import { AppError } from '../errors.js';

export const STATUSES = [
  'received', // in the centre's triage queue: no branch yet
  'dispatched',
  'accepted',
  'on_site',
  'resolved', // the branch replied with the result (R8g)
  'callback', // waiting for the callback (R8h)
  'closed',
  'cancelled',
  'duplicate',
] as const;
export type Status = (typeof STATUSES)[number];

export const ACTIONS = [
  'dispatch',
  'accept',
  'route',
  'arrive',
  'resolve',
  'request_callback',
  'close',
  'reopen',
  'transfer',
  'cancel',
  'mark_duplicate',
  'follow_original',
] as const;
export type Action = (typeof ACTIONS)[number];

/** The statuses in which someone still owes the resident something. */
export const OPEN_STATUSES: readonly Status[] = ['received', 'dispatched', 'accepted', 'on_site', 'resolved', 'callback'];

const SAME = 'same' as const;
const TABLE: Record<Action, { from: readonly Status[]; to: Status | typeof SAME }> = {
  dispatch: { from: ['received'], to: 'dispatched' },
  accept: { from: ['dispatched'], to: 'accepted' },
  route: { from: ['dispatched', 'accepted'], to: SAME },
  arrive: { from: ['accepted'], to: 'on_site' },
  resolve: { from: ['accepted', 'on_site'], to: 'resolved' },
  request_callback: { from: ['resolved'], to: 'callback' },
  close: { from: ['resolved', 'callback'], to: 'closed' },
  reopen: { from: ['resolved', 'callback', 'closed'], to: 'dispatched' },
  transfer: { from: ['received', 'dispatched', 'accepted'], to: 'dispatched' },
  cancel: { from: ['received', 'dispatched', 'accepted', 'on_site'], to: 'cancelled' },
  mark_duplicate: { from: ['received', 'dispatched', 'accepted'], to: 'duplicate' },
  // only the system takes it (tickets/follow-original.ts); from there on the duplicate's own
  // callback decides, like any resolved ticket's
  follow_original: { from: ['duplicate'], to: 'resolved' },
};

export function isAction(a: string): a is Action {
  return (ACTIONS as readonly string[]).includes(a);
}

export function allowedActions(from: Status): Action[] {
  return ACTIONS.filter((a) => TABLE[a].from.includes(from));
}

/** The status after `action`, or invalid_transition naming what is allowed instead. */
export function nextStatus(from: Status, action: Action): Status {
  const t = TABLE[action];
  if (!t.from.includes(from)) {
    throw new AppError('invalid_transition', `cannot ${action} a ticket that is ${from}`, {
      from,
      action,
      allowed: allowedActions(from),
    });
  }
  return t.to === SAME ? from : t.to;
}
