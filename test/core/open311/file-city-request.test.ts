/**
 * A city platform files a request through Open311 (fileCityRequest): it becomes a ticket like any
 * other report, routed by its place, with what the platform sent kept beside it; every refusal
 * stores nothing. Real database (SQLite file, or PostgreSQL with TEST_DATABASE_URL).
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ORG } from '../../../src/config.js';
import { AppError } from '../../../src/core/errors.js';
import { declareIncident } from '../../../src/core/incidents/declare-incident.js';
import { contactNameOf, fileCityRequest, type CityRequestInput } from '../../../src/core/open311/file-city-request.js';
import { SERVICES, serviceByCode, serviceCodeOf } from '../../../src/core/open311/service-catalogue.js';
import { SERVICE_CODES } from '../../../src/core/open311/types.js';
import { seedDemoCustomers } from '../../../src/db/seed-demo.js';
import { cityRequestInput } from '../../helpers/builders.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  const doc = parse(readFileSync(DEMO_ORG, 'utf8'));
  doc.apiClients = [
    { id: 'city', name: '12345 市民服务热线', scopes: ['read', 'write'], tokenSha256: 'a'.repeat(64) },
    { id: 'gateway', name: 'Open311 gateway', scopes: ['read', 'write'], tokenSha256: 'b'.repeat(64) },
  ];
  core = await makeTestCore({ org: doc });
  await seedDemoCustomers(core);
});
afterAll(() => core?.close());

const stored = async () => ({ tickets: await core.db.ticket.count(), cityRequests: await core.db.cityRequest.count() });

/** The refusal a request meets, and proof that it stored nothing. */
async function refusal(input: CityRequestInput): Promise<{ code: string; context: Record<string, unknown> }> {
  const before = await stored();
  try {
    await fileCityRequest(core, input);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    expect(await stored()).toEqual(before);
    return { code: e.code, context: e.context };
  }
  throw new Error('the request was filed');
}

describe('the Open311 service catalogue', () => {
  it('has one service per code, each a kind and category a ticket can have, in its group', () => {
    expect(SERVICES.map((s) => s.code)).toEqual([...SERVICE_CODES]);
    expect(SERVICES.map((s) => [s.code, s.kind, s.category, s.group])).toEqual([
      ['no_heat', 'complaint', 'no_heat', 'repair'],
      ['leak', 'complaint', 'leak', 'repair'],
      ['noise_pressure', 'complaint', 'noise_pressure', 'repair'],
      ['billing', 'complaint', 'billing', 'billing'],
      ['staff_conduct', 'complaint', 'staff_conduct', 'service'],
      ['other', 'complaint', 'other', 'service'],
      ['suggestion', 'suggestion', 'other', 'suggestion'],
      ['consultation', 'consultation', 'other', 'consultation'],
    ]);
  });

  it('no heat asks the room temperature and how far the cold reaches; a leak whether water is still running', () => {
    expect(serviceByCode('no_heat')?.attributes).toEqual([
      { code: 'room_temperature', datatype: 'number', required: false, order: 1, min: -30, max: 40 },
      { code: 'extent', datatype: 'singlevaluelist', required: false, order: 2, values: ['flat', 'building', 'community'] },
    ]);
    expect(serviceByCode('leak')?.attributes).toEqual([
      { code: 'water_running', datatype: 'singlevaluelist', required: true, order: 1, values: ['yes', 'no'] },
      { code: 'leak_place', datatype: 'singlevaluelist', required: false, order: 2, values: ['indoor', 'stairwell', 'outdoor'] },
    ]);
    expect(SERVICES.filter((s) => s.attributes.length).map((s) => s.code)).toEqual(['no_heat', 'leak']);
    expect(serviceByCode('heat_pump')).toBeUndefined();
  });

  it('a ticket filed by any channel reads as a service: a complaint by its category, paid work as other', () => {
    expect(serviceCodeOf({ kind: 'complaint', category: 'leak' })).toBe('leak');
    expect(serviceCodeOf({ kind: 'suggestion', category: 'billing' })).toBe('suggestion');
    expect(serviceCodeOf({ kind: 'consultation', category: 'other' })).toBe('consultation');
    expect(serviceCodeOf({ kind: 'paid_service', category: 'no_heat' })).toBe('other');
  });
});

