import { describe, expect, it } from 'vitest';
import { communities, residentWrites } from './classifier-fixture.js';

describe('hints that pre-fill a ticket', () => {
  describe('heating account', () => {
    it('is read after 户号', () => {
      expect(residentWrites('暖气不热，户号12345678').hints.account).toBe('12345678');
    });

    it('is read after "account" in English', () => {
      expect(residentWrites('Double charged, account: 987654321012').hints.account).toBe('987654321012');
    });

    it('is read without a label when it has 8 to 12 digits', () => {
      expect(residentWrites('2023004567 这户暖气不热').hints.account).toBe('2023004567');
    });

    it('is not read from 7 or 13 digits', () => {
      expect(residentWrites('暖气不热 1234567').hints.account).toBeUndefined();
      expect(residentWrites('暖气不热 1234567890123').hints.account).toBeUndefined();
    });

    it('is not confused with a mobile number', () => {
      const { hints } = residentWrites('暖气不热，电话13812345678');
      expect(hints.phone).toBe('13812345678');
      expect(hints.account).toBeUndefined();
    });
  });

  describe('mobile phone', () => {
    it.each([
      ['+86 138 1234 5678', '13812345678'],
      ['139-1234-5678', '13912345678'],
      ['15700001111', '15700001111'],
    ])('%s is read as %s', (written, digits) => {
      expect(residentWrites(`暖气漏了，联系我 ${written}`).hints.phone).toBe(digits);
    });

    it('a number starting 12 is not a mainland mobile', () => {
      expect(residentWrites('暖气漏了，联系我 12812345678').hints.phone).toBeUndefined();
    });
  });

  describe('community', () => {
    it('is found by name', () => {
      expect(residentWrites('阳光小区暖气不热', communities).hints.communityId).toBe('sunshine');
    });

    it('is found by alias, English aliases case-insensitively', () => {
      expect(residentWrites('滨河这边暖气不热', communities).hints.communityId).toBe('riverside');
      expect(residentWrites('No heat at sunshine garden since Monday', communities).hints.communityId).toBe('sunshine');
    });

    it('prefers the longest name (phase two over the estate)', () => {
      expect(residentWrites('阳光小区二期3栋暖气不热', communities).hints.communityId).toBe('sunshine-2');
    });

    it('is absent when the caller gives no list', () => {
      expect(residentWrites('阳光小区暖气不热').hints.communityId).toBeUndefined();
    });
  });

  describe('building, unit and room', () => {
    it.each([
      ['3号楼2单元501', { building: '3', unit: '2', room: '501' }],
      ['3栋2单元501室', { building: '3', unit: '2', room: '501' }],
      ['3-2-501', { building: '3', unit: '2', room: '501' }],
      ['3号楼502', { building: '3', room: '502' }],
      ['Building 3 Unit 2 Room 501', { building: '3', unit: '2', room: '501' }],
      ['三号楼一单元', { building: '3', unit: '1' }],
      ['A座1单元1201', { building: 'A', unit: '1', room: '1201' }],
      ['2单元501', { unit: '2', room: '501' }],
    ])('%s', (written, expected) => {
      const { hints } = residentWrites(`${written} 暖气不热`);
      expect({ building: hints.building, unit: hints.unit, room: hints.room }).toEqual({
        building: undefined,
        unit: undefined,
        room: undefined,
        ...expected,
      });
    });

    it('a count of buildings is not an address', () => {
      expect(residentWrites('两栋楼都不热了').hints.building).toBeUndefined();
    });
  });

  describe('temperature', () => {
    it.each([
      ['室温16℃', 16],
      ['屋里15 °C', 15],
      ['only 14 degrees inside', 14],
      ['屋里十二度', 12],
      ['测了一下才16.5度', 16.5],
    ])('%s gives %s °C', (written, value) => {
      expect(residentWrites(`暖气不热，${written}`).hints.temperatureC).toBe(value);
    });

    it('态度 is not a temperature', () => {
      expect(residentWrites('收费员态度太恶劣了').hints.temperatureC).toBeUndefined();
    });
  });

  it('a full message fills every hint at once', () => {
    const result = residentWrites('阳光花园3号楼2单元501暖气不热，屋里14度，户号2023123456，电话13812345678', communities);
    expect(result.hints).toEqual({
      communityId: 'sunshine',
      building: '3',
      unit: '2',
      room: '501',
      account: '2023123456',
      phone: '13812345678',
      temperatureC: 14,
    });
  });
});
