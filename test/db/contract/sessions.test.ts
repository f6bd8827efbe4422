/**
 * Dashboard sessions on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): a session is found by its token's hash until it expires or is
 * revoked, revoked on every instance at once, and expired ones are pruned.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaffSession } from '../../../src/core/model.js';
import type { SessionStore } from '../../../src/core/ports/session-store.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let sessions: SessionStore;
beforeAll(async () => {
  core = await makeTestCore();
  sessions = core.stores.sessions;
});
afterAll(() => core.close());

const at = new Date('2026-11-28T06:00:00.000Z');
const HOUR = 3600_000;
const session = (id: string, over: Partial<StaffSession> = {}): StaffSession => ({
  id,
  staffId: 'xincheng-head',
  role: 'leader',
  branchId: 'xincheng',
  createdAt: at,
  expiresAt: new Date(at.getTime() + 12 * HOUR),
  revokedAt: null,
  ...over,
});

describe('the session store', () => {
  it('finds a session by its id with every field as stored, until it expires', async () => {
    await sessions.create(session('a'.repeat(64)));
    expect(await sessions.active('a'.repeat(64), new Date(at.getTime() + HOUR))).toEqual(session('a'.repeat(64)));
    expect(await sessions.active('a'.repeat(64), new Date(at.getTime() + 12 * HOUR))).toBeNull();
    expect(await sessions.active('f'.repeat(64), at)).toBeNull();
  });

  it('keeps a whole-company session’s missing branch as null', async () => {
    await sessions.create(session('b'.repeat(64), { staffId: 'operator', role: 'operator', branchId: null }));
    expect((await sessions.active('b'.repeat(64), at))?.branchId).toBeNull();
  });

  it('ends a revoked session for every instance at once, and keeps the time it was revoked', async () => {
    await sessions.create(session('c'.repeat(64)));
    const other = await makeTestCore({ databaseUrl: core.databaseUrl });
    try {
      expect(await other.stores.sessions.active('c'.repeat(64), at)).not.toBeNull();
      await sessions.revoke('c'.repeat(64), new Date(at.getTime() + HOUR));
      expect(await other.stores.sessions.active('c'.repeat(64), at)).toBeNull();
      await sessions.revoke('c'.repeat(64), new Date(at.getTime() + 2 * HOUR)); // a second sign-out changes nothing
      const row = await core.db.staffSession.findUniqueOrThrow({ where: { id: 'c'.repeat(64) } });
      expect(row.revokedAt?.toISOString()).toBe(new Date(at.getTime() + HOUR).toISOString());
    } finally {
      await other.db.$disconnect();
    }
  });

  it('deletes expired sessions in chunks and leaves the rest', async () => {
    await core.db.staffSession.deleteMany({});
    for (let i = 0; i < 5; i++) await sessions.create(session(`old${i}`, { expiresAt: new Date(at.getTime() - (i + 1) * HOUR) }));
    await sessions.create(session('live'));
    expect(await sessions.deleteExpiredBefore(at, 3)).toBe(3);
    expect(await sessions.deleteExpiredBefore(at, 3)).toBe(2);
    expect((await core.db.staffSession.findMany()).map((s) => s.id)).toEqual(['live']);
  });
});