describe('filing a city request', () => {
  it('a no-heat request by address goes to the branch of the community it names, with the platform as first responder, and keeps what was sent', async () => {
    const { ticket, notice, account } = await fileCityRequest(
      core,
      cityRequestInput({
        email: 'zhangwei@example.cn',
        mediaUrl: 'https://12345.example.gov.cn/m/1.jpg',
        attributes: { room_temperature: '16', extent: 'flat' },
      }),
    );
    expect(ticket).toMatchObject({
      kind: 'complaint',
      category: 'no_heat',
      severity: 'normal',
      scope: 'secondary',
      source: 'city_platform',
      status: 'dispatched',
      firstResponder: 'api:city',
      communityId: 'c001',
      branchId: 'xincheng',
      unitId: 'xincheng-field',
      address: '幸福家园3号楼2单元501室',
      building: '3',
      unit: '2',
      room: '501',
      contactName: '张伟',
      contactPhone: '13800138000',
      description: '暖气不热，家里很冷',
    });
    // the company's time limit for a secondary-network complaint: on site within the hour
    expect(notice).toEqual({ code: 'on_site_within', minutes: 60 });
    expect(account).toBeNull();
    const row = await core.db.cityRequest.findUniqueOrThrow({ where: { ticketId: ticket.id } });
    expect(row).toMatchObject({
      clientId: 'city',
      serviceCode: 'no_heat',
      addressString: '幸福家园3号楼2单元501室',
      addressId: null,
      lat: null,
      long: null,
      email: 'zhangwei@example.cn',
      firstName: '伟',
      lastName: '张',
      mediaUrl: 'https://12345.example.gov.cn/m/1.jpg',
      createdAt: core.clock.now(),
    });
    expect(JSON.parse(row.attributes)).toEqual({ room_temperature: 16, extent: 'flat' });
    const created = await core.db.ticketEvent.findFirstOrThrow({ where: { ticketId: ticket.id, type: 'created' } });
    expect(created.actor).toBe('api:city');
    expect(JSON.parse(created.data ?? '{}')).toMatchObject({ source: 'city_platform' });
  });

  it('a request by lat/long goes to the branch of the nearest community, and keeps the point', async () => {
    // a few hundred metres from 通道南街小区 (c010, 回民 branch)
    const { ticket } = await fileCityRequest(core, cityRequestInput({ addressString: undefined, lat: 40.8075, long: 111.6155 }));
    expect(ticket).toMatchObject({ communityId: 'c010', branchId: 'huimin', status: 'dispatched', address: null });
    expect(await core.db.cityRequest.findUniqueOrThrow({ where: { ticketId: ticket.id } })).toMatchObject({
      lat: 40.8075,
      long: 111.6155,
      addressString: null,
    });
  });

  it('a request naming a heating account (address_id) is that customer’s: their community, flat and branch, and the account is answered', async () => {
    const { ticket, account } = await fileCityRequest(core, cityRequestInput({ addressString: '随便写的地址', addressId: '1010000000', phone: undefined }));
    const customer = await core.db.customer.findUniqueOrThrow({ where: { account: '1010000000' } });
    expect(account).toBe('1010000000');
    expect(ticket).toMatchObject({
      customerId: customer.id,
      communityId: 'c001',
      branchId: 'xincheng',
      address: customer.address,
      building: '17',
      unit: '2',
      room: '201',
      contactName: '张伟',
      contactPhone: customer.phone,
    });
    expect(await core.db.cityRequest.findUniqueOrThrow({ where: { ticketId: ticket.id } })).toMatchObject({
      addressId: '1010000000',
      addressString: '随便写的地址',
    });
  });

  it('an address that names no community goes to the centre’s triage queue, its text kept, as on the hotline', async () => {
    const { ticket, notice } = await fileCityRequest(core, cityRequestInput({ addressString: '新城区不存在的路8号' }));
    expect(ticket).toMatchObject({ status: 'received', branchId: null, unitId: null, communityId: null, address: '新城区不存在的路8号' });
    expect(notice).toEqual({ code: 'triage' });
  });

  it('a point inside the service area but more than 2 km from every community goes to triage too', async () => {
    // about 3 km west of 幸福家园: within the 5 km service area, near no community
    const { ticket, notice } = await fileCityRequest(core, cityRequestInput({ addressString: undefined, lat: 40.844, long: 111.655 }));
    expect(ticket).toMatchObject({ status: 'received', branchId: null, communityId: null });
    expect(notice).toEqual({ code: 'triage' });
  });

  it('the words "整个小区都不热" make it a major event of the primary network, with its shorter time limit', async () => {
    const { ticket, notice } = await fileCityRequest(core, cityRequestInput({ description: '整个小区都不热，已经两天了' }));
    expect(ticket).toMatchObject({ severity: 'major', scope: 'primary' });
    expect(notice).toEqual({ code: 'on_site_within', minutes: 30 });
  });

  it('the answers raise the severity: a cold room, a whole building, a whole community, water running outdoors', async () => {
    const file = async (serviceCode: string, attributes: Record<string, string>) => {
      const { ticket } = await fileCityRequest(core, cityRequestInput({ serviceCode, description: '请尽快处理', attributes }));
      return [ticket.severity, ticket.scope];
    };
    expect(await file('no_heat', { room_temperature: '10' })).toEqual(['urgent', 'secondary']);
    expect(await file('no_heat', { room_temperature: '12' })).toEqual(['urgent', 'secondary']);
    expect(await file('no_heat', { room_temperature: '16' })).toEqual(['normal', 'secondary']);
    expect(await file('no_heat', { extent: 'building' })).toEqual(['urgent', 'secondary']);
    expect(await file('no_heat', { extent: 'community' })).toEqual(['major', 'primary']);
    expect(await file('leak', { water_running: 'no' })).toEqual(['urgent', 'secondary']);
    expect(await file('leak', { water_running: 'yes', leak_place: 'stairwell' })).toEqual(['urgent', 'secondary']);
    expect(await file('leak', { water_running: 'yes', leak_place: 'outdoor' })).toEqual(['major', 'primary']);
  });

  it('an answer never lowers what the words say', async () => {
    const { ticket } = await fileCityRequest(core, cityRequestInput({ description: '整个小区都不热', attributes: { extent: 'flat', room_temperature: '20' } }));
    expect(ticket).toMatchObject({ severity: 'major', scope: 'primary' });
  });

  it('the same Idempotency-Key twice files one ticket; the repeat is already_filed naming the key; another client’s same key is its own', async () => {
    const before = await core.db.ticket.count();
    const first = await fileCityRequest(core, cityRequestInput({ onceKey: 'req-42' }));
    const again = await refusal(cityRequestInput({ onceKey: 'req-42', description: '又报一次' }));
    expect(again).toEqual({ code: 'already_filed', context: { keys: ['open311:city:req-42'], number: first.ticket.number } });
    expect(await core.db.ticket.count()).toBe(before + 1);
    const other = await fileCityRequest(core, cityRequestInput({ clientId: 'gateway', onceKey: 'req-42' }));
    expect(other.ticket.number).not.toBe(first.ticket.number);
    expect(other.ticket.firstResponder).toBe('api:gateway');
  });

  it('two requests with one key at once: one ticket, and the other is told its number', async () => {
    const before = await stored();
    const both = await Promise.allSettled([0, 1].map(() => fileCityRequest(core, cityRequestInput({ onceKey: 'burst-1' }))));
    expect(await stored()).toEqual({ tickets: before.tickets + 1, cityRequests: before.cityRequests + 1 });
    const filed = both.find((r) => r.status === 'fulfilled')?.value;
    const refused = both.find((r) => r.status === 'rejected')?.reason;
    expect(refused).toBeInstanceOf(AppError);
    expect(refused).toMatchObject({ code: 'already_filed', context: { number: filed?.ticket.number } });
  });

  it('a key repeated after its receipt was pruned (housekeeping) is still answered with the first ticket', async () => {
    const first = await fileCityRequest(core, cityRequestInput({ onceKey: 'old-key' }));
    await core.db.inboundReceipt.delete({ where: { key: 'open311:city:old-key' } });
    expect(await refusal(cityRequestInput({ onceKey: 'old-key' }))).toMatchObject({ code: 'already_filed', context: { number: first.ticket.number } });
  });

  it('a refused request does not use up its key: sent again put right, it is filed', async () => {
    expect((await refusal(cityRequestInput({ onceKey: 'fix-1', serviceCode: 'leak' }))).code).toBe('attribute_required');
    expect(await core.db.inboundReceipt.count({ where: { key: 'open311:city:fix-1' } })).toBe(0);
    const { ticket } = await fileCityRequest(core, cityRequestInput({ onceKey: 'fix-1', serviceCode: 'leak', attributes: { water_running: 'yes' } }));
    expect(await core.db.cityRequest.findUniqueOrThrow({ where: { ticketId: ticket.id } })).toMatchObject({ onceKey: 'fix-1' });
  });

  it('the operator’s API_TOKEN may file; a client the organisation does not know may not', async () => {
    expect((await fileCityRequest(core, cityRequestInput({ clientId: 'operator' }))).ticket.firstResponder).toBe('api:operator');
    expect(await refusal(cityRequestInput({ clientId: 'stranger' }))).toMatchObject({ code: 'validation_failed', context: { field: 'firstResponder' } });
  });

  it('a suggestion stays with the centre and is answered within the suggestion time limit; a question goes to the branch', async () => {
    const s = await fileCityRequest(core, cityRequestInput({ serviceCode: 'suggestion', description: '建议延长客服热线的服务时间' }));
    expect(s.ticket).toMatchObject({ kind: 'suggestion', category: 'other', branchId: null, severity: 'normal' });
    expect(s.notice).toEqual({ code: 'answered_within', minutes: (s.ticket.resolveDueAt!.getTime() - s.ticket.createdAt.getTime()) / 60_000 });
    const q = await fileCityRequest(core, cityRequestInput({ serviceCode: 'consultation', description: '今年的供暖什么时候开始？' }));
    expect(q.ticket).toMatchObject({ kind: 'consultation', category: 'other', branchId: 'xincheng', status: 'dispatched' });
    expect(q.notice.code).toBe('answered_within');
    const nowhere = await fileCityRequest(core, cityRequestInput({ serviceCode: 'consultation', description: '热费怎么交？', addressString: '外地某处' }));
    expect(nowhere.notice).toEqual({ code: 'triage' });
  });

  it('a no-heat request from a community an open outage covers is linked to it and answered with its repair time', async () => {
    const { incident } = await declareIncident(core, { stationIds: ['HX-XI04'], scope: 'station', cause: '换热站循环泵故障', actor: 'staff:xincheng-coord' });
    const { ticket, notice } = await fileCityRequest(core, cityRequestInput({ addressString: '青城府邸5号楼' }));
    expect(ticket).toMatchObject({ communityId: 'c007', incidentId: incident.id, status: 'accepted' });
    expect(notice).toEqual({ code: 'repaired_within', minutes: (incident.resolveDueAt.getTime() - core.clock.now().getTime()) / 60_000 });
  });

  it('a caller’s name is written family name first without a space when Chinese, "First Last" otherwise', () => {
    expect(contactNameOf('伟', '张')).toBe('张伟');
    expect(contactNameOf('John', 'Smith')).toBe('John Smith');
    expect(contactNameOf('Wei', '张')).toBe('张Wei');
    expect(contactNameOf(undefined, '张')).toBe('张');
    expect(contactNameOf(undefined, undefined)).toBeUndefined();
  });
});

