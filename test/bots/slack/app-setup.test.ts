import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SocketModeReceiver } from '@slack/bolt';
import { createSlackApp } from '../../../src/bots/slack/index.js';
import { slackManifest } from '../../../src/bots/slack/manifest.js';
import { maskPhone } from '../../../src/bots/slack/render/phone.js';
import { makeTestCore, type TestCore } from '../../helpers/core.js';

let core: TestCore;
beforeAll(async () => {
  core = await makeTestCore();
});
afterAll(() => core?.close());

describe('the Slack app manifest', () => {
  it('points slash commands, interactivity and events at PUBLIC_URL/slack/events', () => {
    const m = slackManifest({ publicUrl: 'https://heating.example.com/' }) as any;
    expect(m.features.slash_commands.map((c: any) => [c.command, c.url])).toEqual(
      ['/ticket', '/intake', '/duty', '/handover', '/kpi', '/incident', '/training', '/forms', '/prices'].map((c) => [
        c,
        'https://heating.example.com/slack/events',
      ]),
    );
    expect(m.settings.interactivity).toEqual({ is_enabled: true, request_url: 'https://heating.example.com/slack/events' });
    expect(m.settings.event_subscriptions).toEqual({
      request_url: 'https://heating.example.com/slack/events',
      bot_events: ['app_mention', 'message.channels', 'message.groups'],
    });
    expect(m.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['chat:write', 'commands']));
    // the dashboard's Sign in with Slack comes back here, with the person's id only
    expect(m.oauth_config.redirect_urls).toEqual(['https://heating.example.com/dashboard/auth/slack/callback']);
    expect(m.oauth_config.scopes.user).toEqual(['openid', 'profile']);
    expect(m.display_information.long_description.length).toBeGreaterThanOrEqual(175);
  });

  it('needs no URL in Socket Mode', () => {
    const m = slackManifest({ socketMode: true, locale: 'en' }) as any;
    expect(m.settings.socket_mode_enabled).toBe(true);
    expect(JSON.stringify(m)).not.toContain('request_url');
    expect(m.display_information.name).toBe('Heating service desk');
    expect(() => slackManifest({})).toThrow(/PUBLIC_URL/);
  });
});

describe('the Slack app', () => {
  it('uses Socket Mode when an app-level token is given, with no HTTP route', async () => {
    const slack = createSlackApp({ core, token: 'xoxb-x', signingSecret: 'secret', appToken: 'xapp-1-x' });
    expect(slack.receiver).toBeInstanceOf(SocketModeReceiver);
    expect(slack.deliverer).toBeDefined();
  });

  it('speaks English when SLACK_LOCALE says so', () => {
    expect(createSlackApp({ core, token: 'xoxb-x', signingSecret: 'secret', locale: 'en' }).locale).toBe('en');
    expect(createSlackApp({ core, token: 'xoxb-x', signingSecret: 'secret' }).locale).toBe('zh-CN');
  });

  it('masks residents’ phone numbers as 138****5678', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('0471-6661234')).toBe('047****1234');
    expect(maskPhone(null)).toBe('');
  });

  it('keeps every staff-facing word in locales: no Chinese text in src/bots/slack (conventions 5)', () => {
    const root = resolve(import.meta.dirname, '../../../src/bots/slack');
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (p.endsWith('.ts')) files.push(p);
      }
    };
    walk(root);
    const offending = files.filter((f) => /[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]/.test(readFileSync(f, 'utf8')));
    expect(offending.map((f) => f.slice(root.length))).toEqual([]);
  });
});
