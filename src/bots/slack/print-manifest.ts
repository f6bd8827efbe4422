/**
 * Prints the Slack app manifest as YAML with PUBLIC_URL filled in:
 *   PUBLIC_URL=https://heating.example.com npx tsx src/bots/slack/print-manifest.ts > slack-app-manifest.yaml
 *   npx tsx src/bots/slack/print-manifest.ts --socket      (Socket Mode: no URLs)
 * SLACK_LOCALE=en prints the English names and descriptions.
 */
import { stringify } from 'yaml';
import { asLocale } from '../../i18n/index.js';
import { slackManifest } from './manifest.js';

const socketMode = process.argv.includes('--socket');
try {
  process.stdout.write(stringify(slackManifest({ publicUrl: process.env.PUBLIC_URL, socketMode, locale: asLocale(process.env.SLACK_LOCALE) })));
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(1);
}
