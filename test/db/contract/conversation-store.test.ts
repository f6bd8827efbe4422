/**
 * The bot's conversations on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): one JSON value per chat, read back until it lapses, replaced by a
 * later write, deleted, and pruned in chunks once lapsed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationStore } from '../../../src/core/ports/conversation-store.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
let store: ConversationStore;
beforeAll(async () => {
  core = await makeTestCore();
  store = core.stores.conversations;
});
afterAll(() => core.close());

const at = new Date('2026-11-28T06:00:00.000Z');
const MIN = 60_000;
const plus = (ms: number) => new Date(at.getTime() + ms);

describe('the conversation store', () => {
  it('reads a value back as written until the instant it lapses, and never after', async () => {
    const value = JSON.stringify({ pending: { key: 'address', vars: { text: '水还在流 你们人呢' }, messageId: 7 } });
    await store.write('1001', value, plus(30 * MIN), at);
    expect(await store.read('1001', plus(29 * MIN))).toBe(value);
    expect(await store.read('1001', plus(30 * MIN))).toBeNull();
    expect(await store.read('1002', at)).toBeNull();
  });

  it('replaces the value and its lapse on a second write, on any instance', async () => {
    await store.write('2001', '{"a":1}', plus(MIN), at);
    const other = await makeTestCore({ databaseUrl: core.databaseUrl });
    try {
      await other.stores.conversations.write('2001', '{"a":2}', null, plus(MIN));
    } finally {
      await other.close();
    }
    expect(await store.read('2001', plus(60 * MIN))).toBe('{"a":2}');
  });

  it('deletes a value; deleting one never stored is no error', async () => {
    await store.write('3001', '{}', null, at);
    await store.delete('3001');
    await store.delete('3999');
    expect(await store.read('3001', at)).toBeNull();
  });

  it('prunes lapsed values up to the limit, oldest lapse no matter, and keeps the rest', async () => {
    for (let i = 0; i < 5; i++) await store.write(`4${i}`, '{}', plus(-(i + 1) * MIN), at);
    await store.write('4-live', '{}', plus(MIN), at);
    await store.write('4-forever', '{}', null, at);
    expect(await store.deleteExpiredBefore(at, 3)).toBe(3);
    expect(await store.deleteExpiredBefore(at, 3)).toBe(2);
    expect(await store.deleteExpiredBefore(at, 3)).toBe(0);
    expect(await store.read('4-live', at)).toBe('{}');
    expect(await store.read('4-forever', plus(1000 * MIN))).toBe('{}');
  });
});
