/**
 * A fake "Sign in with Slack" OpenID provider on loopback, shaped like Slack's: the discovery
 * document, the JWKS, an authorize endpoint that approves as whichever Slack user the test says
 * and sends the browser back with a code, a token endpoint (client_secret_post, PKCE S256) that
 * answers with an RS256 id_token signed with `jose`, and userinfo. It records what it was asked.
 */
import { createHash, randomBytes } from 'node:crypto';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';

export const CLIENT_ID = '1234567890.0987654321';
export const CLIENT_SECRET = 'fake-client-secret-0123456789abcdef';

/** Who approves at the authorize endpoint, and how the id_token is to be spoilt (for the refusals). */
export interface Approval {
  userId: string;
  teamId?: string;
  /** sign with a key the JWKS does not hold */
  forge?: boolean;
  /** put another nonce in the id_token */
  wrongNonce?: boolean;
  /** answer the authorize request with ?error=access_denied */
  deny?: boolean;
}

interface Grant {
  approval: Approval;
  nonce: string;
  challenge: string;
  redirectUri: string;
}

export interface FakeSlackOidc {
  issuer: string;
  /** the next authorize request approves as this */
  approve(a: Approval): void;
  /** the query of every authorize request */
  authorizeRequests: URLSearchParams[];
  /** the form of every token request */
  tokenRequests: URLSearchParams[];
  close(): Promise<void>;
}

export async function startFakeSlackOidc(): Promise<FakeSlackOidc> {
  const { publicKey, privateKey } = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'fake-key-1', alg: 'RS256', use: 'sig' };
  const app: FastifyInstance = Fastify();
  await app.register(formbody);
  const grants = new Map<string, Grant>();
  let approval: Approval = { userId: 'U00000000' };
  const authorizeRequests: URLSearchParams[] = [];
  const tokenRequests: URLSearchParams[] = [];
  let issuer = '';

  app.get('/.well-known/openid-configuration', async () => ({
    issuer,
    authorization_endpoint: `${issuer}/openid/connect/authorize`,
    token_endpoint: `${issuer}/api/openid.connect.token`,
    userinfo_endpoint: `${issuer}/api/openid.connect.userInfo`,
    jwks_uri: `${issuer}/openid/connect/keys`,
    scopes_supported: ['openid', 'profile', 'email'],
    response_types_supported: ['code'],
    response_modes_supported: ['form_post'],
    grant_types_supported: ['authorization_code'],
    subject_types_supported: ['public'],
    id_token_signing_alg_values_supported: ['RS256'],
    claims_supported: ['sub', 'auth_time', 'iss'],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: true,
    token_endpoint_auth_methods_supported: ['client_secret_post', 'client_secret_basic'],
    code_challenge_methods_supported: ['S256'],
  }));

  app.get('/openid/connect/keys', async () => ({ keys: [jwk] }));

  app.get('/openid/connect/authorize', async (req, reply) => {
    const q = new URLSearchParams(req.url.slice(req.url.indexOf('?') + 1));
    authorizeRequests.push(q);
    const back = new URL(q.get('redirect_uri') ?? '');
    if (q.get('client_id') !== CLIENT_ID) return reply.status(400).send('unknown client');
    if (approval.deny) {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('state', q.get('state') ?? '');
      return reply.redirect(back.href, 302);
    }
    const code = randomBytes(16).toString('hex');
    grants.set(code, { approval, nonce: q.get('nonce') ?? '', challenge: q.get('code_challenge') ?? '', redirectUri: back.href });
    back.searchParams.set('code', code);
    back.searchParams.set('state', q.get('state') ?? '');
    return reply.redirect(back.href, 302);
  });

  app.post('/api/openid.connect.token', async (req, reply) => {
    const f = new URLSearchParams(req.body as Record<string, string>);
    tokenRequests.push(f);
    const grant = grants.get(f.get('code') ?? '');
    grants.delete(f.get('code') ?? '');
    const verifier = f.get('code_verifier') ?? '';
    const bad = (error: string) => reply.status(400).send({ ok: false, error });
    if (f.get('client_id') !== CLIENT_ID || f.get('client_secret') !== CLIENT_SECRET) return bad('invalid_client');
    if (!grant || grant.redirectUri !== f.get('redirect_uri')) return bad('invalid_grant');
    if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) return bad('invalid_grant');
    const a = grant.approval;
    const key: CryptoKey = a.forge ? other.privateKey : privateKey;
    const idToken = await new SignJWT({
      nonce: a.wrongNonce ? 'another-nonce' : grant.nonce,
      'https://slack.com/user_id': a.userId,
      'https://slack.com/team_id': a.teamId ?? 'T0DEMO0001',
      auth_time: Math.floor(Date.now() / 1000),
    })
      .setProtectedHeader({ alg: 'RS256', kid: 'fake-key-1' })
      .setIssuer(issuer)
      .setAudience(CLIENT_ID)
      .setSubject(a.userId)
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(key);
    return { ok: true, access_token: `xoxp-${randomBytes(8).toString('hex')}`, token_type: 'Bearer', id_token: idToken };
  });

  app.get('/api/openid.connect.userInfo', async () => ({ ok: true, sub: approval.userId, 'https://slack.com/user_id': approval.userId }));

  issuer = (await app.listen({ host: '127.0.0.1', port: 0 })).replace('localhost', '127.0.0.1');
  return {
    issuer,
    approve: (a) => {
      approval = a;
    },
    authorizeRequests,
    tokenRequests,
    close: () => app.close(),
  };
}
