import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_ORG } from '../../../src/config.js';
import { loadOrgFile, parseOrg } from '../../../src/core/org/load-org.js';

const demo = () => parse(readFileSync(DEMO_ORG, 'utf8'));

describe("the organisation file's incidents section", () => {
  it('writes the defaults out in the demo file: 5 reports in 30 minutes propose one, 24 h to repair (R27), a tenth called by phone (R8h)', () => {
    expect(loadOrgFile(DEMO_ORG).incidents).toEqual({ proposeAfter: 5, windowMinutes: 30, resolveWithinMinutes: 24 * 60, phoneSample: 0.1 });
  });

  it('takes the same defaults when the section is left out, and an operator’s own values', () => {
    const doc = demo();
    delete doc.incidents;
    expect(parseOrg(doc).incidents).toEqual({ proposeAfter: 5, windowMinutes: 30, resolveWithinMinutes: 1440, phoneSample: 0.1 });
    doc.incidents = { proposeAfter: 8, window: '45m', resolveWithin: '12h', phoneSample: 0 };
    expect(parseOrg(doc).incidents).toEqual({ proposeAfter: 8, windowMinutes: 45, resolveWithinMinutes: 720, phoneSample: 0 });
  });

  it('refuses a share above one, a threshold of one report and an unknown key, naming the path', () => {
    for (const [incidents, path] of [
      [{ phoneSample: 1.5 }, 'incidents.phoneSample'],
      [{ proposeAfter: 1 }, 'incidents.proposeAfter'],
      [{ windw: '30m' }, 'incidents'],
    ] as const) {
      const doc = demo();
      doc.incidents = incidents;
      expect(() => parseOrg(doc, 'org.yaml')).toThrow(`org.yaml: ${path}`);
    }
  });
});
