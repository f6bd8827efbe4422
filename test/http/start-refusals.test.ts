/**
 * The service as an operator starts it (`node --import tsx src/main.ts`), refusing to start on a
 * secret it cannot trust: the process ends with 1 and a log line naming the variable, never its value.
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
const dir = mkdtempSync(join(tmpdir(), 'start-refusals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const orgFile = join(dir, 'org.yaml');
const org = parse(readFileSync(DEMO_ORG, 'utf8'));
org.apiClients = [{ id: 'bi', name: 'BI', scopes: ['read'], tokenEnv: 'API_CLIENT_BI_TOKEN' }];
writeFileSync(orgFile, stringify(org));

/** Starts the service with this environment and waits for it to end (it must, within the timeout). */
async function start(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const port = String(await freePort());
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        PORT: port,
        HOST: '127.0.0.1',
        DATABASE_URL: `file:${join(dir, `${Math.random().toString(36).slice(2)}.db`)}`,
        ORG_CONFIG: orgFile,
        ...env,
      },
    });
    let output = '';
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

describe('starting the service', () => {
  it('refuses an API client whose token variable is unset or short, naming the variable and not the token', async () => {
    const apiToken = 'operator-token-0123456789-abcdefghijkl';
    const unset = await start({ API_TOKEN: apiToken });
    expect(unset.code).toBe(1);
    expect(unset.output).toContain('API_CLIENT_BI_TOKEN is not set');
    const short = await start({ API_TOKEN: apiToken, API_CLIENT_BI_TOKEN: 'bi-short-secret' });
    expect(short.code).toBe(1);
    expect(short.output).toContain('API_CLIENT_BI_TOKEN is shorter than 32 characters');
    expect(short.output).not.toContain('bi-short-secret');
  }, 130_000);

  it('refuses an API_TOKEN shorter than 32 characters', async () => {
    const r = await start({ API_TOKEN: 'an-operator-token-of-31-chars!!', API_CLIENT_BI_TOKEN: 'b'.repeat(40) });
    expect(r.code).toBe(1);
    expect(r.output).toContain('API_TOKEN is shorter than 32 characters');
    expect(r.output).not.toContain('an-operator-token-of-31-chars!!');
  }, 70_000);
});
