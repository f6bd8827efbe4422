import type { StaffSession } from '../model.js';

/**
 * Dashboard sessions kept on the server: signing out revokes the row, so a copied cookie stops
 * working at once on every instance. Sessions are looked up by the hash of the cookie's token.
 */
export interface SessionStore {
  /** Stores a new session. */
  create(session: StaffSession): Promise<void>;
  /** The session with this id if it is neither revoked nor expired at `now`; otherwise null. */
  active(id: string, now: Date): Promise<StaffSession | null>;
  /** Ends the session (no-op when it is unknown or already ended). */
  revoke(id: string, at: Date): Promise<void>;
  /** Deletes up to `limit` sessions that expired before `before`; how many went. */
  deleteExpiredBefore(before: Date, limit: number): Promise<number>;
}
