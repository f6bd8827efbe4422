import { describe, expect, it } from 'vitest';
import { loadLocale, t } from '../src/i18n/index.js';

describe('locales', () => {
  it('have every key in both zh-CN and en (conventions 5)', () => {
    const zh = [...loadLocale('zh-CN').keys()].sort();
    const en = [...loadLocale('en').keys()].sort();
    expect(en.filter((k) => !zh.includes(k))).toEqual([]);
    expect(zh.filter((k) => !en.includes(k))).toEqual([]);
  });

  it('keep the same placeholders in both languages', () => {
    const zh = loadLocale('zh-CN');
    const en = loadLocale('en');
    const ph = (s: string) =>
      [...s.matchAll(/\{(\w+)\}/g)]
        .map((m) => m[1])
        .sort()
        .join(',');
    const mismatched = [...zh.keys()].filter((k) => en.has(k) && ph(zh.get(k)!) !== ph(en.get(k)!));
    expect(mismatched).toEqual([]);
  });

  it('fills placeholders and falls back to zh-CN', () => {
    expect(t('en', 'common.status.on_site')).toBe('On site');
    expect(t('fr', 'common.status.on_site')).toBe('已到场');
  });
});
