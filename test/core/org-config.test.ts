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

describe("the organisation file's API clients", () => {
  const hash = 'AB'.repeat(32);

  it('reads each client with its scopes and where its token is, never the token itself', () => {
    const doc = demo();
    doc.apiClients = [
      { id: 'bi', name: 'BI dashboards', scopes: ['read'], tokenEnv: 'API_CLIENT_BI_TOKEN' },
      { id: 'erp', scopes: ['read', 'write'], tokenSha256: hash },
    ];
    expect(parseOrg(doc).apiClients).toEqual([
      { id: 'bi', name: 'BI dashboards', scopes: ['read'], token: { env: 'API_CLIENT_BI_TOKEN' } },
      { id: 'erp', name: 'erp', scopes: ['read', 'write'], token: { sha256: hash.toLowerCase() } },
    ]);
    expect(parseOrg(demo()).apiClients).toEqual([]);
  });

  it('refuses a bad entry naming its place and the problem', () => {
    const doc = demo();
    doc.apiClients = [
      { id: 'operator', scopes: ['read'], tokenEnv: 'OP_TOKEN' },
      { id: 'a', scopes: ['read'] },
      { id: 'b', scopes: ['read'], tokenEnv: 'B_TOKEN', tokenSha256: hash },
      { id: 'c', scopes: ['read'], tokenSha256: hash },
      { id: 'a', scopes: ['write'], tokenEnv: 'A_TOKEN' },
    ];
    const issues = (configError(() => parseOrg(doc, 'org.yaml')).context.issues as { path: string; message: string }[]).map((i) => `${i.path}: ${i.message}`);
    expect(issues).toEqual([
      'apiClients[0].id: "operator" is the client of API_TOKEN; choose another id',
      "apiClients[1]: needs tokenEnv (the variable holding its token) or tokenSha256 (the token's SHA-256 in hex)",
      'apiClients[2]: has both tokenEnv and tokenSha256; keep one',
      'apiClients[3].tokenSha256: the same token as apiClients[2]',
      'apiClients[4].id: duplicate id "a" (also apiClients[1])',
    ]);
  });

  it('refuses a token written into the file, an unknown scope and a malformed hash', () => {
    const doc = demo();
    doc.apiClients = [
      { id: 'a', scopes: ['read'], token: 'plain-token-in-the-file-0123456789' },
      { id: 'b', scopes: ['admin'], tokenEnv: 'B_TOKEN' },
      { id: 'c', scopes: ['read'], tokenSha256: 'abc' },
      { id: 'd', scopes: [], tokenEnv: 'lower_case' },
    ];
    const e = configError(() => parseOrg(doc, 'org.yaml'));
    expect(e.code).toBe('org_config_invalid');
    const paths = (e.context.issues as { path: string; message: string }[]).map((i) => `${i.path}: ${i.message}`);
    expect(paths).toContain('apiClients[0]: unknown field "token"');
    expect(paths).toContain('apiClients[1].scopes[0]: must be one of read, write');
    expect(paths.some((p) => p.startsWith('apiClients[2].tokenSha256: must match pattern'))).toBe(true);
    expect(paths.some((p) => p.startsWith('apiClients[3].scopes: must NOT have fewer than 1 items'))).toBe(true);
    expect(paths.some((p) => p.startsWith('apiClients[3].tokenEnv: must match pattern'))).toBe(true);
    expect(e.message).not.toContain('plain-token-in-the-file');
  });
});
