import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEMO_ORG } from '../../src/config.js';
import { AppError } from '../../src/core/errors.js';
import { loadOrgFile, parseOrg } from '../../src/core/org/load-org.js';
import { Org } from '../../src/core/org/org.js';

const demo = () => parse(readFileSync(DEMO_ORG, 'utf8'));

function configError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a config error');
}

describe('the organisation config', () => {
  it('ships a demo organisation with at least 4 branches and 40 communities', () => {
    const org = new Org(loadOrgFile(DEMO_ORG));
    expect(org.branches.size).toBeGreaterThanOrEqual(4);
    expect(org.communities.size).toBeGreaterThanOrEqual(40);
    expect(org.config.staff.some((s) => s.role === 'centre_agent')).toBe(true);
    expect(org.config.timeLimits.length).toBeGreaterThan(0);
    expect(org.config.prices.length).toBeGreaterThan(0);
  });

  it('names the file, the path inside it and the problem for a wrong value', () => {
    const doc = demo();
    doc.branches[1].units[0].kind = 'kitchen';
    const e = configError(() => parseOrg(doc, 'org.yaml'));
    expect(e.code).toBe('org_config_invalid');
    expect(e.message).toContain('org.yaml: branches[1].units[0].kind: must be one of service_office, field_team, billing_office, department');
  });

  it('reports a community pointing at a branch that does not exist', () => {
    const doc = demo();
    doc.communities[5].branch = 'nowhere';
    const e = configError(() => parseOrg(doc, 'org.yaml'));
    expect(e.message).toContain('communities[5].branch: unknown branch "nowhere"');
  });

  it('reports duplicate ids, unknown fields, missing fields and bad durations together', () => {
    const doc = demo();
    doc.staff[1].id = doc.staff[0].id;
    doc.branches[0].colour = 'red';
    delete doc.company.hotline;
    doc.timeLimits[0].resolve = 'a day';
    const e = configError(() => parseOrg(doc, 'org.yaml'));
    const paths = (e.context.issues as { path: string; message: string }[]).map((i) => `${i.path}: ${i.message}`);
    expect(paths).toContain('branches[0]: unknown field "colour"');
    expect(paths).toContain('company: missing field "hotline"');
    expect(paths.some((p) => p.startsWith('timeLimits[0].resolve'))).toBe(true);
  });

  it('reports a duplicate staff id once the shape is right', () => {
    const doc = demo();
    doc.staff[1].id = doc.staff[0].id;
    const e = configError(() => parseOrg(doc, 'org.yaml'));
    expect(e.message).toContain(`staff[1].id: duplicate id "${doc.staff[0].id}"`);
  });

  it('refuses a file that is not YAML, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'org-'));
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'branches: [\n  - id: x\n  name: : :');
    const e = configError(() => loadOrgFile(file));
    expect(e.code).toBe('org_config_invalid');
    expect(e.message).toContain(`${file}: (top): not valid YAML`);
  });

  it('refuses a missing file with its name', () => {
    const e = configError(() => loadOrgFile('/nonexistent/org.yaml'));
    expect(e.message).toContain('/nonexistent/org.yaml: (top): cannot read the file (ENOENT)');
  });

  it('lets a branch override routing, time limits and prices (九)', () => {
    const org = new Org(loadOrgFile(DEMO_ORG));
    expect(org.unitFor('saihan', 'noise_pressure')?.kind).toBe('department');
    expect(org.unitFor('xincheng', 'noise_pressure')?.kind).toBe('field_team');
    const labour = (b: string) => org.priceList(b).find((p) => p.id === 'labour-hour')?.priceCents;
    expect(labour('jinqiao')).toBe(4500);
    expect(labour('xincheng')).toBe(4000);
  });
});
