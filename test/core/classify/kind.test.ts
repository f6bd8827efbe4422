import { describe, expect, it } from 'vitest';
import { residentWrites } from './classifier-fixture.js';

describe('kind of a resident message', () => {
  it.each([
    ['a fault nobody fixed', '暖气不热好几天了，也没人管'],
    ['an English fault report', 'The radiator in my kitchen stopped working yesterday.'],
    ['a grievance about a bill', '热费单上的面积跟房本对不上，多收了钱'],
  ])('%s is a complaint', (_, text) => {
    expect(residentWrites(text).kind).toBe('complaint');
  });

  it.each([
    ['the price of heating', '热费每平米多少钱？'],
    ['English, how to pay', 'How do I pay my heating bill online?'],
    ['an elderly resident asking how to pay (no fault)', '我妈七十多了，想问下热费怎么交'],
  ])('%s is a consultation', (_, text) => {
    expect(residentWrites(text).kind).toBe('consultation');
  });

  it.each([
    ['a payment point for older residents', '建议在小区里设个缴费点，方便老年人'],
    ['English, more hotline staff', 'Please add more staff to the hotline in winter.'],
    ['praise for a technician', '想表扬一下上周来我家修暖气的刘师傅，特别细心'],
  ])('%s is a suggestion', (_, text) => {
    expect(residentWrites(text).kind).toBe('suggestion');
  });

  it.each([
    ['new radiators and their price', '想换两组新暖气片，多少钱一组'],
    ['English, moving a radiator for a fee', 'Can you move my radiator? How much will it cost?'],
    ['a dripping valve to be replaced for a fee', '阀门有点滴水，想请你们换个新的，收费多少'],
  ])('%s is a paid_service request', (_, text) => {
    expect(residentWrites(text).kind).toBe('paid_service');
  });

  it('a paid repair of a leak keeps the leak category', () => {
    expect(residentWrites('阀门有点滴水，想请你们换个新的，收费多少').category).toBe('leak');
  });
});
