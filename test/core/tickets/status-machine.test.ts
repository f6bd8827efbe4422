import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import { ACTIONS, STATUSES, allowedActions, nextStatus, type Action, type Status } from '../../../src/core/tickets/status-machine.js';

// R8: the closed loop. Every (status, action) pair is listed: allowed ones with their result.
const ALLOWED: Record<Status, Partial<Record<Action, Status>>> = {
  received: { dispatch: 'dispatched', transfer: 'dispatched', cancel: 'cancelled', mark_duplicate: 'duplicate' },
  dispatched: { accept: 'accepted', route: 'dispatched', transfer: 'dispatched', cancel: 'cancelled', mark_duplicate: 'duplicate' },
  accepted: { route: 'accepted', arrive: 'on_site', resolve: 'resolved', transfer: 'dispatched', cancel: 'cancelled', mark_duplicate: 'duplicate' },
  on_site: { resolve: 'resolved', cancel: 'cancelled' },
  resolved: { request_callback: 'callback', close: 'closed', reopen: 'dispatched' },
  callback: { close: 'closed', reopen: 'dispatched' },
  closed: { reopen: 'dispatched' },
  cancelled: {},
  duplicate: { follow_original: 'resolved' },
};

describe('the ticket status machine (R8)', () => {
  for (const from of STATUSES) {
    for (const action of ACTIONS) {
      const to = ALLOWED[from][action];
      if (to) {
        it(`${from} --${action}--> ${to}`, () => expect(nextStatus(from, action)).toBe(to));
      } else {
        it(`refuses ${action} from ${from} with invalid_transition`, () => {
          let err: unknown;
          try {
            nextStatus(from, action);
          } catch (e) {
            err = e;
          }
          expect(err).toBeInstanceOf(AppError);
          expect((err as AppError).code).toBe('invalid_transition');
          expect((err as AppError).context.allowed).toEqual(allowedActions(from));
        });
      }
    }
  }

  it('leaves a cancelled ticket with no way out, and a duplicate only the way its original goes (R8h)', () => {
    expect(allowedActions('cancelled')).toEqual([]);
    expect(allowedActions('duplicate')).toEqual(['follow_original']);
  });
});
