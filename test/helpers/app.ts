import { createHash, randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions } from '../../src/app.js';
import { makeTestCore, type TestCore } from './core.js';

export const TEST_TOKEN = 'test-token-0123456789-abcdefghijklmnop';
export const auth = { authorization: `Bearer ${TEST_TOKEN}` };

/** The real app over a fresh database, never listening: requests go through app.inject. */
export async function makeTestApp(extra: Partial<AppOptions> = {}, core?: TestCore): Promise<{ app: FastifyInstance; core: TestCore }> {
  core ??= await makeTestCore();
  const app = await buildApp({ core, apiToken: TEST_TOKEN, ...extra });
  await app.ready();
  return { app, core };
}

/** The cookie of a signed-in dashboard session of a staff member, as Sign in with Slack leaves it (valid `hours` from now). */
export async function staffSessionCookie(core: TestCore, staffId: string, hours = 12): Promise<string> {
  const staff = core.org.staff.get(staffId)!;
  const token = randomBytes(32).toString('base64url');
  const now = core.clock.now();
  await core.stores.sessions.create({
    id: createHash('sha256').update(token).digest('hex'),
    staffId,
    role: staff.role,
    branchId: staff.branchId,
    createdAt: now,
    expiresAt: new Date(now.getTime() + hours * 3600_000),
    revokedAt: null,
  });
  return `heating_dashboard=${token}`;
}
