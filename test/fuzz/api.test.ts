/**
 * Bad input on the API (issue 8): without the token nothing is answered but 401; with it, odd
 * bodies, wrong types, huge strings and odd query strings get a 4xx with a code, never a 500,
 * and a refused request stores nothing. Bounded: ~100 requests per property.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES, TICKET_KINDS } from '../../src/core/domain.js';
import { ACTIONS } from '../../src/core/tickets/status-machine.js';
import { createTicket } from '../../src/core/tickets/create-ticket.js';
import { auth } from '../helpers/app.js';
import { hotlineComplaint } from '../helpers/builders.js';
import { changed, counts, startFuzzApp, type FuzzApp } from './harness.js';

let f: FuzzApp;
const numbers: string[] = [];
beforeAll(async () => {
  f = await startFuzzApp();
  for (let i = 0; i < 3; i++) numbers.push((await createTicket(f.core, hotlineComplaint())).number);
});
afterAll(async () => {
  await f?.close();
});

const RUNS = { numRuns: 100, seed: Number(process.env.FUZZ_SEED ?? 20261128) };
const wrong = fc.oneof(
  fc.string({ maxLength: 10 }),
  fc.string({ minLength: 5000, maxLength: 9000 }),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
  fc.object({ maxDepth: 1, maxKeys: 2 }),
);
const goodTicket = {
  kind: 'complaint',
  category: 'no_heat',
  source: 'hotline',
  description: '暖气不热',
  firstResponder: 'agent01',
  customerAccount: '1010000000',
};
const ticketBody = fc.oneof(
  // one field of a good body replaced, or an unknown one added
  fc
    .tuple(fc.constantFrom(...Object.keys(goodTicket), 'branchId', 'contactPhone', 'severity', 'scope', 'extra'), wrong)
    .map(([k, v]) => ({ ...goodTicket, [k]: v })),
  fc.record(
    {
      kind: fc.constantFrom(...TICKET_KINDS, 'x'),
      category: fc.constantFrom(...CATEGORIES, ''),
      source: fc.constantFrom('hotline', 'telegram', 'x'),
      description: fc.string({ maxLength: 50 }),
      firstResponder: fc.constantFrom('agent01', 'nobody', '', 'staff:agent01'),
      customerAccount: fc.constantFrom('1010000000', '0', 'x'.repeat(21)),
      communityId: fc.constantFrom('c001', 'c999', ''),
    },
    { requiredKeys: [] },
  ),
  fc.jsonValue({ maxDepth: 2 }),
);
const number = fc.oneof(
  fc.constantFrom('T20261128-0001', 'T20261128-0002', 'T29991231-0001', 'X1', '%00', '..%2F..', 'T20261128-0001%20'),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
);
const transition = fc.record(
  {
    action: fc.oneof(fc.constantFrom(...ACTIONS), wrong),
    actor: fc.oneof(fc.constantFrom('xincheng-coord', 'agent01', 'nobody', 'resident:1'), wrong),
    note: fc.oneof(fc.string({ maxLength: 30 }), wrong),
    branchId: fc.constantFrom('xincheng', 'huimin', 'nowhere'),
    expectedStatus: fc.oneof(fc.constantFrom('dispatched', 'closed'), wrong),
    form: fc.oneof(fc.record({ workDone: fc.string({ maxLength: 20 }), feesCents: fc.oneof(fc.integer(), fc.double(), wrong) }, { requiredKeys: [] }), wrong),
  },
  { requiredKeys: [] },
);
const query = fc.dictionary(
  fc.constantFrom('status', 'branch', 'kind', 'category', 'from', 'to', 'page', 'pageSize', 'q', 'state', 'period', 'overdue', 'x'),
  fc.oneof(fc.string({ maxLength: 20 }), fc.integer().map(String), fc.constantFrom('-1', '0', '1e309', 'NaN', '2026-13-45', '')),
  { maxKeys: 4 },
);
const qs = (q: Record<string, string>) => new URLSearchParams(q).toString();

/** A refused request: 4xx with a code, and nothing stored. */
async function refusedOrDone(send: () => Promise<{ statusCode: number; body: string }>): Promise<void> {
  const before = await counts(f.core.db);
  const res = await send();
  expect(res.statusCode, res.body).toBeLessThan(500);
  if (res.statusCode >= 400) {
    expect(JSON.parse(res.body)).toHaveProperty('code');
    expect(changed(before, await counts(f.core.db))).toEqual([]);
  }
}

