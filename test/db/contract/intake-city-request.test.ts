/**
 * The intake store keeps what a city platform sent through Open311 (a CityRequest row) in the
 * ticket's own transaction, on the database under test (SQLite file, or PostgreSQL when
 * TEST_DATABASE_URL is set): the row exists exactly when the ticket does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/core/errors.js';
import type { CityRequest } from '../../../src/core/model.js';
import type { Filing, TicketDraft } from '../../../src/core/ports/intake-store.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore();
});
afterAll(() => core?.close());

const DAY = 'T20261128';

function draft(): TicketDraft {
  const at = core.clock.now();
  return {
    kind: 'complaint',
    category: 'leak',
    scope: 'secondary',
    severity: 'urgent',
    source: 'city_platform',
    status: 'received',
    description: '楼道里暖气管漏水',
    topic: null,
    customerId: null,
    residentId: null,
    verified: false,
    contactName: '张伟',
    contactPhone: '13800000000',
    communityId: null,
    address: '某路某号',
    building: null,
    unit: null,
    room: null,
    firstResponder: 'api:city',
    branchId: null,
    unitId: null,
    paidMaterials: null,
    incidentId: null,
    ackDueAt: null,
    arriveDueAt: null,
    resolveDueAt: null,
    createdAt: at,
    dispatchedAt: null,
    updatedAt: at,
  };
}

function sent(over: Partial<CityRequest> = {}): Omit<CityRequest, 'id' | 'ticketId'> {
  return {
    clientId: 'city',
    serviceCode: 'leak',
    addressString: '某路某号',
    addressId: null,
    lat: 40.84412,
    long: 111.69003,
    email: 'zhang@example.cn',
    firstName: '伟',
    lastName: '张',
    mediaUrl: 'https://example.cn/p/1.jpg',
    attributes: JSON.stringify({ water_running: 'yes', leak_place: 'stairwell' }),
    onceKey: null,
    createdAt: core.clock.now(),
    ...over,
  };
}

function filing(over: Partial<Filing> = {}): Filing {
  return {
    counter: DAY,
    ticket: draft(),
    events: [{ at: core.clock.now(), type: 'created', actor: 'api:city', fromStatus: null, toStatus: 'received', note: null, data: null }],
    photos: [],
    deadlines: [],
    owes: () => ({ messages: [], alerts: [] }),
    ...over,
  };
}

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof AppError ? e.code : 'failed';
  }
  return 'no error';
}

const counts = async () => ({ tickets: await core.db.ticket.count(), cityRequests: await core.db.cityRequest.count() });

describe('the intake store with a city request', () => {
  it('stores the CityRequest row with the ticket, every field as sent', async () => {
    const t = await core.stores.intake.file(filing({ cityRequest: sent() }));
    const row = await core.db.cityRequest.findUniqueOrThrow({ where: { ticketId: t.id } });
    expect(row).toEqual({ id: row.id, ticketId: t.id, ...sent() });
  });

  it('a ticket from another channel has no CityRequest row', async () => {
    const t = await core.stores.intake.file(filing());
    expect(await core.db.cityRequest.findUnique({ where: { ticketId: t.id } })).toBeNull();
  });

  it('a repeated Idempotency-Key is refused and stores neither a ticket nor a second row', async () => {
    await core.stores.intake.file(filing({ cityRequest: sent(), onceKeys: ['open311:city:k-1'] }));
    const before = await counts();
    expect(await codeOf(core.stores.intake.file(filing({ cityRequest: sent({ addressString: '再一次' }), onceKeys: ['open311:city:k-1'] })))).toBe(
      'already_filed',
    );
    expect(await counts()).toEqual(before);
    expect(await core.db.cityRequest.count({ where: { addressString: '再一次' } })).toBe(0);
  });

  it('names the ticket a client filed with an Idempotency-Key, that client’s only', async () => {
    const t = await core.stores.intake.file(filing({ cityRequest: sent({ onceKey: 'k-7' }) }));
    await core.stores.intake.file(filing({ cityRequest: sent({ clientId: 'other', onceKey: 'k-8' }) }));
    expect(await core.stores.intake.cityRequestNumber('city', 'k-7')).toBe(t.number);
    expect(await core.stores.intake.cityRequestNumber('other', 'k-7')).toBeNull();
    expect(await core.stores.intake.cityRequestNumber('city', 'k-8')).toBeNull();
  });

  it('one key of one client is one CityRequest row: a second fails and stores nothing, receipt or not', async () => {
    await core.stores.intake.file(filing({ cityRequest: sent({ onceKey: 'k-9' }) }));
    const before = await counts();
    expect(await codeOf(core.stores.intake.file(filing({ cityRequest: sent({ onceKey: 'k-9' }) })))).toBe('failed');
    expect(await counts()).toEqual(before);
  });

  it('a CityRequest row the database refuses takes the ticket and its number with it', async () => {
    const first = await core.stores.intake.file(filing());
    const before = await counts();
    // clientId is required: the row fails inside the filing's transaction
    const broken = sent({ clientId: null as unknown as string });
    expect(await codeOf(core.stores.intake.file(filing({ cityRequest: broken })))).toBe('failed');
    expect(await counts()).toEqual(before);
    const next = await core.stores.intake.file(filing({ cityRequest: sent() }));
    expect(Number(next.number.split('-')[1])).toBe(Number(first.number.split('-')[1]) + 1);
  });
});
