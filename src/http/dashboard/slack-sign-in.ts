/**
 * "Sign in with Slack" for the dashboard: OpenID Connect's authorization code flow with PKCE,
 * state and nonce, by openid-client (discovery, the token request, and the id_token's signature,
 * issuer, audience, expiry and nonce checks). The person is the id_token's Slack user; whether
 * they are let in and what they see is the organisation file's (dashboard-scope.ts).
 *
 * Between the redirect to Slack and the way back, the state, nonce and PKCE verifier wait in a
 * short-lived cookie signed with a key derived from the client secret, so that any instance can
 * finish what another began. That cookie is SameSite=Lax: coming back from Slack is a cross-site
 * navigation, on which a Strict cookie is not sent.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import type { Clock } from '../../core/clock.js';
import type { SlackSignInSettings } from '../../config.js';

export const FLOW_COOKIE = 'heating_signin';
export const FLOW_PATH = '/dashboard/auth';
export const FLOW_SECONDS = 600;

/** Why a sign-in with Slack did not give a Slack user: Slack unreachable or misconfigured, or the round trip not valid. */
export type SlackSignInProblem = 'unavailable' | 'failed';

export class SlackSignInError extends Error {
  constructor(
    readonly problem: SlackSignInProblem,
    message: string,
  ) {
    super(message);
  }
}

/** What Slack vouches for: the user and the workspace. */
export interface SlackIdentity {
  userId: string;
  teamId?: string;
}

interface Flow {
  state: string;
  nonce: string;
  verifier: string;
  /** the page language to come back in */
  lang: string;
  /** epoch ms */
  expires: number;
}

export class SlackSignIn {
  private config: Promise<oidc.Configuration> | undefined;
  private readonly key: Buffer;

  constructor(
    readonly settings: SlackSignInSettings,
    private readonly clock: Clock,
  ) {
    this.key = createHmac('sha256', settings.clientSecret).update('heating-dashboard-signin-flow-v1').digest();
  }

  /** Discovery once, on first use (Slack down at start-up must not stop the service); a failure is retried next time. */
  private configuration(): Promise<oidc.Configuration> {
    if (!this.config) {
      const { issuer, clientId, clientSecret } = this.settings;
      const insecure = new URL(issuer).protocol === 'http:'; // config.ts allows http only on loopback, for a test provider
      this.config = oidc
        .discovery(new URL(issuer), clientId, clientSecret, oidc.ClientSecretPost(clientSecret), {
          timeout: 10,
          // the id_token's signature is checked against the provider's keys as well: TLS to the
          // token endpoint would suffice by the letter of OpenID Connect, the signature costs little
          execute: insecure ? [oidc.enableNonRepudiationChecks, oidc.allowInsecureRequests] : [oidc.enableNonRepudiationChecks],
        })
        .catch((e: unknown) => {
          this.config = undefined;
          throw new SlackSignInError('unavailable', `OpenID discovery at ${issuer} failed: ${(e as Error).message}`);
        });
    }
    return this.config;
  }

  /** Where to send the browser, and the cookie value that remembers this attempt. */
  async begin(lang: string): Promise<{ url: string; flowCookie: string }> {
    const config = await this.configuration();
    const flow: Flow = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      verifier: oidc.randomPKCECodeVerifier(),
      lang,
      expires: this.clock.now().getTime() + FLOW_SECONDS * 1000,
    };
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.settings.redirectUri,
      scope: 'openid',
      state: flow.state,
      nonce: flow.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
      code_challenge_method: 'S256',
      ...(this.settings.teamId ? { team: this.settings.teamId } : {}),
    });
    return { url: url.href, flowCookie: this.seal(flow) };
  }

  /** The language the attempt began in, if its cookie is genuine (for the page that answers a failure). */
  langOf(flowCookie: string | undefined): string | undefined {
    return this.open(flowCookie)?.lang;
  }

  /**
   * Finishes the attempt from the query Slack sent the browser back with: the code is exchanged
   * and the id_token checked by openid-client against this attempt's state, nonce and verifier.
   */
  async finish(query: string, flowCookie: string | undefined): Promise<SlackIdentity & { lang: string }> {
    const flow = this.open(flowCookie);
    if (!flow) throw new SlackSignInError('failed', 'no sign-in in progress in this browser, or it took too long');
    const config = await this.configuration();
    const back = new URL(this.settings.redirectUri);
    back.search = query;
    let claims: oidc.IDToken | undefined;
    try {
      const tokens = await oidc.authorizationCodeGrant(config, back, {
        pkceCodeVerifier: flow.verifier,
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (e) {
      const unreachable = e instanceof TypeError || (e as { code?: string }).code === 'OAUTH_TIMEOUT';
      throw new SlackSignInError(unreachable ? 'unavailable' : 'failed', `Slack sign-in refused: ${(e as Error).message}`);
    }
    const userId = claims?.['https://slack.com/user_id'] ?? claims?.sub;
    if (typeof userId !== 'string' || !userId) throw new SlackSignInError('failed', 'the id_token names no Slack user');
    const teamId = claims?.['https://slack.com/team_id'];
    return { userId, teamId: typeof teamId === 'string' ? teamId : undefined, lang: flow.lang };
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  private seal(flow: Flow): string {
    const payload = Buffer.from(JSON.stringify(flow)).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  private open(cookie: string | undefined): Flow | undefined {
    const m = cookie && /^([A-Za-z0-9_-]{1,2000})\.([A-Za-z0-9_-]{43})$/.exec(cookie);
    if (!m) return undefined;
    const given = Buffer.from(m[2], 'base64url');
    const expected = Buffer.from(this.mac(m[1]), 'base64url');
    if (!timingSafeEqual(given, expected)) return undefined;
    const flow = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8')) as Flow;
    return flow.expires > this.clock.now().getTime() ? flow : undefined;
  }
}
