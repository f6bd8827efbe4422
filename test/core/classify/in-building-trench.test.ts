/**
 * Pipe trenches inside and beside the buildings (楼内地沟, 管沟, 地沟) and the building's own mains
 * carry the secondary network and in-building pipes: their faults are secondary (on site within
 * the hour, R27) and their repair is quoted at settlement prices (R16), not the primary network's.
 */
import { describe, expect, it } from 'vitest';
import { residentWrites } from './classifier-fixture.js';

describe('in-building pipe trenches are the secondary network (R16, R27)', () => {
  it.each([
    ['楼内地沟漏水了，楼道里都是热气', 'leak'],
    ['单元门口的地沟在冒热气，地面都湿了', 'leak'],
    ['我们楼的管沟里管子漏水了', 'leak'],
    ['地下室管沟里的主管道在滴水', 'leak'],
    ['楼内地沟的主管道漏了，家里暖气也不热', undefined],
    ['地沟里的管子好像堵了，这个单元暖气都不热', undefined],
  ])('%s: secondary, never a burst main', (text, category) => {
    const r = residentWrites(text);
    expect(r.scope).toBe('secondary');
    expect(r.reasons).not.toContain('burst_main');
    expect(r.reasons).not.toContain('primary_network_word');
    if (category) expect(r.category).toBe(category);
  });

  it('a main under the road is still the primary network', () => {
    const r = residentWrites('小区门口马路上冒热气，主管道好像爆了');
    expect(r.scope).toBe('primary');
    expect(r.reasons).toContain('burst_main');
  });

  it('a whole community without heat is still the primary network, trench or not', () => {
    expect(residentWrites('整个小区都没暖气了，听说是地沟里的管子坏了').scope).toBe('primary');
  });
});