describe('a city request is refused, and nothing stored, when', () => {
  it('its service code is unknown', async () => {
    expect(await refusal(cityRequestInput({ serviceCode: 'heat_pump' }))).toMatchObject({ code: 'unknown_service', context: { service: 'heat_pump' } });
  });

  it('it gives no location, or half a point, or a point off the globe', async () => {
    expect((await refusal(cityRequestInput({ addressString: undefined }))).code).toBe('location_required');
    expect(await refusal(cityRequestInput({ addressString: undefined, lat: 40.844 }))).toMatchObject({ code: 'validation_failed', context: { field: 'long' } });
    expect(await refusal(cityRequestInput({ long: 111.69 }))).toMatchObject({ code: 'validation_failed', context: { field: 'lat' } });
    expect(await refusal(cityRequestInput({ lat: 91, long: 111.69 }))).toMatchObject({ code: 'validation_failed', context: { field: 'lat' } });
    expect(await refusal(cityRequestInput({ lat: 40.8, long: -181 }))).toMatchObject({ code: 'validation_failed', context: { field: 'long' } });
    expect(await refusal(cityRequestInput({ lat: Number.NaN, long: 111.69 }))).toMatchObject({ code: 'validation_failed', context: { field: 'lat' } });
  });

  it('its point is outside the service area (farther than open311.serviceAreaKm from every community)', async () => {
    // Beijing, some 400 km away; an address text naming a community does not rescue a wrong point
    expect(await refusal(cityRequestInput({ lat: 39.9042, long: 116.4074 }))).toMatchObject({ code: 'outside_service_area', context: { limitKm: 5 } });
    // 6 km north of the northernmost community
    expect((await refusal(cityRequestInput({ addressString: undefined, lat: 40.92, long: 111.714 }))).code).toBe('outside_service_area');
  });

  it('its heating account is not on file', async () => {
    expect(await refusal(cityRequestInput({ addressId: '9999999999' }))).toMatchObject({ code: 'customer_not_found', context: { account: '9999999999' } });
  });

  it('a required answer is missing', async () => {
    const missing = { code: 'attribute_required', context: { attribute: 'water_running' } };
    expect(await refusal(cityRequestInput({ serviceCode: 'leak', attributes: {} }))).toEqual(missing);
    expect(await refusal(cityRequestInput({ serviceCode: 'leak', attributes: { water_running: '' } }))).toEqual(missing);
  });

  it('an answer is not one the service asks or accepts', async () => {
    const invalid = async (serviceCode: string, attributes: Record<string, string | string[]>) => refusal(cityRequestInput({ serviceCode, attributes }));
    expect(await invalid('no_heat', { colour: 'red' })).toEqual({ code: 'invalid_attribute', context: { attribute: 'colour' } });
    expect(await invalid('billing', { extent: 'flat' })).toEqual({ code: 'invalid_attribute', context: { attribute: 'extent' } });
    expect(await invalid('no_heat', { extent: 'city' })).toEqual({ code: 'invalid_attribute', context: { attribute: 'extent' } });
    expect(await invalid('no_heat', { extent: ['flat', 'building'] })).toEqual({ code: 'invalid_attribute', context: { attribute: 'extent' } });
    expect(await invalid('no_heat', { room_temperature: '100' })).toEqual({ code: 'invalid_attribute', context: { attribute: 'room_temperature' } });
    expect(await invalid('no_heat', { room_temperature: '-31' })).toEqual({ code: 'invalid_attribute', context: { attribute: 'room_temperature' } });
    expect(await invalid('no_heat', { room_temperature: 'warm' })).toEqual({ code: 'invalid_attribute', context: { attribute: 'room_temperature' } });
    expect(await invalid('no_heat', { room_temperature: '1e1' })).toEqual({ code: 'invalid_attribute', context: { attribute: 'room_temperature' } });
    expect(await invalid('leak', { water_running: 'maybe' })).toEqual({ code: 'invalid_attribute', context: { attribute: 'water_running' } });
  });

  it('a field is malformed or too long', async () => {
    const field = async (over: Partial<CityRequestInput>) => {
      const r = await refusal(cityRequestInput(over));
      expect(r.code).toBe('validation_failed');
      return r.context.field;
    };
    expect(await field({ description: undefined })).toBe('description');
    expect(await field({ description: '   ' })).toBe('description');
    expect(await field({ description: '冷'.repeat(4001) })).toBe('description');
    expect(await field({ email: 'not-an-address' })).toBe('email');
    expect(await field({ email: `${'a'.repeat(250)}@x.cn` })).toBe('email');
    expect(await field({ phone: '1380013800a' })).toBe('phone');
    expect(await field({ phone: '12' })).toBe('phone');
    expect(await field({ mediaUrl: 'ftp://example.cn/a.jpg' })).toBe('media_url');
    expect(await field({ mediaUrl: 'javascript:alert(1)' })).toBe('media_url');
    expect(await field({ mediaUrl: `https://example.cn/${'a'.repeat(2000)}` })).toBe('media_url');
    expect(await field({ firstName: 'a'.repeat(51) })).toBe('first_name');
    expect(await field({ lastName: '张'.repeat(51) })).toBe('last_name');
    expect(await field({ addressString: '路'.repeat(201) })).toBe('address_string');
  });

  it('its description is 1 MB: refused with a clear code before anything is read or stored', async () => {
    const r = await refusal(cityRequestInput({ description: 'x'.repeat(1024 * 1024) }));
    expect(r).toEqual({ code: 'validation_failed', context: { field: 'description' } });
  });
});
