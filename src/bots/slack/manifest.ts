/**
 * The Slack app manifest: paste it at api.slack.com/apps → Create New App → From a manifest, and
 * the app has its scopes, slash commands, interactivity and event URLs (all POST /slack/events on
 * PUBLIC_URL). With Socket Mode no public URL is needed. Print it with print-manifest.ts.
 */
import { SIGN_IN_CALLBACK_PATH } from '../../http/dashboard/paths.js';
import { has, t, type Locale } from '../../i18n/index.js';

/**
 * The least the app needs: post and update cards and private answers (chat:write), also in public
 * channels it was not invited to (chat:write.public), slash commands, mentions, a direct message
 * when an answer cannot go to the channel (im:write), and reading back the channels it posts to
 * (channels:history, groups:history for private ones): after a post whose answer was lost, the
 * outbox looks there for the message before posting it again (deliverer.ts), and staff replies in
 * a card's thread arrive as message events of those channels (handlers/thread-replies.ts).
 * files:write uploads residents' photos and voice messages into the cards' threads.
 */
export const BOT_SCOPES = [
  'chat:write',
  'chat:write.public',
  'commands',
  'app_mentions:read',
  'im:write',
  'channels:history',
  'groups:history',
  'files:write',
] as const;

/** Events the app is sent: mentions, and messages in the channels it is in (a reply in a card's thread reaches the resident). */
export const BOT_EVENTS = ['app_mention', 'message.channels', 'message.groups'] as const;

export const SLASH_COMMANDS = ['ticket', 'intake', 'duty', 'handover', 'kpi', 'incident', 'training', 'forms', 'prices'] as const;

export interface ManifestOptions {
  /** PUBLIC_URL, e.g. https://heating.example.com */
  publicUrl?: string;
  socketMode?: boolean;
  locale?: Locale;
}

export function slackManifest(o: ManifestOptions): Record<string, unknown> {
  const locale = o.locale ?? 'zh-CN';
  const w = (key: string) => t(locale, `slack.manifest.${key}`);
  if (!o.socketMode && !o.publicUrl) throw new Error('PUBLIC_URL is needed for the request URLs (or use Socket Mode)');
  const url = o.publicUrl ? `${o.publicUrl.replace(/\/$/, '')}/slack/events` : undefined;
  const withUrl = <T extends object>(x: T) => (o.socketMode ? x : { ...x, url });
  const hint: Partial<Record<(typeof SLASH_COMMANDS)[number], string>> = {
    ticket: w('ticket_hint'),
    duty: t(locale, 'slack.duty.command_hint'),
    kpi: w('kpi_hint'),
    incident: t(locale, 'slack.incident.command_hint'),
    training: t(locale, 'slack.training.command_hint'),
    forms: t(locale, 'slack.forms.command_hint'),
    prices: t(locale, 'slack.paid.command_hint'),
  };
  // a command whose words live in a file named for its feature rather than the command
  const FILE_OF: Record<string, string> = { prices: 'paid' };
  // a feature's command keeps its words in its own locale file (slack.<command>.command)
  const describe = (c: string) => {
    const own = `slack.${FILE_OF[c] ?? c}.command`;
    return has(locale, own) ? t(locale, own) : w(c);
  };
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: { name: w('name'), description: w('description'), long_description: w('long_description'), background_color: '#b3261e' },
    features: {
      app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
      bot_user: { display_name: w('bot_name'), always_online: true },
      slash_commands: SLASH_COMMANDS.map((c) =>
        withUrl({ command: `/${c}`, description: describe(c), should_escape: false, ...(hint[c] ? { usage_hint: hint[c] } : {}) }),
      ),
    },
    // the dashboard's Sign in with Slack (OpenID Connect): the person's own id, nothing of their workspace
    oauth_config: {
      ...(o.publicUrl ? { redirect_urls: [`${o.publicUrl.replace(/\/$/, '')}${SIGN_IN_CALLBACK_PATH}`] } : {}),
      scopes: { bot: [...BOT_SCOPES], user: ['openid', 'profile'] },
    },
    settings: {
      event_subscriptions: { ...(url && !o.socketMode ? { request_url: url } : {}), bot_events: [...BOT_EVENTS] },
      interactivity: { is_enabled: true, ...(url && !o.socketMode ? { request_url: url } : {}) },
      org_deploy_enabled: false,
      socket_mode_enabled: Boolean(o.socketMode),
      token_rotation_enabled: false,
    },
  };
}
