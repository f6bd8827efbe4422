import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { has, t } from '../src/i18n/index.js';

const CORE = resolve(import.meta.dirname, '../src/core');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

/** The words of a JSON schema's `type:` and the incident timeline's own types (IncidentEvent, labelled in dashboard.incidents), which are no ticket events. */
const NOT_TICKET_EVENTS = new Set([
  'object',
  'array',
  'string',
  'number',
  'integer',
  'null',
  'boolean',
  'declared',
  'updated',
  'unlinked',
  'restored',
  'notified',
]);

/** Every ticket event type src/core writes: `type: 'x'`, `type: CONSTANT`, the step table of transition-ticket and the quote's answer lines. */
function writtenEventTypes(): string[] {
  const files = sources(CORE).map((f) => readFileSync(f, 'utf8'));
  const all = files.join('\n');
  const constants = new Map([...all.matchAll(/export const ([A-Z_]+)(?:: \w+)? = '([a-z_]+)'/g)].map((m) => [m[1]!, m[2]!]));
  const types = new Set<string>();
  for (const m of all.matchAll(/\btype: '([a-z_]+)'/g)) types.add(m[1]!);
  for (const m of all.matchAll(/\btype: ([A-Z_]+)\b/g)) if (constants.has(m[1]!)) types.add(constants.get(m[1]!)!);
  const table = /const EVENT_TYPE: Record<Action, string> = \{([^}]*)\}/.exec(all);
  for (const m of table![1]!.matchAll(/: '([a-z_]+)'/g)) types.add(m[1]!);
  for (const m of all.matchAll(/\bline\('([a-z_]+)'/g)) types.add(m[1]!);
  if (/line\(`quote_\$\{status\}`/.test(all)) for (const s of ['accepted', 'refused']) types.add(`quote_${s}`);
  return [...types].filter((x) => !NOT_TICKET_EVENTS.has(x)).sort();
}

describe('ticket timeline labels (R8: every step of the closed loop is shown by name)', () => {
  it('finds the event types of issue 17 in src/core (the scan works)', () => {
    const types = writtenEventTypes();
    for (const x of [
      'created',
      'resolved',
      'quoted',
      'quote_accepted',
      'quote_refused',
      'quote_expired',
      'quote_scheduled',
      'conduct_named',
      'reclassified',
      'escalation_acked',
      'phone_revealed',
    ])
      expect(types).toContain(x);
  });

  it('every ticket event type written by src/core has a dashboard timeline label in zh-CN and en (R8)', () => {
    const types = writtenEventTypes();
    expect(types.filter((x) => !has('zh-CN', `kpi.event.${x}`))).toEqual([]);
    expect(types.filter((x) => !has('en', `kpi.event.${x}`))).toEqual([]);
  });

  it('a quote accepted and a staff member named read as words, not keys (R8, R11, R31)', () => {
    expect(t('zh-CN', 'kpi.event.quote_accepted')).toBe('居民接受报价');
    expect(t('en', 'kpi.event.conduct_named')).toBe('Staff member named');
  });
});
