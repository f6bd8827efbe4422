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
