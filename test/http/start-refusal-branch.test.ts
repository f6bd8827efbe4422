/**
 * 九 at start-up: an organisation file in which a branch loosens a company limit stops the
 * service (exit 1) with the file, the path inside it and the rule, before anything listens.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { DEMO_ORG } from '../../src/config.js';
import { freePort } from '../../tools/sim/service-process.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'start-refusal-branch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('starting the service with a branch that loosens a company limit (九)', () => {
  it('refuses to start, naming the file, the path and the rule', async () => {
    const org = parse(readFileSync(DEMO_ORG, 'utf8'));
    // 赛罕 (branches[3]) would give a leak 48 hours where the company gives 24
    org.branches[3].timeLimits.push({ match: { kind: 'complaint', category: 'leak' }, ack: '5m', arrive: '30m', resolve: '48h', callback: '24h' });
    const orgFile = join(dir, 'org.yaml');
    writeFileSync(orgFile, stringify(org));
    const port = String(await freePort());
    const { code, output } = await new Promise<{ code: number | null; output: string }>((done) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          PORT: port,
          HOST: '127.0.0.1',
          DATABASE_URL: `file:${join(dir, 'refused.db')}`,
          ORG_CONFIG: orgFile,
          API_TOKEN: 'operator-token-0123456789-abcdefghijkl',
        },
      });
      let out = '';
      child.stdout.on('data', (b) => (out += b));
      child.stderr.on('data', (b) => (out += b));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.on('exit', (c) => {
        clearTimeout(timer);
        done({ code: c, output: out });
      });
    });
    expect(code).toBe(1);
    expect(output).toContain(
      `${orgFile}: branches[3].timeLimits[1].resolve: [branch_limit_looser] branch 赛罕供热分公司 gives 48h where the company gives 24h for complaint/leak`,
    );
  }, 70_000);
});