describe('the API with bad input', () => {
  it('refuses every request without the right token (401; 429 once the address has been refused 30 times), and stores nothing', async () => {
    const route = fc.constantFrom(
      'POST /api/tickets',
      'GET /api/tickets',
      'POST /api/tickets/T20261128-0001/transitions',
      'POST /api/callbacks/1',
      'GET /api/outbox',
      'POST /api/outbox/1/resend',
      'GET /api/org',
      'GET /api/kpi',
    );
    const token = fc.option(
      fc.oneof(
        fc
          .string({ maxLength: 40 })
          .filter((s) => /^[\x21-\x7e]*$/.test(s))
          .map((s) => `Bearer ${s}`),
        fc.constant('Basic dGVzdA=='),
      ),
      { nil: undefined },
    );
    await fc.assert(
      fc.asyncProperty(route, token, ticketBody, async (r, authorization, body) => {
        const [method, url] = r.split(' ') as ['GET' | 'POST', string];
        const before = await counts(f.core.db);
        const res = await f.app.inject({
          method,
          url,
          headers: authorization ? { authorization } : {},
          ...(method === 'POST' ? { payload: body as object } : {}),
        });
        // one address throughout: past 30 refusals the flood limit answers 429 (src/http/rate-limit.ts)
        expect([401, 429]).toContain(res.statusCode);
        expect(changed(before, await counts(f.core.db))).toEqual([]);
      }),
      RUNS,
    );
  });

  it('POST /api/tickets: odd bodies are refused with a code and store nothing', async () => {
    await fc.assert(
      fc.asyncProperty(ticketBody, (body) =>
        refusedOrDone(() => f.app.inject({ method: 'POST', url: '/api/tickets', headers: auth, payload: body as object })),
      ),
      RUNS,
    );
  });

  it('POST /api/tickets/:number/transitions: odd steps are refused with a code and store nothing', async () => {
    await fc.assert(
      fc.asyncProperty(number, transition, (n, body) =>
        refusedOrDone(() => f.app.inject({ method: 'POST', url: `/api/tickets/${n}/transitions`, headers: auth, payload: body })),
      ),
      RUNS,
    );
  });

  it('POST /api/callbacks/:id and the classification: odd bodies are refused with a code', async () => {
    const id = fc.oneof(fc.integer({ min: -5, max: 10 }).map(String), fc.constantFrom('x', '1e3', '99999999999999999999'));
    const body = fc.record(
      {
        actor: wrong,
        reached: fc.oneof(fc.boolean(), wrong),
        satisfaction: fc.oneof(fc.constantFrom('satisfied', 'dissatisfied'), wrong),
        comment: wrong,
        kind: wrong,
        category: wrong,
        note: wrong,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(id, number, body, async (i, n, b) => {
        await refusedOrDone(() => f.app.inject({ method: 'POST', url: `/api/callbacks/${i}`, headers: auth, payload: b }));
        await refusedOrDone(() => f.app.inject({ method: 'POST', url: `/api/tickets/${n}/classification`, headers: auth, payload: b }));
      }),
      RUNS,
    );
  });

  it('GET routes with odd query strings never answer 500', async () => {
    const url = fc.constantFrom('/api/tickets', '/api/outbox', '/api/kpi', '/api/suggestions', '/api/org', '/api/tickets/T20261128-0001', '/healthz');
    await fc.assert(
      fc.asyncProperty(url, query, async (u, q) => {
        const res = await f.app.inject({ method: 'GET', url: `${u}?${qs(q)}`, headers: auth });
        expect(res.statusCode, `${u}?${qs(q)} → ${res.body.slice(0, 200)}`).toBeLessThan(500);
      }),
      RUNS,
    );
  });

  it('refuses malformed JSON with 400 and a body over the limit with 413', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('{', '{"kind":', '[1,', '{"a":1}}', '\u0000', 'nul'), async (raw) => {
        const res = await f.app.inject({ method: 'POST', url: '/api/tickets', headers: { ...auth, 'content-type': 'application/json' }, payload: raw });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toHaveProperty('code');
      }),
      { ...RUNS, numRuns: 20 },
    );
    const before = await counts(f.core.db);
    const res = await f.app.inject({ method: 'POST', url: '/api/tickets', headers: auth, payload: { ...goodTicket, description: 'x'.repeat(1024 * 1024) } });
    expect(res.statusCode).toBe(413);
    expect(res.json().code).toBe('body_too_large');
    expect(changed(before, await counts(f.core.db))).toEqual([]);
  });
});
