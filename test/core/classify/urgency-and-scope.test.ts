import { describe, expect, it } from 'vitest';
import { residentWrites } from './classifier-fixture.js';

describe('severity and scope', () => {
  it('an ordinary cold radiator is normal and on the secondary network', () => {
    const result = residentWrites('卧室的暖气片不太热');
    expect(result.severity).toBe('normal');
    expect(result.scope).toBe('secondary');
  });

  it('every leak is urgent', () => {
    const result = residentWrites('楼上跑水了，水顺着墙一直往下淌');
    expect(result.severity).toBe('urgent');
    expect(result.reasons).toContain('leak_word');
  });

  it('a whole building without heat is urgent', () => {
    const result = residentWrites('我们整栋楼的暖气都不热');
    expect(result.severity).toBe('urgent');
    expect(result.reasons).toContain('whole_building');
  });

  it('a whole community without heat is a major event on the primary network', () => {
    const result = residentWrites('整个小区都没暖气了');
    expect(result.severity).toBe('major');
    expect(result.scope).toBe('primary');
    expect(result.reasons).toContain('whole_community');
  });

  it('several buildings without heat, in English, is major', () => {
    const result = residentWrites('Several buildings in our estate have no heat.');
    expect(result.severity).toBe('major');
    expect(result.scope).toBe('primary');
    expect(result.hints.building).toBeUndefined();
  });

  it('a burst main is a major leak on the primary network', () => {
    const result = residentWrites('路上冒热气，主管道好像爆了');
    expect(result.category).toBe('leak');
    expect(result.severity).toBe('major');
    expect(result.scope).toBe('primary');
    expect(result.reasons).toEqual(expect.arrayContaining(['primary_network_word', 'burst_main']));
  });

  it('the heat-exchange station puts a noise complaint on the primary network without raising it', () => {
    const result = residentWrites('换热站的机器声音太大');
    expect(result.scope).toBe('primary');
    expect(result.severity).toBe('normal');
    expect(result.reasons).toContain('primary_network_word');
  });

  describe('who lives in a cold home', () => {
    it.each([
      ['an elderly resident', '家里有个九十岁的老人，暖气冰凉', 'elderly'],
      ['an elderly resident, in English', 'My elderly father is at home and the radiators are cold.', 'elderly'],
      ['an infant', '孩子才两个月，屋里太冷了', 'infant'],
      ['a bedridden resident', '老伴卧床，屋里冷', 'vulnerable_person'],
    ])('%s makes it urgent', (_, text, reason) => {
      const result = residentWrites(text);
      expect(result.category).toBe('no_heat');
      expect(result.severity).toBe('urgent');
      expect(result.reasons).toContain(reason);
    });

    it('does not make a billing question urgent', () => {
      const result = residentWrites('我妈七十多了，想问下热费怎么交');
      expect(result.category).toBe('billing');
      expect(result.severity).toBe('normal');
      expect(result.reasons).not.toContain('elderly');
    });
  });

  describe('room temperature', () => {
    it('12 °C or less is urgent and below standard', () => {
      const result = residentWrites('屋里只有12度');
      expect(result.hints.temperatureC).toBe(12);
      expect(result.belowStandard).toBe(true);
      expect(result.severity).toBe('urgent');
      expect(result.reasons).toEqual(expect.arrayContaining(['below_standard', 'low_temperature']));
    });

    it('13 °C is below standard but not urgent by itself', () => {
      const result = residentWrites('屋里13度，太冷了');
      expect(result.belowStandard).toBe(true);
      expect(result.severity).toBe('normal');
      expect(result.reasons).not.toContain('low_temperature');
    });

    it('18 °C meets the standard', () => {
      const result = residentWrites('卧室18度，客厅还行');
      expect(result.hints.temperatureC).toBe(18);
      expect(result.belowStandard).toBe(false);
    });

    it('a temperature in Chinese numerals counts', () => {
      const result = residentWrites('屋里才十度');
      expect(result.hints.temperatureC).toBe(10);
      expect(result.severity).toBe('urgent');
    });

    it('"不到18度" is below standard without a reading', () => {
      const result = residentWrites('家里温度一直不到18度');
      expect(result.belowStandard).toBe(true);
      expect(result.hints.temperatureC).toBeUndefined();
    });

    it('the outdoor temperature is not taken for the room', () => {
      const result = residentWrites('外面零下十五度，屋里二十度');
      expect(result.hints.temperatureC).toBe(20);
      expect(result.belowStandard).toBe(false);
    });

    it('the radiator surface temperature is not taken for the room', () => {
      expect(residentWrites('暖气片才35度，摸着不烫').hints.temperatureC).toBeUndefined();
    });
  });

  it('a negated leak raises nothing', () => {
    const result = residentWrites('不是跑水，就是不热');
    expect(result.severity).toBe('normal');
    expect(result.category).toBe('no_heat');
  });
});
