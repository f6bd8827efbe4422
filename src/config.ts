/** Settings from the environment (see .env.example). Secrets are read here and nowhere else. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export const DEMO_ORG = resolve(import.meta.dirname, '../config/demo-org.yaml');

export interface Settings {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  orgConfig: string;
  isDemoOrg: boolean;
  apiToken: string;
  apiTokenSource: 'env' | 'file';
  apiTokenFile?: string;
  publicUrl?: string;
}

/**
 * API_TOKEN from the environment; without it (a first `npm start`), a random token is made
 * once and kept in data/api-token (mode 600), so the operator can read it but logs never show it.
 */
function apiToken(env: NodeJS.ProcessEnv): Pick<Settings, 'apiToken' | 'apiTokenSource' | 'apiTokenFile'> {
  if (env.API_TOKEN) return { apiToken: env.API_TOKEN, apiTokenSource: 'env' };
  const file = resolve(env.API_TOKEN_FILE ?? 'data/api-token');
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(24).toString('base64url') + '\n', { mode: 0o600 });
  }
  return { apiToken: readFileSync(file, 'utf8').trim(), apiTokenSource: 'file', apiTokenFile: file };
}

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const orgConfig = env.ORG_CONFIG ? resolve(env.ORG_CONFIG) : DEMO_ORG;
  return {
    port: Number(env.PORT ?? 3000),
    host: env.HOST ?? '0.0.0.0',
    databaseUrl: env.DATABASE_URL,
    orgConfig,
    isDemoOrg: orgConfig === DEMO_ORG,
    publicUrl: env.PUBLIC_URL?.replace(/\/$/, ''),
    ...apiToken(env),
  };
}
